// Element-wise ops and reductions for float32. Two paths:
//   - WebAssembly SIMD (kernels.wat, map and zip) for the common ops on large tensors whose innermost
//     run is dense or broadcast: operands resident in wasm memory (resident.ts) are read where they
//     are, others copied in (a memcpy), and four lanes at a time (with vector exp and log) beat a
//     scalar loop several times over;
//   - TypeScript loops for everything else: one loop per op, so V8 inlines the arithmetic (a shared
//     loop calling the op through a table, as the reference backend does, cannot). They read and
//     write resident storage through a view of wasm memory, without downloading it.
// Both first collapse the shape: axes that are contiguous for every operand merge into one, so a
// dense tensor is one flat run, a bias added to [batch, features] one run per row, and a sum over
// the batch axis adds whole rows into a row of accumulators.
import type { Strided } from '../../tensor/strided.ts'
import { sizeOf } from '../../tensor/strided.ts'
import type { BinaryOp, ReduceOp, UnaryOp } from '../../tensor/scalar_ops.ts'
import { alloc, beginCall, getRuntime, heap } from './wasm.ts'
import { parallel } from './pool.ts'
import { finishOutput, hostView, outputAddress, residentAddress, stageDense } from './resident.ts'

type F32 = Float32Array
/** d[o + j] = op(x[i + j*s]) for j < n. */
type MapLoop = (d: F32, o: number, x: F32, i: number, s: number, n: number, p0: number, p1: number) => void
/** d[o + j] = op(a[i + j*sa], b[k + j*sb]) for j < n. */
type ZipLoop = (d: F32, o: number, a: F32, i: number, sa: number, b: F32, k: number, sb: number, n: number) => void

const mapLoops: Record<UnaryOp, MapLoop> = {
  copy: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) d[o + j] = x[i + j * s]! },
  neg: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) d[o + j] = -x[i + j * s]! },
  exp: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) d[o + j] = Math.exp(x[i + j * s]!) },
  log: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) d[o + j] = Math.log(x[i + j * s]!) },
  sqrt: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) d[o + j] = Math.sqrt(x[i + j * s]!) },
  abs: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) d[o + j] = Math.abs(x[i + j * s]!) },
  sign: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) { const v = x[i + j * s]!; d[o + j] = v > 0 ? 1 : v < 0 ? -1 : 0 } },
  reciprocal: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) d[o + j] = 1 / x[i + j * s]! },
  square: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) { const v = x[i + j * s]!; d[o + j] = v * v } },
  // The same two branches as scalar_ops' sigmoid, so exp never overflows.
  sigmoid: (d, o, x, i, s, n) => {
    for (let j = 0; j < n; j++) {
      const v = x[i + j * s]!
      if (v >= 0) d[o + j] = 1 / (1 + Math.exp(-v))
      else { const e = Math.exp(v); d[o + j] = e / (1 + e) }
    }
  },
  tanh: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) d[o + j] = Math.tanh(x[i + j * s]!) },
  relu: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) { const v = x[i + j * s]!; d[o + j] = v > 0 || v !== v ? v : 0 } },
  leakyRelu: (d, o, x, i, s, n, slope) => { for (let j = 0; j < n; j++) { const v = x[i + j * s]!; d[o + j] = v > 0 ? v : slope * v } },
  clamp: (d, o, x, i, s, n, lo, hi) => { for (let j = 0; j < n; j++) { const v = x[i + j * s]!; d[o + j] = v < lo ? lo : v > hi ? hi : v } },
  log1p: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) d[o + j] = Math.log1p(x[i + j * s]!) },
  step: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) d[o + j] = x[i + j * s]! > 0 ? 1 : 0 },
  finiteOrZero: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) { const v = x[i + j * s]!; d[o + j] = Number.isFinite(v) ? v : 0 } },
  softplus: (d, o, x, i, s, n) => { for (let j = 0; j < n; j++) { const v = x[i + j * s]!; d[o + j] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v))) } },
}

