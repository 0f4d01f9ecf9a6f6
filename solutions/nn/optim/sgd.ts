// Exercise 6.1: stochastic gradient descent with momentum, dampening and Nesterov (PyTorch's rule).
//
// Plain SGD steps against the gradient: w <- w - lr g. Momentum keeps a running velocity
//   buf <- momentum buf + (1 - dampening) g      (on the first step, buf <- g)
// and steps along it, so directions that agree from step to step build up speed while
// oscillating ones cancel. Nesterov's variant looks ahead: it steps along g + momentum buf.
// L2 weight decay adds weightDecay * w to the gradient before anything else.
//
// This function updates ONE parameter, element by element, in place. The optimizer class in
// src/nn/optim.ts owns the loop over parameters and the state.
import type { Storage } from '../../../src/tensor/strided.ts'

export interface SgdHyper {
  lr: number
  momentum: number
  dampening: number
  nesterov: boolean
  weightDecay: number
}

export interface SgdState {
  /** Updates made so far, this one included: 1 on the first call. */
  step: number
  /** The velocity, one entry per element of the parameter (used when momentum is not 0). */
  momentumBuffer: Storage
}

export function sgdUpdate(param: Storage, grad: ArrayLike<number>, state: SgdState, h: SgdHyper): void {
  const buf = state.momentumBuffer
  for (let i = 0; i < param.length; i++) {
    // BEGIN SOLUTION hint: PyTorch's SGD rule: L2 weight decay first, then (when momentum is on) the velocity buffer and Nesterov's look-ahead, then a step against the resulting direction
    // HINT 2: the decay adds weightDecay times the weight to the gradient; the buffer starts as the first step's gradient, later it decays by momentum and takes in (1 - dampening) of the new one; Nesterov steps along the gradient plus momentum times the buffer, plain momentum along the buffer; the step is lr times that direction.
    let d = grad[i]! + h.weightDecay * param[i]!
    if (h.momentum !== 0) {
      buf[i] = state.step === 1 ? d : h.momentum * buf[i]! + (1 - h.dampening) * d
      d = h.nesterov ? d + h.momentum * buf[i]! : buf[i]!
    }
    param[i] = param[i]! - h.lr * d
    // END SOLUTION
  }
}
