// GENERATED from solutions/nn/losses/bce_with_logits.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

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
import { NotImplementedError } from '../../../src/kata/not_implemented.ts'

/** The per-element loss max(x, 0) - x z + log1p(exp(-|x|)), for logits x and targets z of one shape. */
export function bceWithLogitsForward(x: Tensor, z: Tensor): Tensor {
  // TODO(5.1): the stable form in the doc comment, built from element-wise tensor methods (the log-sum-exp trick: the exponential only ever sees -|x|)
  throw new NotImplementedError('5.1', 'the stable form in the doc comment, built from element-wise tensor methods (the log-sum-exp trick: the exponential only ever sees -|x|)')
}

/** Given grad = dL/d(loss) per element: [dL/dx, dL/dz]. */
export function bceWithLogitsBackward(grad: Tensor, x: Tensor, z: Tensor): [Tensor, Tensor] {
  // TODO(5.1): differentiate the loss with respect to each input, times grad (the chain rule)
  throw new NotImplementedError('5.1', 'differentiate the loss with respect to each input, times grad (the chain rule)')
}
