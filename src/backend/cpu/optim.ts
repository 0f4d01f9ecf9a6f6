// Optimizer updates as one WebAssembly pass over a parameter and its buffers. Adam's rule in
// JavaScript (solutions/nn/optim/adam.ts) is clear and slow: about 10 ns a value (float64 square
// roots and divisions), a fifth of an FC VAE step. Here it runs four values at a time (kernels.wat,
// adam): m and v as the reference computes them, bit for bit; the step in float32, which moves the
// parameter by at most about one unit in its last place.
import { alloc, beginCall, getRuntime, heap } from './wasm.ts'

/** Adam's hyperparameters, as the reference rule (AdamHyper) takes them. */
export interface AdamUpdateHyper {
  lr: number
  beta1: number
  beta2: number
  eps: number
  weightDecay: number
  decoupled: boolean
}

/**
 * One Adam update at step t (t = 1 first) of float32 param, m and v in place from grad. Returns
 * false, and changes nothing, when an array is not a Float32Array (float64 parameters keep the
 * reference rule).
 */
export function adamUpdateF32(param: ArrayLike<number>, grad: ArrayLike<number>, m: ArrayLike<number>, v: ArrayLike<number>, t: number, h: AdamUpdateHyper): boolean {
  if (!(param instanceof Float32Array && grad instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array)) return false
  const n = param.length
  if (grad.length !== n || m.length !== n || v.length !== n) {
    throw new RangeError(`adam: the parameter has ${n} values but its gradient ${grad.length}, m ${m.length} and v ${v.length}`)
  }
  if (n === 0) return true
  const { lr, beta1, beta2, eps, weightDecay, decoupled } = h
  // The constants exactly as the reference rule computes them.
  const stepSize = lr / (1 - beta1 ** t)
  const c2Sqrt = Math.sqrt(1 - beta2 ** t)
  const shrink = decoupled ? 1 - lr * weightDecay : 1
  const l2 = decoupled ? 0 : weightDecay
  const { kernels } = getRuntime()
  beginCall()
  const p = alloc(n)
  const g = alloc(n)
  const mm = alloc(n)
  const vv = alloc(n)
  const f = heap()
  f.set(param, p / 4)
  f.set(grad, g / 4)
  f.set(m, mm / 4)
  f.set(v, vv / 4)
  kernels.adam(p, g, mm, vv, n, beta1, 1 - beta1, beta2, 1 - beta2, Math.fround(stepSize), Math.fround(1 / c2Sqrt), Math.fround(eps), Math.fround(shrink), l2)
  const out = heap()
  param.set(out.subarray(p / 4, p / 4 + n))
  m.set(out.subarray(mm / 4, mm / 4 + n))
  v.set(out.subarray(vv / 4, vv / 4 + n))
  return true
}
