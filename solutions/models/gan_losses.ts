// Exercise 8.1: the two losses of a GAN, on the discriminator's logits.
//
// D(x) = sigmoid(logit) is the discriminator's belief that x is real. The discriminator minimises
// the binary cross-entropy of "real -> 1, fake -> 0"; the generator, in its non-saturating form,
// minimises the cross-entropy of "fake -> 1" (it maximises log D(G(z)) rather than minimising
// log(1 - D(G(z))), whose gradient vanishes exactly when D rejects the fakes, early in training).
// One-sided label smoothing aims the real target at 1 - smoothing (0.9 for 0.1): a discriminator
// that is never rewarded for certainty on real images gives the generator gentler gradients.
// Fakes keep the target 0: smoothing them too would reward the generator's mistakes.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { bceWithLogits } from '../../src/nn/losses.ts'

export interface DiscriminatorLossOptions {
  /** One-sided label smoothing: the real images' target is 1 - smoothing, in [0, 1). */
  smoothing?: number
}

/**
 * 8.1 The discriminator's loss: the binary cross-entropy of the real images against the target
 * 1 - smoothing plus that of the fakes against 0, each the mean over its batch (the sum of the two
 * means, as PyTorch's DCGAN example has it).
 */
export function discriminatorLoss(realLogits: Tensor, fakeLogits: Tensor, options: DiscriminatorLossOptions = {}): Tensor {
  const smoothing = options.smoothing ?? 0
  if (!(smoothing >= 0 && smoothing < 1)) throw new RangeError(`discriminatorLoss: smoothing must be in [0, 1), got ${smoothing}`)
  // BEGIN SOLUTION hint: binary cross-entropy on logits (chapter 5) for each half: the real batch against the smoothed real target, the fakes against the fake target, each half a batch mean
  // HINT 2: bceWithLogits accepts a number as its target; the real target is 1 - smoothing and the fake target stays 0; add the two means.
  return bceWithLogits(realLogits, 1 - smoothing).add(bceWithLogits(fakeLogits, 0))
  // END SOLUTION
}

/** 8.1 The generator's non-saturating loss: the mean of -log D(G(z)) over the batch of fakes. */
export function generatorLoss(fakeLogits: Tensor): Tensor {
  // BEGIN SOLUTION hint: the non-saturating generator loss: binary cross-entropy on logits with the fakes labelled real
  // HINT 2: the target is 1 and is never smoothed; this is -log D(G(z)), not log(1 - D(G(z))).
  return bceWithLogits(fakeLogits, 1)
  // END SOLUTION
}