const zipLoops: Record<BinaryOp, ZipLoop> = {
  add: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = a[i + j * sa]! + b[k + j * sb]! },
  sub: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = a[i + j * sa]! - b[k + j * sb]! },
  mul: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = a[i + j * sa]! * b[k + j * sb]! },
  div: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = a[i + j * sa]! / b[k + j * sb]! },
  pow: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = Math.pow(a[i + j * sa]!, b[k + j * sb]!) },
  maximum: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) { const x = a[i + j * sa]!, y = b[k + j * sb]!; d[o + j] = x >= y || x !== x ? x : y } },
  minimum: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) { const x = a[i + j * sa]!, y = b[k + j * sb]!; d[o + j] = x <= y || x !== x ? x : y } },
  gt: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = a[i + j * sa]! > b[k + j * sb]! ? 1 : 0 },
  ge: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = a[i + j * sa]! >= b[k + j * sb]! ? 1 : 0 },
  lt: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = a[i + j * sa]! < b[k + j * sb]! ? 1 : 0 },
  le: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = a[i + j * sa]! <= b[k + j * sb]! ? 1 : 0 },
  eq: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = a[i + j * sa]! === b[k + j * sb]! ? 1 : 0 },
  ne: (d, o, a, i, sa, b, k, sb, n) => { for (let j = 0; j < n; j++) d[o + j] = a[i + j * sa]! !== b[k + j * sb]! ? 1 : 0 },
}

/** A view's strides aligned to `shape` (its leading axes missing, or of size 1, read with stride 0). */
function alignedStrides(t: Strided, shape: readonly number[]): number[] {
  const lead = shape.length - t.shape.length
  return shape.map((d, axis) => (axis < lead || t.shape[axis - lead] !== d ? 0 : t.strides[axis - lead]!))
}

/**
 * Merge axes that every operand walks contiguously (axis i into i+1 when stride[i] = stride[i+1] *
 * shape[i+1] for all) and drop size-1 axes. Returns the collapsed shape and each operand's strides.
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = []
  const outStrides: number[][] = strides.map(() => [])
  for (let axis = 0; axis < shape.length; axis++) {
    const d = shape[axis]!
    if (d === 1) continue
    const last = outShape.length - 1
    if (last >= 0 && strides.every((s, t) => outStrides[t]![last] === s[axis]! * d)) {
      outShape[last]! *= d
      strides.forEach((s, t) => (outStrides[t]![last] = s[axis]!))
    } else {
      outShape.push(d)
      strides.forEach((s, t) => outStrides[t]!.push(s[axis]!))
    }
  }
  return { shape: outShape, strides: outStrides }
}

/**
 * Walk the outer axes of a collapsed iteration, calling `row` with each operand's offset at the
 * start of an innermost run of length shape[last].
 */
function forEachRow(shape: number[], strides: number[][], bases: number[], row: (offsets: number[]) => void): void {
  const nd = shape.length
  const offsets = bases.slice()
  if (nd <= 1) {
    row(offsets)
    return
  }
  const index = new Array<number>(nd - 1).fill(0)
  for (;;) {
    row(offsets)
    let axis = nd - 2
    for (; axis >= 0; axis--) {
      strides.forEach((s, t) => (offsets[t]! += s[axis]!))
      if (++index[axis]! < shape[axis]!) break
      strides.forEach((s, t) => (offsets[t]! -= s[axis]! * shape[axis]!))
      index[axis] = 0
    }
    if (axis < 0) return
  }
}

/** True when t holds exactly `shape` contiguously (size-1 axes may have any stride). */
function isDenseOver(t: Strided, shape: readonly number[]): boolean {
  if (t.shape.length !== shape.length) return false
  let expected = 1
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (t.shape[axis] !== shape[axis]) return false
    if (shape[axis] !== 1 && t.strides[axis] !== expected) return false
    expected *= shape[axis]!
  }
  return true
}

function outStrides(out: Strided): number[] {
  const strides = new Array<number>(out.shape.length)
  for (let axis = out.shape.length - 1, s = 1; axis >= 0; axis--) {
    strides[axis] = s
    s *= out.shape[axis]!
  }
  return strides
}

