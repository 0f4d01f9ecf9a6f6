// GENERATED from solutions/nn/optim/adam.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

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
import { NotImplementedError } from '../../../src/kata/not_implemented.ts'

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
  // TODO(6.2): Kingma and Ba's Algorithm 1, one element at a time: weight decay (two kinds), the two running moments, their bias correction at step t, then the step
  throw new NotImplementedError('6.2', 'Kingma and Ba\'s Algorithm 1, one element at a time: weight decay (two kinds), the two running moments, their bias correction at step t, then the step')
}
