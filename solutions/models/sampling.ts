// Exercise 7.3: what a trained VAE can do: draw new images from the prior, and show what each
// latent dimension encodes by walking along it (a latent traversal).
import type { Tensor } from '../../src/tensor/tensor.ts'
import { randn } from '../../src/tensor/creation.ts'
import type { Rng } from '../../src/tensor/random.ts'

/** 7.3 Sampling from the prior: n latents z ~ N(0, I), each decoded to an image. */
export function samplePrior(decode: (z: Tensor) => Tensor, n: number, latent: number, rng: Rng): Tensor {
  // BEGIN SOLUTION hint: draw one batch of latents from the standard normal prior with the given generator, and decode it
  // HINT 2: randn from src/tensor/creation.ts takes the shape [n, latent] and { rng }; call decode once, on the whole batch.
  return decode(randn([n, latent], { rng }))
  // END SOLUTION
}

/**
 * 7.3 A latent traversal: for each of the first `dims` latent dimensions, decode `base` with that
 * one coordinate replaced by each of `values` (the others held). Rows are dimensions, columns values:
 * returns the [dims * values.length, latent] batch of latents, row-major, ready to decode.
 */
export function traversalLatents(base: ArrayLike<number>, dims: number, values: readonly number[]): Float32Array {
  const latent = base.length
  const out = new Float32Array(dims * values.length * latent)
  // BEGIN SOLUTION hint: fill the grid of latents row by row: one row per dimension, one column per value, each entry a copy of base with one coordinate changed
  // HINT 2: the latent for dimension d and value j is number d * values.length + j of the batch (each latent long); copy base into it, then overwrite its coordinate d.
  for (let d = 0; d < dims; d++) {
    for (let j = 0; j < values.length; j++) {
      const at = (d * values.length + j) * latent
      for (let k = 0; k < latent; k++) out[at + k] = base[k]!
      out[at + d] = values[j]!
    }
  }
  // END SOLUTION
  return out
}
