// Exercise 6.2: Adam with bias correction (Kingma and Ba, 2015), and AdamW's decoupled weight decay.
//
// Adam keeps two running averages per element: the mean of the gradient m and the mean of its
// square v,
//   m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g^2
// and steps by lr * m / (sqrt(v) + eps): about lr in every coordinate, whatever the gradient's
// scale. Both averages start at 0, so early on they are biased towards 0: after t steps of a
// constant gradient g, m = (1 - beta1^t) g. Dividing by (1 - beta1^t) (and v by (1 - beta2^t))
// removes that bias (Kingma and Ba, Algorithm 1):
//   m_hat = m / (1 - beta1^t)     v_hat = v / (1 - beta2^t)     w <- w - lr * m_hat / (sqrt(v_hat) + eps)
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
  // BEGIN SOLUTION hint: Kingma and Ba's Algorithm 1, one element at a time: weight decay (two kinds), the two running moments, their bias correction at step t, then the step
  // HINT 2: m and v are the exponential moving averages of g and of g squared; m-hat divides m by one minus beta1 to the power t (v-hat likewise with beta2), and the step is lr times m-hat over the root of v-hat plus eps. AdamW shrinks the weight by 1 - lr * weightDecay and leaves g alone; Adam adds weightDecay * w to g.
  const { lr, beta1, beta2, eps, weightDecay, decoupled } = h
  const t = state.step
  // The bias corrections of step t: one pair for every element
  const correction1 = 1 - beta1 ** t
  const correction2 = 1 - beta2 ** t
  for (let i = 0; i < param.length; i++) {
    let g = grad[i]!
    if (decoupled) param[i] = param[i]! * (1 - lr * weightDecay) // AdamW: decay the weight itself
    else g = g + weightDecay * param[i]! // Adam: L2, added to the gradient
    m[i] = beta1 * m[i]! + (1 - beta1) * g
    v[i] = beta2 * v[i]! + (1 - beta2) * g * g
    const mHat = m[i]! / correction1
    const vHat = v[i]! / correction2
    param[i] = param[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps)
  }
  // END SOLUTION
}
