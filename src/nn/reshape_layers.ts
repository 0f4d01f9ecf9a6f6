// Flatten and Unflatten: shape changes as layers, between convolutional and fully connected parts.
import type { Tensor } from '../tensor/tensor.ts'
import { formatShape } from '../tensor/strided.ts'
import { Module } from './module.ts'

/** Collapse axes startDim..endDim into one; the defaults keep the batch axis: [N, C, H, W] -> [N, C*H*W]. */
export class Flatten extends Module {
  readonly startDim: number
  readonly endDim: number
  constructor(options: { startDim?: number; endDim?: number } = {}) {
    super()
    this.startDim = options.startDim ?? 1
    this.endDim = options.endDim ?? -1
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim)
  }
}

/** Split axis `dim` into `sizes`: Unflatten({ dim: 1, sizes: [64, 7, 7] }) turns [N, 3136] into [N, 64, 7, 7]. */
export class Unflatten extends Module {
  readonly dim: number
  readonly sizes: readonly number[]
  constructor(options: { dim: number; sizes: readonly number[] }) {
    super()
    if (!Number.isInteger(options.dim)) throw new RangeError(`Unflatten: dim must be an integer, got ${options.dim}`)
    if (!options.sizes.length || options.sizes.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new RangeError(`Unflatten: sizes must be positive integers, got ${formatShape(options.sizes)}`)
    }
    this.dim = options.dim
    this.sizes = [...options.sizes]
  }
  forward(x: Tensor): Tensor {
    const dim = this.dim < 0 ? this.dim + x.ndim : this.dim
    const size = x.shape[dim]
    const product = this.sizes.reduce((a, b) => a * b, 1)
    if (size === undefined || dim < 0 || size !== product) {
      throw new Error(`Unflatten(dim ${this.dim}, sizes ${formatShape(this.sizes)}): input has shape ${formatShape(x.shape)}; axis ${this.dim} must have ${product} entries`)
    }
    return x.reshape([...x.shape.slice(0, dim), ...this.sizes, ...x.shape.slice(dim + 1)])
  }
}
