// GENERATED from solutions/autograd/backward_shape.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 2.6: gradients of ops that only move values around.
//
// A view does no arithmetic, so its gradient moves the incoming gradient back to where each value
// came from: undo the reshape, undo the permutation.
import type { Tensor } from '../../src/tensor/tensor.ts'
import type { SliceRange } from '../../src/tensor/shape.ts'
import { zeros } from '../../src/tensor/creation.ts'
import { assign } from '../../src/tensor/raw/ops.ts'
import { unbroadcast } from '#kata/autograd/backward_arith'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** out = x.reshape(...) */
export function reshapeBackward(grad: Tensor, x: Tensor): Tensor {
  // TODO(2.6): a reshape moves no values: undo it
  throw new NotImplementedError('2.6', 'a reshape moves no values: undo it')
}

/** out = x.permute(...dims): out axis i is x axis dims[i]. transpose() is a permute too. */
export function permuteBackward(grad: Tensor, dims: readonly number[]): Tensor {
  // TODO(2.6): undo the permutation with its inverse
  throw new NotImplementedError('2.6', 'undo the permutation with its inverse')
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
