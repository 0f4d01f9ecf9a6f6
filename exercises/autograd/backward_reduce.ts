// GENERATED from solutions/autograd/backward_reduce.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 2.5: gradients of reductions.
//
// A reduction sends every input element to one output element, so each input's gradient is the
// gradient of the output it went to. `keptShape` is the input's shape with the reduced axes set
// to 1 (the result's shape under keepDims): reshape grad to it, and it broadcasts back.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** out = x.sum(axes) */
export function sumBackward(grad: Tensor, x: Tensor, keptShape: readonly number[]): Tensor {
  // TODO(2.5): every element contributed with slope 1: put grad back in the kept shape and broadcast it over x
  throw new NotImplementedError('2.5', 'every element contributed with slope 1: put grad back in the kept shape and broadcast it over x')
}

/** out = x.mean(axes) */
export function meanBackward(grad: Tensor, x: Tensor, keptShape: readonly number[]): Tensor {
  // TODO(2.5): like the sum's gradient, scaled by how many elements each mean averaged
  throw new NotImplementedError('2.5', 'like the sum\'s gradient, scaled by how many elements each mean averaged')
}

/** out = x.max(axes): the gradient goes to the maxima; ties share it evenly (as PyTorch's amax). */
export function maxBackward(grad: Tensor, x: Tensor, out: Tensor, keptShape: readonly number[]): Tensor {
  const isMax = x.eq(out.reshape(keptShape))
  const ties = isMax.sum(keptShape.flatMap((d, i) => (d === 1 && x.shape[i] !== 1 ? [i] : [])), true)
  return grad.reshape(keptShape).mul(isMax).div(ties)
}
