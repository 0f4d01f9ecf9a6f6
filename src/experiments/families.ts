// `families`: the FC VAE, the MLP GAN, DCGAN and ACGAN on the same data: FID (and the floor, in the
// text), and for the ACGAN the per-class accuracy of its samples; their samples side by side.
import { DEFAULT_EPOCHS, ganArm, vaeArm } from './arms.ts'
import { armRows, COLUMNS, samplesFigure } from './rows.ts'
import type { Experiment } from './types.ts'

export const familiesExperiment: Experiment = {
  name: 'families',
  title: 'VAE, GAN, DCGAN and ACGAN: FID and samples',
  about: `Four generative models on the same data: the FC VAE (784-400-20, Adam 1e-3, batch 128, ${DEFAULT_EPOCHS.vae} epochs), the MLP GAN (width 256, ${DEFAULT_EPOCHS.gan} epochs), DCGAN and ACGAN (width 64, ${DEFAULT_EPOCHS.dcgan} epochs; the ACGAN's class head learns from real images only), the GANs with Adam 2e-4 (betas 0.5, 0.999), batch 64 and noise of 100 (genkata train's defaults) and one-sided label smoothing of 0.1, unless --epochs says otherwise (--epochs dcgan=2 sets one arm's; the table's epochs column says what ran). The ACGAN's samples, drawn in equal numbers for every class, are also judged class by class.`,
  arms: (o) => [vaeArm('vae', 'VAE', o, { model: 'vae', latent: 20 }), ganArm('gan', 'GAN', o, 'gan'), ganArm('dcgan', 'DCGAN', o, 'dcgan'), ganArm('acgan', 'ACGAN', o, 'acgan')],
  table: (results, context) => armRows(results, context, [COLUMNS.label, COLUMNS.model, COLUMNS.epochs, COLUMNS.fid, { key: 'floor', title: 'FID floor (test vs test)' }, COLUMNS.classAccuracy]),
  figures: (results, context) => [samplesFigure(results, context, 'Samples of each model side by side (the ACGAN: one column per class)')],
}