/** The ops kernels.wat's map and zip implement, by their op codes there. */
const simdMap: Partial<Record<UnaryOp, number>> = {
  copy: 0, neg: 1, abs: 2, sqrt: 3, square: 4, reciprocal: 5, relu: 6, clamp: 7, exp: 8, log: 9, sigmoid: 10, step: 11, leakyRelu: 12,
}
const simdZip: Partial<Record<BinaryOp, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, gt: 6, ge: 7, lt: 8, le: 9, eq: 10, ne: 11,
}
export const tuning = {
  /** Below this many elements the copies in and out of wasm memory are not worth it. */
  simdMin: 512,
  /** Shortest innermost run the SIMD zip takes (each run is one call into wasm). */
  simdMinRun: 16,
  /** Element-wise and reduction jobs at least this large are split across the worker threads. */
  threadMin: 1 << 16,
  /** Floats per item of a threaded element-wise job (a multiple of 16: items start on whole cache lines). */
  threadGrain: 1 << 14,
}

/** The span of storage a view covers in wasm memory (copied in unless resident); returns the byte address of element `offset`. */
function stageSpan(t: Strided): (offset: number) => number {
  const resident = residentAddress(t)
  if (resident >= 0) return (offset) => resident + (offset - t.offset) * 4
  let lo = t.offset
  let hi = t.offset
  t.shape.forEach((d, axis) => {
    const reach = (d - 1) * t.strides[axis]!
    if (reach < 0) lo += reach
    else hi += reach
  })
  const at = alloc(hi - lo + 1)
  heap().set(t.data.subarray(lo, hi + 1), at / 4)
  return (offset) => at + (offset - lo) * 4
}

export function mapF32(op: UnaryOp, a: Strided, out: Strided, p0: number, p1: number): void {
  const size = sizeOf(out.shape)
  if (size === 0) return
  const code = simdMap[op]
  if (op === 'copy' && size >= tuning.simdMin && !isDenseOver(a, out.shape)) {
    // A strided view made dense (a transposed gradient, say), when it is two axes after collapsing.
    const { shape, strides } = collapse(out.shape, [outStrides(out), alignedStrides(a, out.shape)])
    if (shape.length === 2) {
      const { kernels } = getRuntime()
      beginCall()
      const at = stageSpan(a)
      const dst = outputAddress(out, size)
      kernels.copy2d(at(a.offset), strides[1]![0]! * 4, strides[1]![1]! * 4, shape[1]!, dst, 0, shape[0]!)
      finishOutput(dst, out, size)
      return
    }
  }
  if (code !== undefined && size >= tuning.simdMin && isDenseOver(a, out.shape)) {
    // One pass from a's values (where they are, or copied in) to out's (in place when resident).
    // Threaded items start on multiples of 16 floats, so a vector that runs past an item's end
    // reads and writes only the next item's first floats with the same values, never in place twice.
    getRuntime()
    beginCall()
    const src = stageDense(a)
    // A copied-in a is scratch, so an ordinary out is computed in place there; a resident a is not.
    const dst = residentAddress(out) >= 0 || residentAddress(a) >= 0 ? outputAddress(out, size) : src
    const params = alloc(4) // p0 and p1 as float64
    new Float64Array(heap().buffer, params, 2).set([p0, p1])
    parallel('map_range', [code, src, dst, params, 0, 0], 4, size, size >= tuning.threadMin ? tuning.threadGrain : size, size >= tuning.threadMin)
    finishOutput(dst, out, size)
    return
  }
  const loop = mapLoops[op]
  const { shape, strides } = collapse(out.shape, [outStrides(out), alignedStrides(a, out.shape)])
  const n = shape.length === 0 ? 1 : shape[shape.length - 1]!
  const sa = strides[1]!.length === 0 ? 0 : strides[1]![strides[1]!.length - 1]!
  const o = hostView(out)
  const x = hostView(a)
  const dst = o.data as F32
  const src = x.data as F32
  forEachRow(shape, strides, [o.offset, x.offset], ([at, i]) => loop(dst, at!, src, i!, sa, n, p0, p1))
}

