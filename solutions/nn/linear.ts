// Exercise 4.4: the affine map of a fully connected layer, y = x W^T + b.
//
// The weight is stored [out, in] as in PyTorch, so each output feature is a row of W, and
//   y[..., o] = sum_i x[..., i] W[o, i] + b[o]
// x may have any number of leading (batch) axes: matmul broadcasts over them, and the bias [out]
// broadcasts over every row. Built from differentiable ops, its gradient comes for free.
import type { Tensor } from '../../src/tensor/tensor.ts'

/** x [..., in], weight [out, in], bias [out] or null -> [..., out]. */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  // BEGIN SOLUTION hint: an affine map: a matrix product with the weight (stored [out, in]), plus the bias broadcast over every row
  // HINT 2: x [2, 3] and weight [4, 3] must give [2, 4]: the weight has to be transposed for the product to fit. The bias [4] then broadcasts over the 2 rows; with no bias, return the product.
  const y = x.matmul(weight.transpose())
  return bias ? y.add(bias) : y
  // END SOLUTION
}
