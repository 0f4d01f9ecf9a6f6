// The GAN family's shared shape, and the plain (fully connected) GAN of Goodfellow et al.
//
// A generator maps noise z ~ N(0, I) [N, noise] (and, for the ACGAN, a class label) to images
// [N, C, H, W]; a discriminator maps images to one logit each, [N]. All three generators end in
// tanh, so they draw pixels in [-1, 1] and the data is scaled to match (toGanPixels: x * 2 - 1).
// Why tanh rather than sigmoid: the discriminator's input is then centred on zero, real and fake
// alike, and Radford et al. (DCGAN) found the bounded tanh output let the generator cover the
// range of pixel values quickly. What matters most is that the data and the generator's output
// share one range. fromGanPixels maps back to [0, 1] for pictures.
//   generator      z [N,100] -Linear, LeakyReLU 0.2-> 256 -Linear, LeakyReLU 0.2-> 512 -Linear, tanh-> 784
//   discriminator  x [N,784] -Linear, LeakyReLU 0.2-> 512 -Linear, LeakyReLU 0.2-> 256 -Linear-> 1 logit
import type { Tensor } from '../tensor/tensor.ts'
import type { Rng } from '../tensor/random.ts'
import { formatShape } from '../tensor/strided.ts'
import { Module } from '../nn/module.ts'
import { Linear } from '../nn/linear.ts'

export interface GanConfig {
  /** Size of the noise vector z (100 by default). */
  noise?: number
  /** Image shape [channels, height, width]; [1, 28, 28] by default. */
  imageShape?: readonly [number, number, number]
  /** Number of classes of a conditional generator (the ACGAN); unset otherwise. */
  classes?: number
  /** Base width: the MLP's first hidden layer (256 by default), the DCGAN's first channel count (64). */
  width?: number
  rng: Rng
}

function positiveInt(owner: string, name: string, v: number): number {
  if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${owner}: ${name} must be a positive integer, got ${v}`)
  return v
}

/** Noise (and a label for conditional models) -> images [N, C, H, W] with pixels in [-1, 1]. */
export abstract class Generator extends Module {
  readonly noise: number
  readonly imageShape: readonly [number, number, number]
  readonly classes: number | null

  constructor(config: GanConfig) {
    super()
    const name = this.constructor.name
    this.noise = positiveInt(name, 'noise', config.noise ?? 100)
    this.imageShape = config.imageShape ?? [1, 28, 28]
    this.imageShape.forEach((d, i) => positiveInt(name, `imageShape[${i}]`, d))
    if (config.classes !== undefined && !(Number.isInteger(config.classes) && config.classes > 1)) {
      throw new RangeError(`${name}: classes must be an integer above 1 for a conditional generator, got ${config.classes}`)
    }
    this.classes = config.classes ?? null
  }

  /** Images [N, ...imageShape] in [-1, 1] from noise [N, noise]; labels for a conditional generator. */
  abstract generate(z: Tensor, labels?: ArrayLike<number>): Tensor

  /** Module's forward: generate from noise alone (a conditional generator needs generate(z, labels)). */
  forward(z: Tensor): Tensor {
    return this.generate(z)
  }

  protected checkNoise(z: Tensor, labels: ArrayLike<number> | undefined): void {
    const name = this.constructor.name
    if (z.ndim !== 2 || z.shape[1] !== this.noise) throw new Error(`${name}: expected noise [N, ${this.noise}], got ${formatShape(z.shape)}`)
    if (this.classes === null && labels !== undefined) throw new Error(`${name}: got labels, but this generator is not conditional`)
    if (this.classes !== null) {
      if (labels === undefined) throw new Error(`${name}: a generator over ${this.classes} classes needs the labels`)
      if (labels.length !== z.shape[0]) throw new Error(`${name}: got ${labels.length} labels for ${z.shape[0]} noise vectors`)
    }
  }
}

/** Images [N, C, H, W] or [N, C*H*W] -> one real-versus-fake logit per image, [N]. */
export abstract class Discriminator extends Module {
  readonly imageShape: readonly [number, number, number]

  constructor(config: Pick<GanConfig, 'imageShape'>) {
    super()
    this.imageShape = config.imageShape ?? [1, 28, 28]
  }

  abstract override forward(x: Tensor): Tensor

  protected checkImages(x: Tensor): void {
    const [c, h, w] = this.imageShape
    const flat = x.ndim === 2 && x.shape[1] === c * h * w
    const image = x.ndim === 4 && x.shape[1] === c && x.shape[2] === h && x.shape[3] === w
    if (!flat && !image) throw new Error(`${this.constructor.name}: expected images [N, ${c}, ${h}, ${w}] or [N, ${c * h * w}], got ${formatShape(x.shape)}`)
  }
}

/** The two players in one module, so one checkpoint (generator.*, discriminator.*) holds both. */
export class GanPair<G extends Generator = Generator, D extends Discriminator = Discriminator> extends Module {
  constructor(readonly generator: G, readonly discriminator: D) {
    super()
  }

  forward(z: Tensor): Tensor {
    return this.generator.forward(z)
  }
}

/** [0, 1] pixels (the data) -> [-1, 1] (what the tanh generators draw). */
export function toGanPixels(x: Tensor): Tensor {
  return x.mul(2).sub(1)
}

/** [-1, 1] generator output -> [0, 1] pixels for pictures. */
export function fromGanPixels(y: Tensor): Tensor {
  return y.add(1).mul(0.5)
}

export class MlpGenerator extends Generator {
  hidden1: Linear
  hidden2: Linear
  toPixels: Linear

  constructor(config: GanConfig) {
    super(config)
    const { rng } = config
    const width = positiveInt('MlpGenerator', 'width', config.width ?? 256)
    const [c, h, w] = this.imageShape
    this.hidden1 = new Linear({ inFeatures: this.noise, outFeatures: width, rng })
    this.hidden2 = new Linear({ inFeatures: width, outFeatures: 2 * width, rng })
    this.toPixels = new Linear({ inFeatures: 2 * width, outFeatures: c * h * w, rng })
  }

  generate(z: Tensor, labels?: ArrayLike<number>): Tensor {
    this.checkNoise(z, labels)
    const h = this.hidden2.forward(this.hidden1.forward(z).leakyRelu(0.2)).leakyRelu(0.2)
    return this.toPixels.forward(h).tanh().reshape([z.shape[0]!, ...this.imageShape])
  }
}

export class MlpDiscriminator extends Discriminator {
  hidden1: Linear
  hidden2: Linear
  toLogit: Linear

  constructor(config: GanConfig) {
    super(config)
    const { rng } = config
    const width = positiveInt('MlpDiscriminator', 'width', config.width ?? 256)
    const [c, h, w] = this.imageShape
    this.hidden1 = new Linear({ inFeatures: c * h * w, outFeatures: 2 * width, rng })
    this.hidden2 = new Linear({ inFeatures: 2 * width, outFeatures: width, rng })
    this.toLogit = new Linear({ inFeatures: width, outFeatures: 1, rng })
  }

  forward(x: Tensor): Tensor {
    this.checkImages(x)
    const n = x.shape[0]!
    const h = this.hidden2.forward(this.hidden1.forward(x.reshape([n, -1])).leakyRelu(0.2)).leakyRelu(0.2)
    return this.toLogit.forward(h).reshape([n])
  }
}
