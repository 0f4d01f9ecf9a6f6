// GENERATED from solutions/autograd/backward_unary.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 2.3: gradients of the element-wise functions.
//
// For out = f(x) applied element by element, dL/dx = dL/d(out) * f'(x). Where f' is easier to
// write in terms of the output (exp, sigmoid, tanh), use `out`: it is already computed.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** out = exp(x) */
export function expBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  // TODO(2.3): the chain rule with exp's derivative, which the forward pass has already computed
  throw new NotImplementedError('2.3', 'the chain rule with exp\'s derivative, which the forward pass has already computed')
}

/** out = log(x) */
export function logBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  // TODO(2.3): the chain rule with log's derivative
  throw new NotImplementedError('2.3', 'the chain rule with log\'s derivative')
}

/** out = sigmoid(x) = 1 / (1 + exp(-x)) */
export function sigmoidBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  // TODO(2.3): the chain rule with sigmoid's derivative written in terms of its own output
  throw new NotImplementedError('2.3', 'the chain rule with sigmoid\'s derivative written in terms of its own output')
}

/** out = tanh(x) */
export function tanhBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  // TODO(2.3): the chain rule with tanh's derivative written in terms of its own output
  throw new NotImplementedError('2.3', 'the chain rule with tanh\'s derivative written in terms of its own output')
}

/** out = max(x, 0); at exactly 0 the gradient is taken as 0, as PyTorch does. */
export function reluBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  // TODO(2.3): a mask: the gradient passes where the input was positive and stops elsewhere
  throw new NotImplementedError('2.3', 'a mask: the gradient passes where the input was positive and stops elsewhere')
}

// Worked examples: the rest of the element-wise functions the library differentiates.

export function negBackward(grad: Tensor): Tensor {
  return grad.neg()
}

/** out = sqrt(x): 1 / (2 sqrt(x)) */
export function sqrtBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  return grad.div(out.mul(2))
}

/** out = x^2 */
export function squareBackward(grad: Tensor, x: Tensor): Tensor {
  return grad.mul(x).mul(2)
}

/** out = 1/x: -1/x^2 = -out^2 */
export function reciprocalBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  return grad.mul(out.mul(out)).neg()
}

/** out = log(1 + x) */
export function log1pBackward(grad: Tensor, x: Tensor): Tensor {
  return grad.div(x.add(1))
}

/** out = |x|: the sign of x, 0 at 0 */
export function absBackward(grad: Tensor, x: Tensor): Tensor {
  return grad.mul(x.gt(0).sub(x.lt(0)))
}

/** out = x for x > 0, slope * x otherwise */
export function leakyReluBackward(grad: Tensor, x: Tensor, slope: number): Tensor {
  return grad.mul(x.gt(0).mul(1 - slope).add(slope))
}

/** out = x clamped to [min, max]: the gradient passes where x is inside (bounds included, as PyTorch). */
export function clampBackward(grad: Tensor, x: Tensor, min: number, max: number): Tensor {
  return grad.mul(x.ge(min).mul(x.le(max)))
}
