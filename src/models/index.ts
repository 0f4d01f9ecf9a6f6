// The models, by the names the command line uses.
import type { Rng } from '../tensor/random.ts'
import { FcVae, type VaeModel } from './vae.ts'
import { ConvVae } from './conv_vae.ts'

export { FcVae, VaeModel } from './vae.ts'
export { ConvVae } from './conv_vae.ts'
export { MlpClassifier } from './mlp_classifier.ts'
export { ClassifierCnn } from './classifier_cnn.ts'
export type { ClassifierCnnConfig } from './classifier_cnn.ts'

export const VAE_KINDS = ['vae', 'conv-vae', 'cvae', 'conv-cvae'] as const
export type VaeKind = (typeof VAE_KINDS)[number]

export interface VaeBuildOptions {
  latent: number
  hidden?: number
  /** Set for the conditional kinds (cvae, conv-cvae). */
  classes?: number
  imageShape?: readonly [number, number, number]
  rng: Rng
}

export function createVae(kind: VaeKind, options: VaeBuildOptions): VaeModel {
  const conditional = kind === 'cvae' || kind === 'conv-cvae'
  if (conditional && options.classes === undefined) throw new Error(`${kind} is conditional: it needs the number of classes`)
  const config = { ...options, classes: conditional ? options.classes : undefined }
  switch (kind) {
    case 'vae':
    case 'cvae':
      return new FcVae(config)
    case 'conv-vae':
    case 'conv-cvae':
      return new ConvVae(config)
    default:
      throw new Error(`unknown model '${kind as string}': choose one of ${VAE_KINDS.join(', ')}`)
  }
}

export { Generator, Discriminator, GanPair, MlpGenerator, MlpDiscriminator, toGanPixels, fromGanPixels } from './gan.ts'
export type { GanConfig } from './gan.ts'
export { DcganGenerator, DcganDiscriminator, dcganInit } from './dcgan.ts'
export { AcganGenerator, AcganDiscriminator } from './acgan.ts'
export { GAN_KINDS, createGan, defaultGanWidth } from './gan_kinds.ts'
export type { GanKind, GanBuildOptions } from './gan_kinds.ts'
