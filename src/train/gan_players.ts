// The two players of a GAN run and their optimizers, built from its settings: DCGAN's Adam for both.
import { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { Adam } from '../nn/optim/index.ts'
import { createGan } from '../models/gan_kinds.ts'
import type { GanPair } from '../models/gan.ts'
import type { GanRunConfig } from './gan_config.ts'

/** DCGAN's Adam: beta1 = 0.5 rather than 0.9, as Radford et al. found 0.9 oscillated. */
export const GAN_ADAM_BETAS: [number, number] = [0.5, 0.999]

export interface GanTrainingParts {
  pair: GanPair
  optimizerG: Adam
  optimizerD: Adam
}

/** Both players and their Adam optimizers, for a config (classes: the ACGAN's, from the data). */
export function createGanTraining(config: GanRunConfig, shape: { imageShape: [number, number, number]; classes: number | null }): GanTrainingParts {
  const pair = createGan(config.model, {
    noise: config.noise, width: config.width, imageShape: shape.imageShape,
    classes: config.model === 'acgan' ? shape.classes ?? undefined : undefined, rng: new Rng(config.seed),
  })
  const adam = (params: Tensor[]) => new Adam(params, { lr: config.lr, betas: [...GAN_ADAM_BETAS] })
  return { pair, optimizerG: adam(pair.generator.parameters()), optimizerD: adam(pair.discriminator.parameters()) }
}
