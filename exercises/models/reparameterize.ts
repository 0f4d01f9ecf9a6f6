// GENERATED from solutions/models/reparameterize.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 7.1: the reparameterization trick.
//
// The encoder gives q(z|x) = N(mu, diag(exp(logvar))). Sampling z directly would cut the graph:
// no gradient flows through a random draw. Writing z = mu + sigma * eps, with eps ~ N(0, I) drawn
// outside the graph, makes z a differentiable function of mu and logvar.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/**
 * 7.1 The reparameterization trick: z = mu + sigma * eps with eps ~ N(0, I) drawn outside the
 * graph, so z is a differentiable function of mu and logvar (sigma = exp(logvar / 2)).
 */
export function reparameterize(mu: Tensor, logvar: Tensor, eps: Tensor): Tensor {
  // TODO(7.1): the reparameterization trick: turn the log-variance into a standard deviation, scale the outside noise by it and shift by the mean, all with Tensor ops so the graph records it
  throw new NotImplementedError('7.1', 'the reparameterization trick: turn the log-variance into a standard deviation, scale the outside noise by it and shift by the mean, all with Tensor ops so the graph records it')
}
