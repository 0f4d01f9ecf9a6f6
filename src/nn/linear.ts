// Linear: y = x W^T + b (exercise 4.4), with W stored [out, in] as in PyTorch so checkpoints line up.
import type { Tensor } from '../tensor/tensor.ts'
import { Rng } from '../tensor/random.ts'
import { formatShape } from '../tensor/strided.ts'
import { Module } from './module.ts'
import { uniformParameter } from './init.ts'
import { linear } from '#kata/nn/linear'

export interface LinearOptions {
  inFeatures: number
  outFeatures: number
  bias?: boolean
  /** A generator to draw the initial weights from, or a seed to start one. */
  rng?: Rng
  seed?: number
}

export class Linear extends Module {
  readonly inFeatures: number
  readonly outFeatures: number
  weight: Tensor
  bias: Tensor | null

  constructor(options: LinearOptions) {
    super()
    const { inFeatures, outFeatures } = options
    if (!(Number.isInteger(inFeatures) && inFeatures > 0 && Number.isInteger(outFeatures) && outFeatures > 0)) {
      throw new RangeError(`Linear: inFeatures and outFeatures must be positive integers, got ${inFeatures} and ${outFeatures}`)
    }
    const rng = options.rng ?? (options.seed !== undefined ? new Rng(options.seed) : null)
    if (!rng) throw new TypeError('Linear: pass { rng } or { seed }: every initialisation in genkata is seeded')
    this.inFeatures = inFeatures
    this.outFeatures = outFeatures
    const bound = 1 / Math.sqrt(inFeatures)
    this.weight = uniformParameter([outFeatures, inFeatures], bound, rng)
    this.bias = options.bias === false ? null : uniformParameter([outFeatures], bound, rng)
  }

  forward(x: Tensor): Tensor {
    if (x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new Error(`Linear(${this.inFeatures} -> ${this.outFeatures}): input has shape ${formatShape(x.shape)}, its last axis must be ${this.inFeatures}`)
    }
    return linear(x, this.weight, this.bias)
  }
}
