// Exercise 2.2: gradients of the arithmetic ops, and of broadcasting.
//
// Each function gets dL/d(out) as `grad` (the shape of the broadcast result) and returns
// dL/d(input) for each input, in the input's own shape. When an input was broadcast, the same
// value was used at many places of the output; its gradient is the sum over those places
// (unbroadcast). All the math here uses ordinary tensor methods: backward runs with grad mode
// off, so nothing it computes is recorded.
import type { Tensor } from '../../src/tensor/tensor.ts'

/** Sum `grad` down to `shape`: over the leading axes broadcasting added, and over axes where shape has size 1. */
export function unbroadcast(grad: Tensor, shape: readonly number[]): Tensor {
  // BEGIN SOLUTION hint: sum grad over every axis that broadcasting added or stretched, keeping dims, then reshape to shape
  // HINT 2: grad [2, 3] to shape [3]: axis 0 was added in front, so sum it away; to shape [2, 1]: axis 1 was stretched from 1 to 3, so sum it with keepDims. Both kinds can happen at once.
  const lead = grad.ndim - shape.length
  const axes: number[] = []
  for (let i = 0; i < grad.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i)
  }
  const summed = axes.length > 0 ? grad.sum(axes, true) : grad
  return summed.reshape(shape)
  // END SOLUTION
}

/** out = a + b */
export function addBackward(grad: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  // BEGIN SOLUTION hint: each input's local derivative is 1; undo the broadcasting of each
  // HINT 2: a [2, 3] + b [3]: a's gradient is grad itself, b's is grad summed over the rows, shape [3]. Every gradient must come back in its input's shape.
  return [unbroadcast(grad, a.shape), unbroadcast(grad, b.shape)]
  // END SOLUTION
}

/** out = a - b (a worked example: the sign is the only change from add). */
export function subBackward(grad: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  return [unbroadcast(grad, a.shape), unbroadcast(grad.neg(), b.shape)]
}

/** out = a * b */
export function mulBackward(grad: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  // BEGIN SOLUTION hint: the product rule, then undo the broadcasting
  // HINT 2: a = [1, 2, 3], b = [4, 5, 6], grad = [1, 10, 100]: a's gradient is [4, 50, 600] (each input gets grad times the OTHER input).
  return [unbroadcast(grad.mul(b), a.shape), unbroadcast(grad.mul(a), b.shape)]
  // END SOLUTION
}

/** out = a / b */
export function divBackward(grad: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  // BEGIN SOLUTION hint: the quotient rule (or a times the reciprocal of b), then undo the broadcasting
  // HINT 2: at a = 3, b = 2, grad = 1: a's gradient is 0.5 and b's is -0.75. Mind the sign of b's gradient.
  return [unbroadcast(grad.div(b), a.shape), unbroadcast(grad.mul(a).div(b.mul(b)).neg(), b.shape)]
  // END SOLUTION
}

/** out = a ** b; d/db uses log(a), defined only where a > 0 (elsewhere b is usually a constant). */
export function powBackward(grad: Tensor, a: Tensor, b: Tensor, out: Tensor): [Tensor, Tensor | null] {
  const da = grad.mul(b).mul(a.pow(b.sub(1)))
  if (!b.requiresGrad) return [unbroadcast(da, a.shape), null]
  return [unbroadcast(da, a.shape), unbroadcast(grad.mul(out).mul(a.log()), b.shape)]
}

/** out = maximum(a, b) or minimum(a, b): the gradient goes to the winner; a tie splits it evenly. */
export function extremumBackward(grad: Tensor, a: Tensor, b: Tensor, out: Tensor): [Tensor, Tensor] {
  const aWins = a.eq(out)
  const bWins = b.eq(out)
  const share = aWins.add(bWins)
  return [unbroadcast(grad.mul(aWins).div(share), a.shape), unbroadcast(grad.mul(bWins).div(share), b.shape)]
}