export function zipF32(op: BinaryOp, a: Strided, b: Strided, out: Strided): void {
  const size = sizeOf(out.shape)
  if (size === 0) return
  const loop = zipLoops[op]
  const { shape, strides } = collapse(out.shape, [outStrides(out), alignedStrides(a, out.shape), alignedStrides(b, out.shape)])
  const n = shape.length === 0 ? 1 : shape[shape.length - 1]!
  const [, sa, sb] = strides.map((s) => (s.length === 0 ? 0 : s[s.length - 1]!)) as [number, number, number]
  const code = simdZip[op]
  if (code !== undefined && size >= tuning.simdMin && n >= tuning.simdMinRun && (sa === 0 || sa === 1) && (sb === 0 || sb === 1)) {
    // Innermost runs of n floats; a run with stride 0 reads one value, broadcast.
    const { kernels } = getRuntime()
    beginCall()
    const atA = stageSpan(a)
    const atB = stageSpan(b)
    const dst = outputAddress(out, size)
    if (shape.length <= 3) zipRows(code, shape, strides, size, atA(a.offset), atB(b.offset), dst)
    else forEachRow(shape, strides, [0, a.offset, b.offset], ([o, i, k]) => kernels.zip(code, atA(i!), sa * 16, atB(k!), sb * 16, dst + o! * 4, n))
    finishOutput(dst, out, size)
    return
  }
  const o = hostView(out)
  const x = hostView(a)
  const y = hostView(b)
  const dst = o.data as F32
  const ad = x.data as F32
  const bd = y.data as F32
  forEachRow(shape, strides, [o.offset, x.offset, y.offset], ([at, i, k]) => loop(dst, at!, ad, i!, sa, bd, k!, sb, n))
}

/**
 * A collapsed zip of at most three axes [Q, J, n] (size floats in all) in one call of zip_rows (rows
 * r = q*J + j), split across the threads when it is large. A dense zip (one axis) is cut into rows of threadGrain floats
 * first, its last partial row run on its own. Each row is rounded up to whole vectors, so it writes
 * past its end into the next row's first floats (which that row then overwrites): rows run by
 * different threads must not share a vector, so threads need n to be a multiple of 4.
 */
function zipRows(code: number, shape: number[], strides: number[][], size: number, a: number, b: number, dst: number): void {
  const [, as, bs] = strides as [number[], number[], number[]]
  let dims = shape
  let sa = as
  let sb = bs
  if (shape.length === 1 && size >= tuning.threadMin) {
    const n = tuning.threadGrain
    const rows = Math.floor(size / n)
    const tail = size - rows * n
    if (tail > 0) getRuntime().kernels.zip(code, a + rows * n * as[0]! * 4, as[0]! * 16, b + rows * n * bs[0]! * 4, bs[0]! * 16, dst + rows * n * 4, tail)
    dims = [rows, n]
    sa = [n * as[0]!, as[0]!]
    sb = [n * bs[0]!, bs[0]!]
  }
  while (dims.length < 3) {
    dims = [1, ...dims]
    sa = [0, ...sa]
    sb = [0, ...sb]
  }
  const [q, j, n] = dims as [number, number, number]
  const rows = q * j
  const threads = size >= tuning.threadMin && n % 4 === 0
  const grain = threads ? Math.max(1, Math.ceil(tuning.threadGrain / n)) : rows
  parallel('zip_rows', [code, a, sa[0]! * 4, sa[1]! * 4, sa[2]! * 16, b, sb[0]! * 4, sb[1]! * 4, sb[2]! * 16, dst, j, n, 0, 0], 12, rows, grain, threads)
}

/**
 * out has a's shape with the reduced axes set to 1. The two layouts that training produces most,
 * a dense tensor reduced over its trailing axes (rows) or its leading axes (columns: the batch sum
 * of a gradient), run in wasm; anything else walks a in its own order in TypeScript. Both
 * accumulate sums in float64.
 */
