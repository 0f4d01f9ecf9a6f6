// Dropout (Srivastava et al., 2014): in training, zero each element with probability p and scale
// the survivors by 1 / (1 - p) ("inverted" dropout), so the expected value of every element is
// unchanged and evaluation needs no rescaling: in eval mode the layer is the identity.
import type { Tensor } from '../tensor/tensor.ts'
import { empty } from '../tensor/raw/ops.ts'
import type { Rng } from '../tensor/random.ts'
import { Module } from './module.ts'
import { rngFrom } from './init.ts'

export interface DropoutOptions {
  /** The probability of zeroing an element (0.5 by default). */
  p?: number
  /** The generator masks are drawn from, or a seed to start one. */
  rng?: Rng
  seed?: number
}

export class Dropout extends Module {
  readonly p: number
  private readonly rng: Rng

  constructor(options: DropoutOptions) {
    super()
    this.p = options.p ?? 0.5
    if (!(this.p >= 0 && this.p <= 1)) throw new RangeError(`Dropout: p must be a probability in [0, 1], got ${this.p}`)
    this.rng = rngFrom('Dropout', options)
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x
    // The mask is a constant of the graph: the gradient flows through the kept elements only.
    const mask = empty(x.shape, x.dtype)
    const keep = this.p === 1 ? 0 : 1 / (1 - this.p)
    for (let i = 0; i < mask.data.length; i++) mask.data[i] = this.rng.uniform() >= this.p ? keep : 0
    return x.mul(mask)
  }
}
