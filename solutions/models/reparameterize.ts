// Exercise 7.1: the reparameterization trick.
//
// The encoder gives q(z|x) = N(mu, diag(exp(logvar))). Sampling z directly would cut the graph:
// no gradient flows through a random draw. Writing z = mu + sigma * eps, with eps ~ N(0, I) drawn
// outside the graph, makes z a differentiable function of mu and logvar.
import type { Tensor } from '../../src/tensor/tensor.ts'

/**
 * 7.1 The reparameterization trick: z = mu + sigma * eps with eps ~ N(0, I) drawn outside the
 * graph, so z is a differentiable function of mu and logvar (sigma = exp(logvar / 2)).
 */
export function reparameterize(mu: Tensor, logvar: Tensor, eps: Tensor): Tensor {
  // BEGIN SOLUTION hint: the reparameterization trick: turn the log-variance into a standard deviation, scale the outside noise by it and shift by the mean, all with Tensor ops so the graph records it
  // HINT 2: logvar is the log of sigma squared, so sigma is the exponential of half of it; use the tensors' own mul, exp and add (not plain numbers) so gradients reach mu and logvar.
  return mu.add(logvar.mul(0.5).exp().mul(eps))
  // END SOLUTION
}
