// GENERATED from solutions/models/negative_elbo.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 7.2: the VAE's loss, the negative evidence lower bound.
//
// Training maximises  ELBO = E_q[log p(x|z)] - KL(q(z|x) || N(0, I)).  With Bernoulli pixels,
// -log p(x|z) is the binary cross-entropy summed over the pixels; the KL between two Gaussians has
// a closed form (chapter 5). beta weighs the KL term (beta-VAE; beta = 1 is the VAE).
import type { Tensor } from '../../src/tensor/tensor.ts'
import { bce, gaussianKL } from '../../src/nn/losses.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

export interface ElboTerms {
  /** reconstruction + beta * kl, per image: what the optimizer minimises */
  loss: Tensor
  /** BCE summed over the pixels of an image, averaged over the batch */
  reconstruction: Tensor
  /** KL(q(z|x) || N(0, I)) summed over the latent dimensions, averaged over the batch */
  kl: Tensor
}

/**
 * 7.2 The negative ELBO per image. recon holds pixel probabilities, x the targets in [0, 1], both
 * [N, ...pixels]; mu and logvar are [N, latent]. beta weighs the KL term (beta-VAE; 1 is the VAE).
 */
export function negativeElbo(recon: Tensor, x: Tensor, mu: Tensor, logvar: Tensor, beta = 1): ElboTerms {
  // TODO(7.2): the two terms of the negative ELBO, chapter 5's bce and gaussianKL, each a per-image average of a total; beta weighs the KL
  throw new NotImplementedError('7.2', 'the two terms of the negative ELBO, chapter 5\'s bce and gaussianKL, each a per-image average of a total; beta weighs the KL')
}
