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
  // BEGIN SOLUTION hint: sigma = exp(0.5 * logvar); return mu + sigma * eps
  return mu.add(logvar.mul(0.5).exp().mul(eps))
  // END SOLUTION
}
