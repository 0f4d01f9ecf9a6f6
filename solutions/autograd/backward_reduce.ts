// Exercise 2.5: gradients of reductions.
//
// A reduction sends every input element to one output element, so each input's gradient is the
// gradient of the output it went to. `keptShape` is the input's shape with the reduced axes set
// to 1 (the result's shape under keepDims): reshape grad to it, and it broadcasts back.
import type { Tensor } from '../../src/tensor/tensor.ts'

/** out = x.sum(axes) */
export function sumBackward(grad: Tensor, x: Tensor, keptShape: readonly number[]): Tensor {
  // BEGIN SOLUTION hint: every element contributed with slope 1: put grad back in the kept shape and broadcast it over x
  // HINT 2: x [2, 3] summed over axis 1 gives a grad of shape [2]: reshape it to [2, 1] (keptShape) so it lines up with x's rows, then expand it to [2, 3].
  return grad.reshape(keptShape).expand(x.shape)
  // END SOLUTION
}

/** out = x.mean(axes) */
export function meanBackward(grad: Tensor, x: Tensor, keptShape: readonly number[]): Tensor {
  // BEGIN SOLUTION hint: like the sum's gradient, scaled by how many elements each mean averaged
  // HINT 2: x [2, 3] averaged over axis 0 averages 2 elements per output: each gets grad / 2. That count is x's size divided by the size of keptShape, not x's whole size.
  const count = x.size / keptShape.reduce((p, d) => p * d, 1)
  return grad.reshape(keptShape).expand(x.shape).div(count)
  // END SOLUTION
}

/** out = x.max(axes): the gradient goes to the maxima; ties share it evenly (as PyTorch's amax). */
export function maxBackward(grad: Tensor, x: Tensor, out: Tensor, keptShape: readonly number[]): Tensor {
  const isMax = x.eq(out.reshape(keptShape))
  const ties = isMax.sum(keptShape.flatMap((d, i) => (d === 1 && x.shape[i] !== 1 ? [i] : [])), true)
  return grad.reshape(keptShape).mul(isMax).div(ties)
}
