// The GAN family by the names the command line uses.
import type { Rng } from '../tensor/random.ts'
import { GanPair, MlpDiscriminator, MlpGenerator } from './gan.ts'
import { DcganDiscriminator, DcganGenerator } from './dcgan.ts'
import { AcganDiscriminator, AcganGenerator } from './acgan.ts'

export const GAN_KINDS = ['gan', 'dcgan', 'acgan'] as const
export type GanKind = (typeof GAN_KINDS)[number]

export interface GanBuildOptions {
  noise: number
  /** Base width (see GanConfig); each kind's default when unset. */
  width?: number
  /** Required by the ACGAN, refused by the others. */
  classes?: number
  imageShape?: readonly [number, number, number]
  rng: Rng
}

/** The generator's width when none is asked for: 256 hidden units for the MLP, 64 channels for the conv models. */
export function defaultGanWidth(kind: GanKind): number {
  return kind === 'gan' ? 256 : 64
}

/** A generator and its discriminator, initialised from options.rng (generator first). */
export function createGan(kind: GanKind, options: GanBuildOptions): GanPair {
  if (kind === 'acgan' && options.classes === undefined) throw new Error('acgan is conditional: it needs the number of classes')
  if (kind !== 'acgan' && options.classes !== undefined) throw new Error(`${kind} is not conditional: it takes no classes`)
  const config = { ...options, width: options.width ?? defaultGanWidth(kind) }
  switch (kind) {
    case 'gan':
      return new GanPair(new MlpGenerator(config), new MlpDiscriminator(config))
    case 'dcgan':
      return new GanPair(new DcganGenerator(config), new DcganDiscriminator(config))
    case 'acgan': {
      const conditional = { ...config, classes: options.classes! }
      return new GanPair(new AcganGenerator(conditional), new AcganDiscriminator(conditional))
    }
    default:
      throw new Error(`unknown model '${kind as string}': choose one of ${GAN_KINDS.join(', ')}`)
  }
}
