// `latent`: the FC VAE (784-400-z) with a latent of 3, 10 and 100 dimensions.
import { DEFAULT_EPOCHS, vaeArm } from './arms.ts'
import { armRows, samplesFigure, VAE_COLUMNS } from './rows.ts'
import type { Experiment } from './types.ts'

export const latentExperiment: Experiment = {
  name: 'latent',
  title: 'Latent size: the FC VAE with z of 3, 10 and 100 dimensions',
  about: `The FC VAE (784-400-z, beta 1, Adam 1e-3, batch 128) trained with a latent of 3, 10 and 100 dimensions, ${DEFAULT_EPOCHS.vae} epochs each unless --epochs says otherwise. Test loss is the negative ELBO per test image (BCE summed over the pixels + KL), one draw of z per image.`,
  arms: (o) => [3, 10, 100].map((z) => vaeArm(`z${z}`, `z = ${z}`, o, { model: 'vae', latent: z })),
  table: (results, context) => armRows(results, context, VAE_COLUMNS),
  figures: (results, context) => [samplesFigure(results, context, 'Samples from the prior of each arm (the same draws of noise where the sizes agree)')],
}
