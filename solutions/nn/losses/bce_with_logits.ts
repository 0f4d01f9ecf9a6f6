// Exercise 5.1: binary cross-entropy on logits, computed so it never overflows.
//
// With p = sigmoid(x) and a target z in [0, 1], BCE is -(z log p + (1 - z) log(1 - p)). Written
// with the logit x instead of p:
//   log p = -log(1 + e^-x)   and   log(1 - p) = -x - log(1 + e^-x)
// so the loss is x - x z + log(1 + e^-x). For x < 0, e^-x overflows; there, use
// x + log(1 + e^-x) = log(1 + e^x) instead. Both cases in one line:
//   loss = max(x, 0) - x z + log(1 + e^-|x|)
// e^-|x| is at most 1, so nothing overflows, and log1p keeps the tiny values exact.
// Its derivative is the famous sigmoid(x) - z: the same form as softmax + cross-entropy.
import type { Tensor } from '../../../src/tensor/tensor.ts'

/** The per-element loss max(x, 0) - x z + log1p(exp(-|x|)), for logits x and targets z of one shape. */
export function bceWithLogitsForward(x: Tensor, z: Tensor): Tensor {
  // BEGIN SOLUTION hint: the stable form in the doc comment, built from element-wise tensor methods (the log-sum-exp trick: the exponential only ever sees -|x|)
  // HINT 2: at x = -100 a formula with exp(-x) computes e^100 and overflows; relu gives max(x, 0), abs and neg give -|x|, and log1p keeps log(1 + tiny) exact.
  return x.relu().sub(x.mul(z)).add(x.abs().neg().exp().log1p())
  // END SOLUTION
}

/** Given grad = dL/d(loss) per element: [dL/dx, dL/dz]. */
export function bceWithLogitsBackward(grad: Tensor, x: Tensor, z: Tensor): [Tensor, Tensor] {
  // BEGIN SOLUTION hint: differentiate the loss with respect to each input, times grad (the chain rule)
  // HINT 2: the x-derivative is the famous sigmoid(x) - z (at x = 0, z = 1 it is -0.5); the z-derivative is the coefficient of z in the loss. Multiply both by grad.
  return [grad.mul(x.sigmoid().sub(z)), grad.mul(x).neg()]
  // END SOLUTION
}
