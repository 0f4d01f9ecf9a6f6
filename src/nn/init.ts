// Seeded weight initialisation. PyTorch's Linear default: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for
// weight and bias (kaiming_uniform with a = sqrt(5) works out to that bound).
import type { Tensor } from '../tensor/tensor.ts'
import { rand } from '../tensor/creation.ts'
import type { Rng } from '../tensor/random.ts'

export function uniformParameter(shape: readonly number[], bound: number, rng: Rng): Tensor {
  return rand(shape, { rng, low: -bound, high: bound, requiresGrad: true })
}
