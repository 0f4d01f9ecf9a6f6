// `fc-vs-conv`: the FC VAE against the ConvVAE at the same latent size (32, the ConvVAE's default).
import { DEFAULT_EPOCHS, vaeArm } from './arms.ts'
import { armRows, samplesFigure, VAE_COLUMNS } from './rows.ts'
import type { Experiment } from './types.ts'

export const FC_VS_CONV_LATENT = 32

export const fcVsConvExperiment: Experiment = {
  name: 'fc-vs-conv',
  title: `FC VAE against ConvVAE, latent ${FC_VS_CONV_LATENT}`,
  about: `The FC VAE (784-400-${FC_VS_CONV_LATENT}) and the ConvVAE, both with a latent of ${FC_VS_CONV_LATENT} dimensions, beta 1, Adam 1e-3, batch 128, ${DEFAULT_EPOCHS.vae} epochs each unless --epochs says otherwise. Test loss is the negative ELBO per test image, one draw of z per image.`,
  arms: (o) => [vaeArm('fc', 'FC VAE', o, { model: 'vae', latent: FC_VS_CONV_LATENT }), vaeArm('conv', 'ConvVAE', o, { model: 'conv-vae', latent: FC_VS_CONV_LATENT })],
  table: (results, context) => armRows(results, context, VAE_COLUMNS),
  figures: (results, context) => [samplesFigure(results, context, 'Samples from the prior: the FC VAE and the ConvVAE, the same noise')],
}
