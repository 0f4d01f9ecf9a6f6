// GENERATED from solutions/autograd/backward_matmul.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 2.4: the gradient of a matrix product.
//
// out = a @ b with a [n, k], b [k, m]. Each out[i, j] = sum_p a[i, p] b[p, j], so
// dL/da[i, p] = sum_j grad[i, j] b[p, j]  ->  grad @ b^T   ([n, m] @ [m, k] = [n, k])
// dL/db[p, j] = sum_i a[i, p] grad[i, j]  ->  a^T @ grad   ([k, n] @ [n, m] = [k, m])
// Batched inputs work the same on the last two axes; a batch axis that was broadcast sums back.
// Each product costs as much as the forward one, so skip the one nobody needs (needs[i] false:
// input i does not require grad, like the data batch x in x @ W^T) and return null in its place.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { unbroadcast } from '#kata/autograd/backward_arith'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

export function matmulBackward(grad: Tensor, a: Tensor, b: Tensor, needs: readonly boolean[] = [true, true]): [Tensor | null, Tensor | null] {
  // TODO(2.4): match the shapes: each gradient is a product of grad with the other input, transposed so the shapes fit; then undo broadcasting, and skip what needs says nobody wants
  throw new NotImplementedError('2.4', 'match the shapes: each gradient is a product of grad with the other input, transposed so the shapes fit; then undo broadcasting, and skip what needs says nobody wants')
}
