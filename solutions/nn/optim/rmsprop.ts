// Exercise 6.3: RMSprop (Hinton's lecture 6e), with PyTorch's centered and momentum variants.
//
// RMSprop divides the gradient by a running root-mean-square of recent gradients:
//   s <- alpha s + (1 - alpha) g^2          w <- w - lr g / (sqrt(s) + eps)
// so every coordinate moves at a similar pace. There is no bias correction (s starts at 0, so the
// very first steps are large: g / sqrt(1 - alpha) = 10 g for alpha = 0.99).
// centered: also keep the running mean of g, a <- alpha a + (1 - alpha) g, and divide by the
// running standard deviation sqrt(s - a^2) instead: the variance rather than the raw second moment.
// momentum > 0: buf <- momentum buf + g / (denominator), and w <- w - lr buf.
// weightDecay adds weightDecay * w to g first, as in SGD.
import type { Storage } from '../../../src/tensor/strided.ts'

export interface RmspropHyper {
  lr: number
  alpha: number
  eps: number
  weightDecay: number
  momentum: number
  centered: boolean
}

export interface RmspropState {
  step: number
  /** s, the running mean of g^2. */
  squareAvg: Storage
  /** a, the running mean of g (centered only). */
  gradAvg: Storage | null
  /** The velocity (momentum > 0 only). */
  momentumBuffer: Storage | null
}

export function rmspropUpdate(param: Storage, grad: ArrayLike<number>, state: RmspropState, h: RmspropHyper): void {
  const s = state.squareAvg
  const a = state.gradAvg
  const buf = state.momentumBuffer
  for (let i = 0; i < param.length; i++) {
    // BEGIN SOLUTION hint: Hinton's RMSprop as PyTorch has it: a running mean of squared gradients whose root is the denominator (centered: the running standard deviation instead), with optional momentum on the scaled gradient
    // HINT 2: s decays by alpha and takes in (1 - alpha) of g squared; centered also keeps the running mean a of g and puts s minus a squared under the root; eps is added after the root; with momentum the buffer accumulates g over the denominator and the weight steps by lr times the buffer. Weight decay joins g first, as in SGD.
    const g = grad[i]! + h.weightDecay * param[i]!
    s[i] = h.alpha * s[i]! + (1 - h.alpha) * g * g
    let avg: number
    if (h.centered) {
      a![i] = h.alpha * a![i]! + (1 - h.alpha) * g
      avg = Math.sqrt(s[i]! - a![i]! * a![i]!) + h.eps
    } else {
      avg = Math.sqrt(s[i]!) + h.eps
    }
    if (h.momentum > 0) {
      buf![i] = h.momentum * buf![i]! + g / avg
      param[i] = param[i]! - h.lr * buf![i]!
    } else {
      param[i] = param[i]! - (h.lr * g) / avg
    }
    // END SOLUTION
  }
}
