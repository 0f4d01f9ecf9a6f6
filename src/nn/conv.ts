// Conv2d and ConvTranspose2d layers with PyTorch's weight layouts and default initialisation:
// U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weight and bias, where fanIn is the weight's size(1) times
// the kernel area: C*kh*kw for Conv2d ([O, C, kh, kw]) and Cout*kh*kw for ConvTranspose2d
// ([Cin, Cout, kh, kw]), as torch.nn.init._calculate_fan_in_and_fan_out computes it.
import type { Tensor } from '../tensor/tensor.ts'
import { Rng } from '../tensor/random.ts'
import { formatShape } from '../tensor/strided.ts'
import { ShapeError } from '../tensor/errors.ts'
import type { Pair } from '../tensor/conv_geometry.ts'
import { pair } from '../tensor/conv_geometry.ts'
import { conv2d, convTranspose2d } from '../autograd/conv_ops.ts'
import { Module } from './module.ts'
import { uniformParameter } from './init.ts'

export interface Conv2dLayerOptions {
  inChannels: number
  outChannels: number
  /** kh = kw = kernelSize, or [kh, kw]. */
  kernelSize: Pair
  stride?: Pair
  padding?: Pair
  bias?: boolean
  /** A generator to draw the initial weights from, or a seed to start one. */
  rng?: Rng
  seed?: number
}

export interface ConvTranspose2dLayerOptions extends Conv2dLayerOptions {
  /** Extra rows and columns at the bottom and right of the output (less than stride). */
  outputPadding?: Pair
}

/** Checks and normalises the options the two layers share. */
function setUp(layer: string, options: Conv2dLayerOptions) {
  const { inChannels, outChannels } = options
  if (!(Number.isInteger(inChannels) && inChannels > 0 && Number.isInteger(outChannels) && outChannels > 0)) {
    throw new RangeError(`${layer}: inChannels and outChannels must be positive integers, got ${inChannels} and ${outChannels}`)
  }
  const rng = options.rng ?? (options.seed !== undefined ? new Rng(options.seed) : null)
  if (!rng) throw new TypeError(`${layer}: pass { rng } or { seed }: every initialisation in genkata is seeded`)
  const kernel = pair(layer, 'kernelSize', options.kernelSize, 0, 1)
  const stride = pair(layer, 'stride', options.stride, 1, 1)
  const padding = pair(layer, 'padding', options.padding, 0, 0)
  return { inChannels, outChannels, rng, kernel, stride, padding }
}

abstract class ConvLayer extends Module {
  abstract readonly inChannels: number

  /** "Conv2d(1 -> 32, kernel 4x4, stride 2, padding 1)": how errors name the layer. */
  abstract describe(): string

  /** Rejects inputs that are not [N, inChannels, H, W], and names the layer in shape errors from the op. */
  protected run(x: Tensor, op: () => Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError(`${this.describe()}: input has shape ${formatShape(x.shape)}, expected [N, ${this.inChannels}, H, W]`)
    }
    try {
      return op()
    } catch (error) {
      if (error instanceof ShapeError) throw new ShapeError(`${this.describe()}: ${error.message}`)
      throw error
    }
  }
}

export class Conv2d extends ConvLayer {
  readonly inChannels: number
  readonly outChannels: number
  readonly kernelSize: [number, number]
  readonly stride: [number, number]
  readonly padding: [number, number]
  weight: Tensor
  bias: Tensor | null

  constructor(options: Conv2dLayerOptions) {
    super()
    const { inChannels, outChannels, rng, kernel, stride, padding } = setUp('Conv2d', options)
    this.inChannels = inChannels
    this.outChannels = outChannels
    this.kernelSize = kernel
    this.stride = stride
    this.padding = padding
    const bound = 1 / Math.sqrt(inChannels * kernel[0] * kernel[1])
    this.weight = uniformParameter([outChannels, inChannels, ...kernel], bound, rng)
    this.bias = options.bias === false ? null : uniformParameter([outChannels], bound, rng)
  }

  describe(): string {
    return `Conv2d(${this.inChannels} -> ${this.outChannels}, kernel ${this.kernelSize.join('x')}, stride ${this.stride.join('x')}, padding ${this.padding.join('x')})`
  }

  forward(x: Tensor): Tensor {
    return this.run(x, () => conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding }))
  }
}

export class ConvTranspose2d extends ConvLayer {
  readonly inChannels: number
  readonly outChannels: number
  readonly kernelSize: [number, number]
  readonly stride: [number, number]
  readonly padding: [number, number]
  readonly outputPadding: [number, number]
  /** [inChannels, outChannels, kh, kw], PyTorch's layout. */
  weight: Tensor
  bias: Tensor | null

  constructor(options: ConvTranspose2dLayerOptions) {
    super()
    const { inChannels, outChannels, rng, kernel, stride, padding } = setUp('ConvTranspose2d', options)
    const outputPadding = pair('ConvTranspose2d', 'outputPadding', options.outputPadding, 0, 0)
    if (outputPadding[0] >= stride[0] || outputPadding[1] >= stride[1]) {
      throw new RangeError(`ConvTranspose2d: outputPadding [${outputPadding}] must be smaller than the stride [${stride}]`)
    }
    this.inChannels = inChannels
    this.outChannels = outChannels
    this.kernelSize = kernel
    this.stride = stride
    this.padding = padding
    this.outputPadding = outputPadding
    const bound = 1 / Math.sqrt(outChannels * kernel[0] * kernel[1])
    this.weight = uniformParameter([inChannels, outChannels, ...kernel], bound, rng)
    this.bias = options.bias === false ? null : uniformParameter([outChannels], bound, rng)
  }

  describe(): string {
    return (
      `ConvTranspose2d(${this.inChannels} -> ${this.outChannels}, kernel ${this.kernelSize.join('x')}, stride ${this.stride.join('x')}, ` +
      `padding ${this.padding.join('x')}, outputPadding ${this.outputPadding.join('x')})`
    )
  }

  forward(x: Tensor): Tensor {
    return this.run(x, () =>
      convTranspose2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, outputPadding: this.outputPadding }),
    )
  }
}
