// Plausible student bugs in chapter 7 (the VAE); each must cost a fair share of the exercise's points.
import type { Mutant } from './types.ts'

export const mutants: Mutant[] = [
  { exercise: '7.1', bug: 'sigma = exp(logvar), the variance', find: 'logvar.mul(0.5).exp()', replace: 'logvar.exp()' },
  { exercise: '7.1', bug: 'sigma = logvar / 2, no exp', find: 'logvar.mul(0.5).exp()', replace: 'logvar.mul(0.5)' },
  { exercise: '7.1', bug: 'sigma = sqrt(logvar)', find: 'logvar.mul(0.5).exp()', replace: 'logvar.abs().sqrt()' },
  { exercise: '7.1', bug: 'noise added unscaled: mu + sigma + eps', find: 'mu.add(logvar.mul(0.5).exp().mul(eps))', replace: 'mu.add(logvar.mul(0.5).exp()).add(eps)' },
  { exercise: '7.2', bug: 'BCE averaged over the pixels instead of summed', find: "bce(recon, x, { reduction: 'sum' }).div(n)", replace: 'bce(recon, x)' },
  { exercise: '7.2', bug: 'KL summed over the batch, not averaged', find: "gaussianKL(mu, logvar, { reduction: 'sum' }).div(n)", replace: "gaussianKL(mu, logvar, { reduction: 'sum' })" },
  { exercise: '7.2', bug: 'beta weighs the reconstruction', find: 'reconstruction.add(kl.mul(beta))', replace: 'reconstruction.mul(beta).add(kl)' },
  { exercise: '7.2', bug: 'KL subtracted (the ELBO, not its negative)', find: 'reconstruction.add(kl.mul(beta))', replace: 'reconstruction.sub(kl.mul(beta))' },
  { exercise: '7.3', bug: 'latents drawn [latent, n]', find: 'randn([n, latent], { rng })', replace: 'randn([latent, n], { rng })' },
  { exercise: '7.3', bug: 'traversal sets coordinate j, not d', find: 'out[at + d] = values[j]!', replace: 'out[at + j] = values[j]!' },
  { exercise: '7.3', bug: 'traversal laid out column-major', find: 'const at = (d * values.length + j) * latent', replace: 'const at = (j * dims + d) * latent' },
  { exercise: '7.3', bug: 'base not copied: other coordinates left 0', find: 'for (let k = 0; k < latent; k++) out[at + k] = base[k]!', replace: '' },
  { exercise: '7.4', bug: 'label before the features', find: 'concat([features, oneHot(labels, classes).to(features.dtype)], 1)', replace: 'concat([oneHot(labels, classes).to(features.dtype), features], 1)' },
  { exercise: '7.4', bug: 'one-hot width from the largest label in the batch', find: 'oneHot(labels, classes)', replace: 'oneHot(labels, Math.max(...Array.from(labels)) + 1)' },
  { exercise: '7.4', bug: 'concatenated along the batch axis', find: 'oneHot(labels, classes).to(features.dtype)], 1)', replace: 'oneHot(labels, classes).to(features.dtype)], 0)' },
]
