// The scalar math of src/tensor/scalar_ops.ts once more, in the subset of JavaScript that gpu.js
// compiles to JavaScript, WebAssembly and WGSL alike. A kernel cannot receive a function, so each
// op is a number (a kernel constant) and these helpers branch on it; the branch is the same for
// every thread, so it costs little on any backend.
//
// Rules these functions follow, because gpu.js needs them: plain parameters, no closures, no
// lookups in tables, no isNaN/isFinite (a NaN is the only value with x !== x; a finite value is
// one with |x| <= the largest float32).
import type { BinaryOp, ReduceOp, UnaryOp } from '../../tensor/scalar_ops.ts'

export const unaryCodes: Record<UnaryOp, number> = {
  copy: 0, neg: 1, exp: 2, log: 3, sqrt: 4, abs: 5, sign: 6, reciprocal: 7, square: 8,
  sigmoid: 9, tanh: 10, relu: 11, leakyRelu: 12, clamp: 13, log1p: 14, step: 15, finiteOrZero: 16,
  softplus: 17,
}

export const binaryCodes: Record<BinaryOp, number> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6,
  gt: 7, ge: 8, lt: 9, le: 10, eq: 11, ne: 12,
}

export const reduceCodes: Record<ReduceOp, number> = { sum: 0, max: 1 }

/** unaryOps[op](x, p0, p1) for the op whose code is `op`. */
export function applyUnary(op: number, x: number, p0: number, p1: number): number {
  if (op === 0) return x
  if (op === 1) return -x
  if (op === 2) return Math.exp(x)
  if (op === 3) return Math.log(x)
  if (op === 4) return Math.sqrt(x)
  if (op === 5) return Math.abs(x)
  if (op === 6) {
    if (x > 0) return 1
    if (x < 0) return -1
    return 0
  }
  if (op === 7) return 1 / x
  if (op === 8) return x * x
  if (op === 9) {
    // Two branches so exp never overflows.
    if (x >= 0) return 1 / (1 + Math.exp(-x))
    const e = Math.exp(x)
    return e / (1 + e)
  }
  if (op === 10) return Math.tanh(x)
  if (op === 11) {
    if (x !== x) return x // NaN stays NaN, as PyTorch
    return x > 0 ? x : 0
  }
  if (op === 12) return x > 0 ? x : p0 * x
  if (op === 13) {
    if (x < p0) return p0
    if (x > p1) return p1
    return x
  }
  if (op === 14) return Math.log1p(x)
  if (op === 15) return x > 0 ? 1 : 0
  // softplus = max(x, 0) + log1p(e), e = e^-|x|. webgpu has no log1p, and its compiler simplifies
  // the usual tricks away, so for e < 0.3 log1p is its series to e^12 (truncation below 4e-8,
  // relative), and log(1 + e) above, where rounding 1 + e costs less than 3e-7 of the result.
  if (op === 17) {
    const e = Math.exp(-Math.abs(x))
    let l = 0
    if (e < 0.3) {
      // Horner, written out: gpu.js's WGSL has float loop counters, which cannot count down
      const s = 1 / 7 - e * (1 / 8 - e * (1 / 9 - e * (1 / 10 - e * (1 / 11 - e / 12))))
      l = e * (1 - e * (1 / 2 - e * (1 / 3 - e * (1 / 4 - e * (1 / 5 - e * (1 / 6 - e * s))))))
    } else {
      l = Math.log(1 + e)
    }
    return (x > 0 ? x : 0) + l
  }
  // 16, finiteOrZero
  return Math.abs(x) <= 3.4028234663852886e38 ? x : 0
}

/** binaryOps[op](x, y) for the op whose code is `op`. */
export function applyBinary(op: number, x: number, y: number): number {
  if (op === 0) return x + y
  if (op === 1) return x - y
  if (op === 2) return x * y
  if (op === 3) return x / y
  if (op === 4) return Math.pow(x, y)
  // maximum, minimum: a NaN on either side wins (x !== x is NaN; a NaN y fails the comparison)
  if (op === 5) {
    if (x !== x) return x
    return x >= y ? x : y
  }
  if (op === 6) {
    if (x !== x) return x
    return x <= y ? x : y
  }
  if (op === 7) return x > y ? 1 : 0
  if (op === 8) return x >= y ? 1 : 0
  if (op === 9) return x < y ? 1 : 0
  if (op === 10) return x <= y ? 1 : 0
  if (op === 11) return x === y ? 1 : 0
  return x !== y ? 1 : 0 // 12, ne
}

/** One step of a reduction: sum adds; max keeps the larger, and a NaN, once seen, wins. */
export function applyReduce(op: number, acc: number, x: number): number {
  if (op === 0) return acc + x
  if (x > acc || x !== x) return x
  return acc
}
