// The VAE family's shared shape: an encoder to (mu, logvar), a decoder from z to pixel
// probabilities, optionally conditioned on the class label (the CVAE). The FC VAE lives here; the
// convolutional one in conv_vae.ts. The four ideas (reparameterize, the ELBO, sampling, the
// conditioning) are the exercises of chapter 7, imported through #kata.
import type { Tensor } from '../tensor/tensor.ts'
import { randn } from '../tensor/creation.ts'
import type { Rng } from '../tensor/random.ts'
import { formatShape } from '../tensor/strided.ts'
import { Module } from '../nn/module.ts'
import { Linear } from '../nn/linear.ts'
import { reparameterize } from '#kata/models/reparameterize'
import { negativeElbo, type ElboTerms } from '#kata/models/negative_elbo'
import { condition } from '#kata/models/condition'

export interface VaeConfig {
  /** Image shape [channels, height, width]; [1, 28, 28] for MNIST-style data. */
  imageShape?: readonly [number, number, number]
  latent: number
  /** Number of classes for a CVAE (the label conditions encoder and decoder); unset for a VAE. */
  classes?: number
}

export abstract class VaeModel extends Module {
  readonly imageShape: readonly [number, number, number]
  readonly latent: number
  readonly classes: number | null

  constructor(config: VaeConfig) {
    super()
    const { latent, classes } = config
    if (!(Number.isInteger(latent) && latent > 0)) throw new RangeError(`${this.constructor.name}: latent must be a positive integer, got ${latent}`)
    if (classes !== undefined && !(Number.isInteger(classes) && classes > 1)) {
      throw new RangeError(`${this.constructor.name}: classes must be an integer above 1 for a CVAE, got ${classes}`)
    }
    this.imageShape = config.imageShape ?? [1, 28, 28]
    this.latent = latent
    this.classes = classes ?? null
  }

  /** q(z|x): mu and logvar, each [N, latent]. */
  abstract encode(x: Tensor, labels?: ArrayLike<number>): { mu: Tensor; logvar: Tensor }
  /** p(x|z): pixel probabilities [N, ...imageShape]. */
  abstract decode(z: Tensor, labels?: ArrayLike<number>): Tensor

  /** The deterministic reconstruction: decode the mean of q(z|x). */
  reconstruct(x: Tensor, labels?: ArrayLike<number>): Tensor {
    return this.decode(this.encode(x, labels).mu, labels)
  }

  /** Module's forward: the reconstruction (a CVAE needs labels, so it takes reconstruct()). */
  forward(x: Tensor): Tensor {
    return this.reconstruct(x)
  }

  /** One Monte-Carlo estimate of the negative ELBO per image, with its two terms. */
  elbo(x: Tensor, options: { labels?: ArrayLike<number>; beta?: number; rng: Rng }): ElboTerms & { recon: Tensor } {
    const { mu, logvar } = this.encode(x, options.labels)
    const z = reparameterize(mu, logvar, randn(mu.shape, { rng: options.rng }))
    const recon = this.decode(z, options.labels)
    return { ...negativeElbo(recon, x.reshape(recon.shape), mu, logvar, options.beta ?? 1), recon }
  }

  /** Append the one-hot label for a CVAE; checks that labels come exactly when they should. */
  protected conditioned(features: Tensor, labels: ArrayLike<number> | undefined): Tensor {
    if (this.classes === null) {
      if (labels !== undefined) throw new Error(`${this.constructor.name}: got labels, but this model is not conditional (no classes)`)
      return features
    }
    if (labels === undefined) throw new Error(`${this.constructor.name}: a CVAE over ${this.classes} classes needs the labels`)
    return condition(features, labels, this.classes)
  }

  protected checkImages(x: Tensor): void {
    const [c, h, w] = this.imageShape
    const flat = x.ndim === 2 && x.shape[1] === c * h * w
    const image = x.ndim === 4 && x.shape[1] === c && x.shape[2] === h && x.shape[3] === w
    if (!flat && !image) {
      throw new Error(`${this.constructor.name}: expected images [N, ${c}, ${h}, ${w}] or [N, ${c * h * w}], got ${formatShape(x.shape)}`)
    }
  }

  protected checkLatents(z: Tensor): void {
    if (z.ndim !== 2 || z.shape[1] !== this.latent) throw new Error(`${this.constructor.name}: expected latents [N, ${this.latent}], got ${formatShape(z.shape)}`)
  }
}

export interface FcVaeConfig extends VaeConfig {
  hidden?: number
  rng: Rng
}

/** The FC VAE of Kingma and Welling's MNIST experiments and PyTorch's example: 784-400-z-400-784. */
export class FcVae extends VaeModel {
  readonly hidden: number
  encoderHidden: Linear
  toMu: Linear
  toLogvar: Linear
  decoderHidden: Linear
  toPixels: Linear

  constructor(config: FcVaeConfig) {
    super(config)
    const { rng } = config
    const hidden = (this.hidden = config.hidden ?? 400)
    const pixels = this.imageShape[0] * this.imageShape[1] * this.imageShape[2]
    const extra = this.classes ?? 0
    this.encoderHidden = new Linear({ inFeatures: pixels + extra, outFeatures: hidden, rng })
    this.toMu = new Linear({ inFeatures: hidden, outFeatures: this.latent, rng })
    this.toLogvar = new Linear({ inFeatures: hidden, outFeatures: this.latent, rng })
    this.decoderHidden = new Linear({ inFeatures: this.latent + extra, outFeatures: hidden, rng })
    this.toPixels = new Linear({ inFeatures: hidden, outFeatures: pixels, rng })
  }

  encode(x: Tensor, labels?: ArrayLike<number>): { mu: Tensor; logvar: Tensor } {
    this.checkImages(x)
    const h = this.encoderHidden.forward(this.conditioned(x.reshape([x.shape[0]!, -1]), labels)).relu()
    return { mu: this.toMu.forward(h), logvar: this.toLogvar.forward(h) }
  }

  decode(z: Tensor, labels?: ArrayLike<number>): Tensor {
    this.checkLatents(z)
    const h = this.decoderHidden.forward(this.conditioned(z, labels)).relu()
    return this.toPixels.forward(h).sigmoid().reshape([z.shape[0]!, ...this.imageShape])
  }
}
