// Adam's update as one WebAssembly pass over a parameter and its two moments, split across the
// thread pool. The reference rule in JavaScript (solutions/nn/optim/adam.ts) reads like Algorithm 1
// and spends about 10 ns a value on float64 divisions and square roots, which made Adam a fifth
// of an FC VAE step. kernels.wat's adam computes the same float64 operations in the same order,
// two lanes at a time, so its p, m and v are the reference's bit for bit (tests/backend/cpu_adam).
import { alloc, beginCall, getRuntime, heap } from './wasm.ts'
import { parallel } from './pool.ts'
import type { FusedAdamHyper } from '../backend.ts'


/** Values per work item: 64 KiB of each array, enough to pay for a hand-off between threads. */
const GRAIN = 16384

/**
 * One Adam update of float32 param, m and v in place from grad. Returns false, changing nothing,
 * when any of them is not a Float32Array: float64 parameters keep the reference rule.
 */
export function adamF32(param: ArrayLike<number>, grad: ArrayLike<number>, m: ArrayLike<number>, v: ArrayLike<number>, h: FusedAdamHyper): boolean {
  if (!(param instanceof Float32Array && grad instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array)) return false
  const n = param.length
  if (grad.length !== n || m.length !== n || v.length !== n) {
    throw new RangeError(`adam: the parameter has ${n} values but its gradient ${grad.length}, m ${m.length} and v ${v.length}`)
  }
  if (n === 0) return true
  getRuntime()
  beginCall()
  const addresses = [alloc(n), alloc(n), alloc(n), alloc(n)]
  const constants = alloc(20) // ten float64s
  const f = heap()
  ;[param, grad, m, v].forEach((array, k) => f.set(array, addresses[k]! / 4))
  const { lr, beta1, beta2, eps, weightDecay, decoupled, step } = h
  // Each constant as the reference rule computes it.
  new Float64Array(f.buffer, constants, 10).set([beta1, 1 - beta1, beta2, 1 - beta2, 1 - beta1 ** step, 1 - beta2 ** step, lr, eps, weightDecay, 1 - lr * weightDecay])
  parallel('adam', [...addresses, constants, decoupled ? 1 : 0, 0, 0], 6, n, GRAIN, n > GRAIN)
  const out = heap()
  const [p, , mm, vv] = addresses.map((a) => a / 4)
  param.set(out.subarray(p!, p! + n))
  m.set(out.subarray(mm!, mm! + n))
  v.set(out.subarray(vv!, vv! + n))
  return true
}
