// `beta`: the beta-VAE, beta 0.5, 1 and 4, on the FC VAE with a latent of 10: the loss, its two
// terms, FID, and each arm's latent traversal side by side.
import { DEFAULT_EPOCHS, vaeArm } from './arms.ts'
import { sideBySide, traversalImage } from './figures.ts'
import { armRows, samplesFigure, VAE_COLUMNS } from './rows.ts'
import type { Experiment } from './types.ts'

export const BETA_LATENT = 10
export const BETAS = [0.5, 1, 4]

export const betaExperiment: Experiment = {
  name: 'beta',
  title: 'beta-VAE: beta 0.5, 1 and 4',
  about: `The FC VAE (784-400-${BETA_LATENT}) trained with beta ${BETAS.join(', ')} (the weight of the KL term), Adam 1e-3, batch 128, ${DEFAULT_EPOCHS.vae} epochs each unless --epochs says otherwise. Test loss is each arm's own objective on the test set, reconstruction + beta x KL per image, so compare the two terms across arms rather than the loss.`,
  arms: (o) => BETAS.map((beta) => vaeArm(`beta${beta}`, `beta ${beta}`, o, { model: 'vae', latent: BETA_LATENT, beta })),
  table: (results, context) => armRows(results, context, VAE_COLUMNS),
  figures: (results, context) => [
    {
      file: 'traversals.png',
      caption: `Latent traversals around the first test image: in each panel one row per latent dimension, from -3 to 3`,
      image: sideBySide(results.map((r) => ({ label: r.arm.label, image: traversalImage(r.trained, context.test) }))),
    },
    samplesFigure(results, context, 'Samples from the prior of each arm, the same noise'),
  ],
}
