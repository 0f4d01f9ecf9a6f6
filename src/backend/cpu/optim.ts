// Adam's update as one WebAssembly pass over a parameter and its two moments, split across the
// thread pool. The reference rule in JavaScript (solutions/nn/optim/adam.ts) reads like Algorithm 1
// and spends about 10 ns a value on float64 divisions and square roots, which made Adam a fifth
// of an FC VAE step. kernels.wat's adam computes the same float64 operations in the same order,
// two lanes at a time, so its p, m and v are the reference's bit for bit (tests/backend/cpu_adam).
import { addressOf, alloc, beginCall, getRuntime, heap } from './wasm.ts'
import { parallel } from './pool.ts'
import { isFloat32, stageDense } from './resident.ts'
import type { FusedAdamHyper } from '../backend.ts'
import type { Strided } from '../../tensor/strided.ts'
import { isContiguous, sizeOf } from '../../tensor/strided.ts'


/** Values per work item: 64 KiB of each array, enough to pay for a hand-off between threads. */
const GRAIN = 16384

/**
 * One Adam update of float32 param, m and v in place from grad (read where it lives: a resident
 * gradient is not downloaded). Returns false, changing nothing, when any of them is not float32 or
 * the gradient is not contiguous: the reference rule then runs.
 */
export function adamF32(param: ArrayLike<number>, grad: Strided, m: ArrayLike<number>, v: ArrayLike<number>, h: FusedAdamHyper): boolean {
  if (!(param instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array && isFloat32(grad) && isContiguous(grad))) return false
  const n = param.length
  const gradSize = sizeOf(grad.shape)
  if (gradSize !== n || m.length !== n || v.length !== n) {
    throw new RangeError(`adam: the parameter has ${n} values but its gradient ${gradSize}, m ${m.length} and v ${v.length}`)
  }
  if (n === 0) return true
  getRuntime()
  beginCall()
  // Arrays already in wasm memory (m and v from allocateState) are updated where they are; the
  // others are copied in, and back out afterwards.
  const copied: [Float32Array, number][] = []
  const place = (array: Float32Array): number => {
    const at = addressOf(array)
    if (at >= 0) return at
    const address = alloc(n)
    heap().set(array, address / 4)
    copied.push([array, address])
    return address
  }
  const addresses = [place(param), stageDense(grad), place(m), place(v)]
  const constants = alloc(20) // ten float64s
  const { lr, beta1, beta2, eps, weightDecay, decoupled, step } = h
  // Each constant as the reference rule computes it.
  new Float64Array(heap().buffer, constants, 10).set([beta1, 1 - beta1, beta2, 1 - beta2, 1 - beta1 ** step, 1 - beta2 ** step, lr, eps, weightDecay, 1 - lr * weightDecay])
  parallel('adam', [...addresses, constants, decoupled ? 1 : 0, 0, 0], 6, n, GRAIN, n > GRAIN)
  const out = heap()
  for (const [array, address] of copied) array.set(out.subarray(address / 4, address / 4 + n))
  return true
}
