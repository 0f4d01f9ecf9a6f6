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

/** The smallest value a log may take in BCE. */
export const LOG_FLOOR = -100
/** The smallest p (1 - p) the gradient divides by. */
export const GRAD_EPSILON = 1e-12

/** The per-element loss -(y max(log p, -100) + (1 - y) max(log(1 - p), -100)). */
export function bceForward(p: Tensor, y: Tensor): Tensor {
  // BEGIN SOLUTION hint: logP = p.log().clamp(LOG_FLOOR), log1mP = (1 - p).log().clamp(LOG_FLOOR); -(y logP + (1 - y) log1mP) = y (log1mP - logP) - log1mP
  const logP = p.log().clamp(LOG_FLOOR)
  const log1mP = p.neg().add(1).log().clamp(LOG_FLOOR)
  // Regrouped so each element-wise pass counts: 9 passes over the batch instead of 12.
  return y.mul(log1mP.sub(logP)).sub(log1mP)
  // END SOLUTION
}

/**
 * Given grad = dL/d(loss) per element: [dL/dp, dL/dy], each null where needs says it is not wanted
 * (the target of a reconstruction loss is data: its gradient would be thrown away).
 */
export function bceBackward(grad: Tensor, p: Tensor, y: Tensor, needs: readonly boolean[] = [true, true]): [Tensor | null, Tensor | null] {
  // BEGIN SOLUTION hint: dL/dp = grad (p - y) / max(p (1 - p), GRAD_EPSILON); dL/dy = grad (clamped log(1 - p) - clamped log p); null where needs[i] is false
  const dp = needs[0] ? grad.mul(p.sub(y)).div(p.mul(p.neg().add(1)).clamp(GRAD_EPSILON)) : null
  if (!needs[1]) return [dp, null]
  const logP = p.log().clamp(LOG_FLOOR)
  const log1mP = p.neg().add(1).log().clamp(LOG_FLOOR)
  return [dp, grad.mul(log1mP.sub(logP))]
  // END SOLUTION
}
