// GENERATED from solutions/autograd/backward_arith.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 2.2: gradients of the arithmetic ops, and of broadcasting.
//
// Each function gets dL/d(out) as `grad` (the shape of the broadcast result) and returns
// dL/d(input) for each input, in the input's own shape. When an input was broadcast, the same
// value was used at many places of the output; its gradient is the sum over those places
// (unbroadcast). All the math here uses ordinary tensor methods: backward runs with grad mode
// off, so nothing it computes is recorded.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** Sum `grad` down to `shape`: over the leading axes broadcasting added, and over axes where shape has size 1. */
export function unbroadcast(grad: Tensor, shape: readonly number[]): Tensor {
  // TODO(2.2): sum grad over every axis that broadcasting added or stretched, keeping dims, then reshape to shape
  throw new NotImplementedError('2.2', 'sum grad over every axis that broadcasting added or stretched, keeping dims, then reshape to shape')
}

/** out = a + b */
export function addBackward(grad: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  // TODO(2.2): each input's local derivative is 1; undo the broadcasting of each
  throw new NotImplementedError('2.2', 'each input\'s local derivative is 1; undo the broadcasting of each')
}

/** out = a - b (a worked example: the sign is the only change from add). */
export function subBackward(grad: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  return [unbroadcast(grad, a.shape), unbroadcast(grad.neg(), b.shape)]
}

/** out = a * b */
export function mulBackward(grad: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  // TODO(2.2): the product rule, then undo the broadcasting
  throw new NotImplementedError('2.2', 'the product rule, then undo the broadcasting')
}

/** out = a / b */
export function divBackward(grad: Tensor, a: Tensor, b: Tensor): [Tensor, Tensor] {
  // TODO(2.2): the quotient rule (or a times the reciprocal of b), then undo the broadcasting
  throw new NotImplementedError('2.2', 'the quotient rule (or a times the reciprocal of b), then undo the broadcasting')
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
