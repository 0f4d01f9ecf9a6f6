// Exercise 2.6: gradients of ops that only move values around.
//
// A view does no arithmetic, so its gradient moves the incoming gradient back to where each value
// came from: undo the reshape, undo the permutation.
import type { Tensor } from '../../src/tensor/tensor.ts'
import type { SliceRange } from '../../src/tensor/shape.ts'
import { zeros } from '../../src/tensor/creation.ts'
import { assign } from '../../src/tensor/raw/ops.ts'
import { unbroadcast } from '#kata/autograd/backward_arith'

/** out = x.reshape(...) */
export function reshapeBackward(grad: Tensor, x: Tensor): Tensor {
  // BEGIN SOLUTION hint: a reshape moves no values: undo it
  // HINT 2: grad arrives in the output's shape; the gradient of x must have x's shape, with the values in the same order.
  return grad.reshape(x.shape)
  // END SOLUTION
}

/** out = x.permute(...dims): out axis i is x axis dims[i]. transpose() is a permute too. */
export function permuteBackward(grad: Tensor, dims: readonly number[]): Tensor {
  // BEGIN SOLUTION hint: undo the permutation with its inverse
  // HINT 2: dims [1, 2, 0] puts x's axis 1 first; to send each axis back, the inverse lists, for each axis of x, where it went: [2, 0, 1]. Permuting by dims again is only right for 2 axes.
  const inverse = new Array<number>(dims.length)
  dims.forEach((axis, i) => (inverse[axis] = i))
  return grad.permute(...inverse)
  // END SOLUTION
}

// Worked examples.

/** out = x.expand(shape): the repeated values sum, just as for broadcasting. */
export function expandBackward(grad: Tensor, x: Tensor): Tensor {
  return unbroadcast(grad, x.shape)
}

/** out = x.slice(ranges): the gradient lands in the sliced positions, zeros elsewhere. */
export function sliceBackward(grad: Tensor, x: Tensor, ranges: readonly SliceRange[]): Tensor {
  const full = zeros(x.shape, { dtype: grad.dtype })
  assign(full.slice(...ranges), grad)
  return full
}

/** out = concat(tensors, axis): each input takes back its own block of the gradient. */
export function concatBackward(grad: Tensor, tensors: readonly Tensor[], axis: number): Tensor[] {
  let start = 0
  return tensors.map((t) => {
    const block = grad.narrow(axis, start, t.shape[axis]!)
    start += t.shape[axis]!
    return block
  })
}
