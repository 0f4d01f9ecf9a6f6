// Exercise 2.3: gradients of the element-wise functions.
//
// For out = f(x) applied element by element, dL/dx = dL/d(out) * f'(x). Where f' is easier to
// write in terms of the output (exp, sigmoid, tanh), use `out`: it is already computed.
import type { Tensor } from '../../src/tensor/tensor.ts'

/** out = exp(x) */
export function expBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  // BEGIN SOLUTION hint: the chain rule with exp's derivative, which the forward pass has already computed
  // HINT 2: the derivative of exp is exp itself, and out holds exp(x): multiply grad by it instead of computing exp again.
  return grad.mul(out)
  // END SOLUTION
}

/** out = log(x) */
export function logBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  // BEGIN SOLUTION hint: the chain rule with log's derivative
  // HINT 2: the slope of log at x = 2 is 0.5 and at x = 0.5 it is 2: it depends on x, not on out.
  return grad.div(x)
  // END SOLUTION
}

/** out = sigmoid(x) = 1 / (1 + exp(-x)) */
export function sigmoidBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  // BEGIN SOLUTION hint: the chain rule with sigmoid's derivative written in terms of its own output
  // HINT 2: at x = 0 the slope is 0.25 = 0.5 * (1 - 0.5): build it from out (the sigmoid of x), not from x.
  return grad.mul(out).mul(out.neg().add(1))
  // END SOLUTION
}

/** out = tanh(x) */
export function tanhBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  // BEGIN SOLUTION hint: the chain rule with tanh's derivative written in terms of its own output
  // HINT 2: at x = 0 the slope is 1, and it falls toward 0 as tanh(x) nears 1 or -1: build it from out (tanh of x), not from x.
  return grad.mul(out.mul(out).neg().add(1))
  // END SOLUTION
}

/** out = max(x, 0); at exactly 0 the gradient is taken as 0, as PyTorch does. */
export function reluBackward(grad: Tensor, x: Tensor, out: Tensor): Tensor {
  // BEGIN SOLUTION hint: a mask: the gradient passes where the input was positive and stops elsewhere
  // HINT 2: x = [-2, 0, 3] gives [0, 0, 1] times grad: exactly 0 counts as not positive (strictly greater than 0).
  return grad.mul(x.gt(0))
  // END SOLUTION
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