export function reduceF32(op: ReduceOp, a: Strided, out: Strided): void {
  const size = sizeOf(out.shape)
  if (size === 0) return
  // out as a view of a's shape: stride 0 along the reduced axes.
  const oStrides = outStrides(out).map((s, axis) => (out.shape[axis] === 1 ? 0 : s))
  const { shape, strides } = collapse(a.shape, [a.strides, oStrides])
  const [sa, so] = strides as [number[], number[]]
  const total = shape.reduce((p, d) => p * d, 1)
  if (total === 0) {
    const o = hostView(out)
    o.data.fill(op === 'sum' ? 0 : -Infinity, o.offset, o.offset + size)
    return
  }
  const dense = sa.every((s, axis) => s === shape.slice(axis + 1).reduce((p, d) => p * d, 1))
  const code = op === 'sum' ? 0 : 1
  if (dense && total >= tuning.simdMin && shape.length <= 2) {
    const { kernels } = getRuntime()
    beginCall()
    const src = stageDense(a)
    const dst = outputAddress(out, size)
    const n = shape.length === 0 ? 1 : shape[shape.length - 1]!
    if (so[so.length - 1] === 0) kernels.reduce_rows(code, src, dst, n, 0, total / n) // rows, or everything
    else kernels.reduce_columns(code, src, dst, alloc(2 * n), n, total / n)
    finishOutput(dst, out, size)
    return
  }
  if (dense && total >= tuning.simdMin && shape.length === 3 && so[0] === 0 && so[1] !== 0 && so[2] === 0) {
    // [A, B, C] reduced over A and C, keeping B: a per-channel sum of [N, C, H, W] (batch norm's
    // statistics, a convolution's bias gradient), channels split across the threads.
    const [outer, middle, inner] = shape as [number, number, number]
    getRuntime()
    beginCall()
    const src = stageDense(a)
    const dst = outputAddress(out, middle)
    parallel('reduce_middle', [code, src, dst, outer, middle, inner, 0, 0], 6, middle, Math.max(1, Math.ceil(middle / 16)), total >= tuning.threadMin)
    finishOutput(dst, out, middle)
    return
  }
  if (op === 'sum') sumLoop(a, out, shape, strides)
  else maxLoop(a, out, shape, strides)
}

function sumLoop(a: Strided, out: Strided, shape: number[], strides: number[][]): void {
  const o = hostView(out)
  const x = hostView(a)
  const acc = new Float64Array(sizeOf(out.shape))
  const src = x.data as F32
  const n = shape.length === 0 ? 1 : shape[shape.length - 1]!
  const sa = shape.length === 0 ? 0 : strides[0]![shape.length - 1]!
  const so = shape.length === 0 ? 0 : strides[1]![shape.length - 1]!
  forEachRow(shape, strides, [x.offset, 0], ([i, at]) => {
    if (so === 0) {
      let r = acc[at!]!
      for (let j = 0; j < n; j++) r += src[i! + j * sa]!
      acc[at!] = r
    } else {
      for (let j = 0; j < n; j++) acc[at! + j * so]! += src[i! + j * sa]!
    }
  })
  o.data.set(acc, o.offset)
}

function maxLoop(a: Strided, out: Strided, shape: number[], strides: number[][]): void {
  const o = hostView(out)
  const x = hostView(a)
  const acc = new Float64Array(sizeOf(out.shape)).fill(-Infinity)
  const src = x.data as F32
  const n = shape.length === 0 ? 1 : shape[shape.length - 1]!
  const sa = shape.length === 0 ? 0 : strides[0]![shape.length - 1]!
  const so = shape.length === 0 ? 0 : strides[1]![shape.length - 1]!
  forEachRow(shape, strides, [x.offset, 0], ([i, at]) => {
    for (let j = 0; j < n; j++) {
      const v = src[i! + j * sa]!
      const k = at! + j * so
      // NaN wins, as in scalar_ops.ts.
      if (v > acc[k]! || v !== v) acc[k] = v
    }
  })
  o.data.set(acc, o.offset)
}
