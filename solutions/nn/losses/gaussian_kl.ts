// Exercise 5.3: the KL divergence of a diagonal Gaussian from the standard normal, in closed form.
//
// A VAE's encoder outputs q = N(mu, sigma^2) per latent dimension, with logvar = log sigma^2
// (any real number, where a variance would have to stay positive). For one dimension
//   KL(q || N(0, 1)) = E_q[log q(z) - log p(z)]
//                    = -1/2 log(2 pi sigma^2) - 1/2  -  (-1/2 log(2 pi) - 1/2 (mu^2 + sigma^2))
//                    = -1/2 (1 + log sigma^2 - mu^2 - sigma^2)
// using E_q[(z - mu)^2] = sigma^2 and E_q[z^2] = mu^2 + sigma^2. The dimensions are independent,
// so their KLs add up: sum over the latent axes, one number per sample.
import type { Tensor } from '../../../src/tensor/tensor.ts'

/** mu and logvar [N, ...latent] -> KL per sample [N]: -1/2 sum(1 + logvar - mu^2 - exp(logvar)). */
export function gaussianKLPerSample(mu: Tensor, logvar: Tensor): Tensor {
  const latentAxes = [...mu.shape.keys()].slice(1)
  // BEGIN SOLUTION hint: the closed form in the doc comment, built element-wise with tensor methods, then summed over the latent axes
  // HINT 2: mu = 0 and logvar = 0 (the standard normal itself) give 0. exp(logvar) is sigma^2, not sigma. Sum over latentAxes only: the result has one number per sample, shape [N].
  return logvar.add(1).sub(mu.square()).sub(logvar.exp()).sum(latentAxes).mul(-0.5)
  // END SOLUTION
}
