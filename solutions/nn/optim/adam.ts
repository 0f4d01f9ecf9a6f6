// Exercise 6.2: Adam with bias correction (Kingma and Ba, 2015), and AdamW's decoupled weight decay.
//
// Adam keeps two running averages per element: the mean of the gradient m and the mean of its
// square v,
//   m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g^2
// and steps by lr * m / (sqrt(v) + eps): about lr in every coordinate, whatever the gradient's
// scale. Both averages start at 0, so early on they are biased towards 0: after t steps of a
// constant gradient g, m = (1 - beta1^t) g. Dividing by (1 - beta1^t) (and v by (1 - beta2^t))
// removes that bias. PyTorch's form:
//   w <- w - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// Weight decay: Adam adds weightDecay * w to g (L2); AdamW instead shrinks w by (1 - lr weightDecay)
// before the step and leaves g alone ("decoupled"), which is what Loshchilov and Hutter proposed.
import type { Storage } from '../../../src/tensor/strided.ts'

export interface AdamHyper {
  lr: number
  beta1: number
  beta2: number
  eps: number
  weightDecay: number
  /** AdamW: decay the weights directly instead of adding to the gradient. */
  decoupled: boolean
}

export interface AdamState {
  /** Updates made so far, this one included: t = 1 on the first call. */
  step: number
  /** m, the running mean of the gradient. */
  expAvg: Storage
  /** v, the running mean of the squared gradient. */
  expAvgSq: Storage
}

export function adamUpdate(param: Storage, grad: ArrayLike<number>, state: AdamState, h: AdamHyper): void {
  const m = state.expAvg
  const v = state.expAvgSq
  // BEGIN SOLUTION hint: c1 = 1 - beta1^t, c2 = 1 - beta2^t; per element: apply weight decay (decoupled: param *= 1 - lr wd; else g += wd param), update m and v, then param -= (lr / c1) m / (sqrt(v) / sqrt(c2) + eps)
  const { lr, beta1, beta2, eps, weightDecay, decoupled } = h
  const t = state.step
  const stepSize = lr / (1 - beta1 ** t)
  const c2Sqrt = Math.sqrt(1 - beta2 ** t)
  // The two kinds of decay as constants, so the loop has no branch: AdamW shrinks w, Adam adds to g.
  const shrink = decoupled ? 1 - lr * weightDecay : 1
  const l2 = decoupled ? 0 : weightDecay
  for (let i = 0; i < param.length; i++) {
    const w = param[i]!
    const g = grad[i]! + l2 * w
    const mi = beta1 * m[i]! + (1 - beta1) * g
    const vi = beta2 * v[i]! + (1 - beta2) * g * g
    m[i] = mi
    v[i] = vi
    param[i] = w * shrink - (stepSize * mi) / (Math.sqrt(vi) / c2Sqrt + eps)
  }
  // END SOLUTION
}
