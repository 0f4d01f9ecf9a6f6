// GENERATED from solutions/models/sampling.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 7.3: what a trained VAE can do: draw new images from the prior, and show what each
// latent dimension encodes by walking along it (a latent traversal).
import type { Tensor } from '../../src/tensor/tensor.ts'
import { randn } from '../../src/tensor/creation.ts'
import type { Rng } from '../../src/tensor/random.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** 7.3 Sampling from the prior: n latents z ~ N(0, I), each decoded to an image. */
export function samplePrior(decode: (z: Tensor) => Tensor, n: number, latent: number, rng: Rng): Tensor {
  // TODO(7.3): draw one batch of latents from the standard normal prior with the given generator, and decode it
  throw new NotImplementedError('7.3', 'draw one batch of latents from the standard normal prior with the given generator, and decode it')
}

/**
 * 7.3 A latent traversal: for each of the first `dims` latent dimensions, decode `base` with that
 * one coordinate replaced by each of `values` (the others held). Rows are dimensions, columns values:
 * returns the [dims * values.length, latent] batch of latents, row-major, ready to decode.
 */
export function traversalLatents(base: ArrayLike<number>, dims: number, values: readonly number[]): Float32Array {
  const latent = base.length
  const out = new Float32Array(dims * values.length * latent)
  // TODO(7.3): fill the grid of latents row by row: one row per dimension, one column per value, each entry a copy of base with one coordinate changed
  throw new NotImplementedError('7.3', 'fill the grid of latents row by row: one row per dimension, one column per value, each entry a copy of base with one coordinate changed')
  return out
}
