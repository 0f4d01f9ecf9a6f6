// GENERATED from solutions/nn/linear.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 4.4: the affine map of a fully connected layer, y = x W^T + b.
//
// The weight is stored [out, in] as in PyTorch, so each output feature is a row of W, and
//   y[..., o] = sum_i x[..., i] W[o, i] + b[o]
// x may have any number of leading (batch) axes: matmul broadcasts over them, and the bias [out]
// broadcasts over every row. Built from differentiable ops, its gradient comes for free.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** x [..., in], weight [out, in], bias [out] or null -> [..., out]. */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  // TODO(4.4): an affine map: a matrix product with the weight (stored [out, in]), plus the bias broadcast over every row
  throw new NotImplementedError('4.4', 'an affine map: a matrix product with the weight (stored [out, in]), plus the bias broadcast over every row')
}
