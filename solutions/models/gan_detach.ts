// Exercise 8.2: where the graph is cut. One batch of fakes G(z) serves both players, but each
// player's loss must move only its own parameters:
//   - the discriminator trains on G(z).detach(): its loss's backward stops at the fakes, so the
//     generator gets no gradient (and its graph is left intact for the generator's step);
//   - the generator trains on G(z) itself, through D: the gradient flows back through the
//     discriminator (whose parameters pick up gradients too; the generator's optimizer ignores them,
//     and the discriminator's zeroes them before its next step, exercise 8.3).
import type { Tensor } from '../../src/tensor/tensor.ts'
import { discriminatorLoss, generatorLoss } from '#kata/models/gan_losses'

/** The discriminator as a function: images -> logits. */
export type Discriminate = (images: Tensor) => Tensor

export interface DiscriminatorPass {
  loss: Tensor
  realLogits: Tensor
  fakeLogits: Tensor
}

/**
 * 8.2 The discriminator's forward pass on a real batch and a batch of fakes from G: the fakes are
 * detached first, so the loss's gradient reaches the discriminator's parameters and not G's.
 */
export function discriminatorPass(discriminate: Discriminate, real: Tensor, fake: Tensor, options: { smoothing?: number } = {}): DiscriminatorPass {
  // BEGIN SOLUTION hint: cut the graph at the fakes for the discriminator's pass, then apply 8.1's discriminator loss to both batches of logits
  // HINT 2: fake.detach() gives the same values with no history; the real batch goes through discriminate as it is; return the loss and both logits.
  const realLogits = discriminate(real)
  const fakeLogits = discriminate(fake.detach())
  return { loss: discriminatorLoss(realLogits, fakeLogits, options), realLogits, fakeLogits }
  // END SOLUTION
}

/**
 * 8.2 The generator's forward pass: its fakes go through the discriminator attached, so the
 * non-saturating loss's gradient flows back through D into G's parameters.
 */
export function generatorPass(discriminate: Discriminate, fake: Tensor): { loss: Tensor; fakeLogits: Tensor } {
  // BEGIN SOLUTION hint: the generator's pass keeps the graph whole: its fakes go through the discriminator attached, then 8.1's generator loss
  // HINT 2: do not detach here: the gradient must reach G's parameters through D.
  const fakeLogits = discriminate(fake)
  return { loss: generatorLoss(fakeLogits), fakeLogits }
  // END SOLUTION
}
