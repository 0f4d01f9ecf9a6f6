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

export function matmulBackward(grad: Tensor, a: Tensor, b: Tensor, needs: readonly boolean[] = [true, true]): [Tensor | null, Tensor | null] {
  // BEGIN SOLUTION hint: match the shapes: each gradient is a product of grad with the other input, transposed so the shapes fit; then undo broadcasting, and skip what needs says nobody wants
  // HINT 2: a [3, 2], b [2, 3], grad [3, 3]: a's gradient must be [3, 2], and only one product of grad with b or its transpose has that shape; likewise b's gradient [2, 3] is a product of a or its transpose with grad. A batch axis that a or b had size 1 on was broadcast: unbroadcast (exercise 2.2).
  const ga = needs[0] ? unbroadcast(grad.matmul(b.transpose()), a.shape) : null
  const gb = needs[1] ? unbroadcast(a.transpose().matmul(grad), b.shape) : null
  return [ga, gb]
  // END SOLUTION
}
