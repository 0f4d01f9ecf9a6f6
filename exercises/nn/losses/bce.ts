// GENERATED from solutions/nn/losses/bce.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 5.2: binary cross-entropy on probabilities, clamped the way PyTorch clamps it.
//
// loss = -(y log p + (1 - y) log(1 - p)) for a probability p in [0, 1] and a target y in [0, 1].
// At p = 0 or p = 1 one of the logs is -infinity. PyTorch clamps each log at -100, so the loss is
// at most 100 per element and never inf (and 0 * -inf never makes a NaN).
//
// The gradient needs the same care: dL/dp = -y/p + (1 - y)/(1 - p) = (p - y) / (p (1 - p)), whose
// denominator is 0 at the ends. PyTorch divides by max(p (1 - p), 1e-12) instead. (Sigmoid outputs
// in float32 do reach exactly 1.0, above x = 17 or so: without these clamps one saturated pixel
// turns the whole VAE into NaN.)
import type { Tensor } from '../../../src/tensor/tensor.ts'
import { NotImplementedError } from '../../../src/kata/not_implemented.ts'

/** The smallest value a log may take in BCE. */
export const LOG_FLOOR = -100
/** The smallest p (1 - p) the gradient divides by. */
export const GRAD_EPSILON = 1e-12

/** The per-element loss -(y max(log p, -100) + (1 - y) max(log(1 - p), -100)). */
export function bceForward(p: Tensor, y: Tensor): Tensor {
  // TODO(5.2): compute the two logs, clamp each at LOG_FLOOR, then weight them by y and 1 - y
  throw new NotImplementedError('5.2', 'compute the two logs, clamp each at LOG_FLOOR, then weight them by y and 1 - y')
}

/**
 * Given grad = dL/d(loss) per element: [dL/dp, dL/dy], each null where needs says it is not wanted
 * (the target of a reconstruction loss is data: its gradient would be thrown away).
 */
export function bceBackward(grad: Tensor, p: Tensor, y: Tensor, needs: readonly boolean[] = [true, true]): [Tensor | null, Tensor | null] {
  // TODO(5.2): differentiate the loss in p (its denominator floored at GRAD_EPSILON) and in y, each times grad; null where needs says the gradient is not wanted
  throw new NotImplementedError('5.2', 'differentiate the loss in p (its denominator floored at GRAD_EPSILON) and in y, each times grad; null where needs says the gradient is not wanted')
}
