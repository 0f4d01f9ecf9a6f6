// The convolutional VAE: two stride-2 convolutions take 28x28 to 7x7, a linear layer to (mu,
// logvar), and the mirror image back with transposed convolutions; sigmoid pixel probabilities.
//   encoder  [N,1,28,28] -conv 1->32, 4x4 s2 p1, ReLU-> [N,32,14,14] -conv 32->64-> [N,64,7,7] -> mu, logvar
//   decoder  z -linear, ReLU-> [N,64,7,7] -convT 64->32, ReLU-> [N,32,14,14] -convT 32->1, sigmoid-> [N,1,28,28]
// A CVAE appends the one-hot label to the flattened features and to z (exercise 7.4).
import type { Tensor } from '../tensor/tensor.ts'
import type { Rng } from '../tensor/random.ts'
import { Linear } from '../nn/linear.ts'
import { Conv2d, ConvTranspose2d } from '../nn/conv.ts'
import { VaeModel, type VaeConfig } from './vae.ts'

export interface ConvVaeConfig extends VaeConfig {
  /** Channels of the two convolutions (32 and 64 by default). */
  channels?: readonly [number, number]
  rng: Rng
}

export class ConvVae extends VaeModel {
  conv1: Conv2d
  conv2: Conv2d
  toMu: Linear
  toLogvar: Linear
  fromLatent: Linear
  deconv1: ConvTranspose2d
  deconv2: ConvTranspose2d
  private readonly featureShape: [number, number, number]

  constructor(config: ConvVaeConfig) {
    super(config)
    const { rng } = config
    const [inChannels, height, width] = this.imageShape
    if (height % 4 !== 0 || width % 4 !== 0) {
      throw new RangeError(`ConvVae: two stride-2 convolutions need a height and width divisible by 4, got ${height}x${width}`)
    }
    const [c1, c2] = config.channels ?? [32, 64]
    const conv = { kernelSize: 4, stride: 2, padding: 1, rng }
    this.featureShape = [c2, height / 4, width / 4]
    const features = c2 * (height / 4) * (width / 4)
    const extra = this.classes ?? 0
    this.conv1 = new Conv2d({ inChannels, outChannels: c1, ...conv })
    this.conv2 = new Conv2d({ inChannels: c1, outChannels: c2, ...conv })
    this.toMu = new Linear({ inFeatures: features + extra, outFeatures: this.latent, rng })
    this.toLogvar = new Linear({ inFeatures: features + extra, outFeatures: this.latent, rng })
    this.fromLatent = new Linear({ inFeatures: this.latent + extra, outFeatures: features, rng })
    this.deconv1 = new ConvTranspose2d({ inChannels: c2, outChannels: c1, ...conv })
    this.deconv2 = new ConvTranspose2d({ inChannels: c1, outChannels: inChannels, ...conv })
  }

  encode(x: Tensor, labels?: ArrayLike<number>): { mu: Tensor; logvar: Tensor } {
    this.checkImages(x)
    const n = x.shape[0]!
    const h = this.conv2.forward(this.conv1.forward(x.reshape([n, ...this.imageShape])).relu()).relu()
    const features = this.conditioned(h.reshape([n, -1]), labels)
    return { mu: this.toMu.forward(features), logvar: this.toLogvar.forward(features) }
  }

  decode(z: Tensor, labels?: ArrayLike<number>): Tensor {
    this.checkLatents(z)
    const h = this.fromLatent.forward(this.conditioned(z, labels)).relu().reshape([z.shape[0]!, ...this.featureShape])
    return this.deconv2.forward(this.deconv1.forward(h).relu()).sigmoid()
  }
}
