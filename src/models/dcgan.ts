// DCGAN (Radford, Metz and Chintala, 2016) sized for 28x28 images: strided (transposed)
// convolutions instead of pooling, BatchNorm in both players except the discriminator's input
// layer and the generator's output layer, ReLU in the generator and LeakyReLU 0.2 in the
// discriminator, tanh output.
//   generator      z -Linear-> [N,128,7,7] -BatchNorm, ReLU-> -convT 128->64, 4x4 s2 p1-> [N,64,14,14]
//                  -BatchNorm, ReLU-> -convT 64->1, 4x4 s2 p1, tanh-> [N,1,28,28]
//   discriminator  x -conv 1->64, 4x4 s2 p1, LeakyReLU-> [N,64,14,14] -conv 64->128, BatchNorm,
//                  LeakyReLU-> [N,128,7,7] -flatten, Linear-> 1 logit
// (64 and 128 are `width` and 2 * width.) Layers followed by BatchNorm have no bias: BatchNorm
// subtracts the per-channel mean, so a bias there would be a parameter that never learns.
// The DCGAN initialisation: convolution weights N(0, 0.02), BatchNorm weights N(1, 0.02), their
// biases 0; the linear layers keep PyTorch's default.
import type { Tensor } from '../tensor/tensor.ts'
import type { Rng } from '../tensor/random.ts'
import { noGrad } from '../autograd/grad_mode.ts'
import type { Module } from '../nn/module.ts'
import { Linear } from '../nn/linear.ts'
import { Conv2d, ConvTranspose2d } from '../nn/conv.ts'
import { BatchNorm1d, BatchNorm2d } from '../nn/batchnorm.ts'
import { Discriminator, Generator, type GanConfig } from './gan.ts'

function fillNormal(t: Tensor, mean: number, std: number, rng: Rng): void {
  for (let i = 0; i < t.size; i++) t.data[t.offset + i] = mean + std * rng.normal()
}

/** Apply the DCGAN initialisation to every convolution and BatchNorm inside `module`, in place. */
export function dcganInit(module: Module, rng: Rng): void {
  noGrad(() => {
    for (const m of module.modules()) {
      if (m instanceof Conv2d || m instanceof ConvTranspose2d) {
        fillNormal(m.weight, 0, 0.02, rng)
        m.bias?.data.fill(0, m.bias.offset, m.bias.offset + m.bias.size)
      } else if (m instanceof BatchNorm2d || m instanceof BatchNorm1d) {
        if (m.weight) fillNormal(m.weight, 1, 0.02, rng)
        m.bias?.data.fill(0, m.bias.offset, m.bias.offset + m.bias.size)
      }
    }
  })
}

function quarter(owner: string, shape: readonly [number, number, number]): [number, number] {
  const [, h, w] = shape
  if (h % 4 !== 0 || w % 4 !== 0) throw new RangeError(`${owner}: two stride-2 layers need a height and width divisible by 4, got ${h}x${w}`)
  return [h / 4, w / 4]
}

function widthOf(owner: string, config: GanConfig): number {
  const width = config.width ?? 64
  if (!(Number.isInteger(width) && width > 0)) throw new RangeError(`${owner}: width must be a positive integer, got ${width}`)
  return width
}

export class DcganGenerator extends Generator {
  project: Linear
  bn0: BatchNorm2d
  deconv1: ConvTranspose2d
  bn1: BatchNorm2d
  deconv2: ConvTranspose2d
  private readonly featureShape: [number, number, number]

  constructor(config: GanConfig) {
    super(config)
    const { rng } = config
    const width = widthOf(this.constructor.name, config)
    const [h4, w4] = quarter(this.constructor.name, this.imageShape)
    const conv = { kernelSize: 4, stride: 2, padding: 1, rng }
    this.featureShape = [2 * width, h4, w4]
    this.project = new Linear({ inFeatures: this.noise, outFeatures: 2 * width * h4 * w4, bias: false, rng })
    this.bn0 = new BatchNorm2d({ numFeatures: 2 * width })
    this.deconv1 = new ConvTranspose2d({ inChannels: 2 * width, outChannels: width, bias: false, ...conv })
    this.bn1 = new BatchNorm2d({ numFeatures: width })
    this.deconv2 = new ConvTranspose2d({ inChannels: width, outChannels: this.imageShape[0], ...conv })
    dcganInit(this, rng)
  }

  generate(z: Tensor, labels?: ArrayLike<number>): Tensor {
    this.checkNoise(z, labels)
    return this.body(z)
  }

  /** The network from its (possibly conditioned) input [N, noise] to images. */
  protected body(input: Tensor): Tensor {
    const h0 = this.bn0.forward(this.project.forward(input).reshape([input.shape[0]!, ...this.featureShape])).relu()
    const h1 = this.bn1.forward(this.deconv1.forward(h0)).relu()
    return this.deconv2.forward(h1).tanh()
  }
}

export class DcganDiscriminator extends Discriminator {
  conv1: Conv2d
  conv2: Conv2d
  bn2: BatchNorm2d
  toLogit: Linear
  /** Size of the flattened features the heads read. */
  readonly features: number

  constructor(config: GanConfig) {
    super(config)
    const { rng } = config
    const width = widthOf(this.constructor.name, config)
    const [h4, w4] = quarter(this.constructor.name, this.imageShape)
    const conv = { kernelSize: 4, stride: 2, padding: 1, rng }
    this.features = 2 * width * h4 * w4
    this.conv1 = new Conv2d({ inChannels: this.imageShape[0], outChannels: width, ...conv })
    this.conv2 = new Conv2d({ inChannels: width, outChannels: 2 * width, bias: false, ...conv })
    this.bn2 = new BatchNorm2d({ numFeatures: 2 * width })
    this.toLogit = new Linear({ inFeatures: this.features, outFeatures: 1, rng })
    dcganInit(this, rng)
  }

  /** The body's flattened features, [N, features]. */
  extract(x: Tensor): Tensor {
    this.checkImages(x)
    const n = x.shape[0]!
    const h1 = this.conv1.forward(x.reshape([n, ...this.imageShape])).leakyRelu(0.2)
    return this.bn2.forward(this.conv2.forward(h1)).leakyRelu(0.2).reshape([n, -1])
  }

  forward(x: Tensor): Tensor {
    return this.toLogit.forward(this.extract(x)).reshape([x.shape[0]!])
  }
}
