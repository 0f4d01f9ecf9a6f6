// Batch normalisation (Ioffe and Szegedy, 2015) with PyTorch's semantics.
//
// In training, each channel c is normalised with the statistics of the batch (over every axis
// but the channel axis 1): y = (x - mean) / sqrt(var + eps) * weight[c] + bias[c], with the
// biased variance (divided by n). The running statistics that eval mode uses are updated as
//   running = (1 - momentum) * running + momentum * batch statistic
// where the variance fed to the running average is the unbiased one (divided by n - 1).
// With momentum null the running statistics are the plain average over all batches seen.
import type { Tensor } from '../tensor/tensor.ts'
import { ones, zeros } from '../tensor/creation.ts'
import { formatShape } from '../tensor/strided.ts'
import { noGrad } from '../autograd/grad_mode.ts'
import { batchNormTrain } from '../autograd/batch_norm.ts'
import { Module } from './module.ts'

export interface BatchNormOptions {
  numFeatures: number
  eps?: number
  /** Weight of the newest batch in the running statistics; null for a cumulative average. */
  momentum?: number | null
  /** Learnable per-channel weight and bias (true by default). */
  affine?: boolean
  /** Keep running statistics for eval mode (true by default); without them eval uses batch statistics. */
  trackRunningStats?: boolean
}

abstract class BatchNorm extends Module {
  readonly numFeatures: number
  readonly eps: number
  readonly momentum: number | null
  readonly affine: boolean
  readonly trackRunningStats: boolean
  weight: Tensor | null
  bias: Tensor | null
  declare runningMean: Tensor | null
  declare runningVar: Tensor | null
  declare numBatchesTracked: Tensor | null

  constructor(options: BatchNormOptions) {
    super()
    const name = this.constructor.name
    const { numFeatures } = options
    if (!(Number.isInteger(numFeatures) && numFeatures > 0)) throw new RangeError(`${name}: numFeatures must be a positive integer, got ${numFeatures}`)
    this.numFeatures = numFeatures
    this.eps = options.eps ?? 1e-5
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum
    if (!(this.eps > 0)) throw new RangeError(`${name}: eps must be > 0, got ${this.eps}`)
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) throw new RangeError(`${name}: momentum must be in [0, 1] or null, got ${this.momentum}`)
    this.affine = options.affine ?? true
    this.trackRunningStats = options.trackRunningStats ?? true
    this.weight = this.affine ? ones([numFeatures], { requiresGrad: true }) : null
    this.bias = this.affine ? zeros([numFeatures], { requiresGrad: true }) : null
    if (this.trackRunningStats) {
      this.registerBuffer('runningMean', zeros([numFeatures]))
      this.registerBuffer('runningVar', ones([numFeatures]))
      // A count, kept in float64 so it stays exact.
      this.registerBuffer('numBatchesTracked', zeros([], { dtype: 'float64' }))
    } else {
      this.runningMean = this.runningVar = this.numBatchesTracked = null
    }
  }

  /** Throws unless x has the shape this layer accepts. */
  protected abstract checkInput(x: Tensor): void

  forward(x: Tensor): Tensor {
    this.checkInput(x)
    const c = this.numFeatures
    if (x.shape[1] !== c) throw new Error(`${this.constructor.name}(${c}): input has shape ${formatShape(x.shape)}, its axis 1 must have ${c} channels`)
    if (this.training || !this.trackRunningStats) {
      const n = x.size / c
      if (this.training && n <= 1) {
        throw new Error(`${this.constructor.name}: expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}`)
      }
      // y = (x - mean) / sqrt(var + eps) * weight + bias as one op with its own backward (autograd/batch_norm.ts).
      const { y, mean, variance } = batchNormTrain(x, this.weight, this.bias, this.eps)
      if (this.training && this.trackRunningStats) this.updateRunningStats(mean, variance, n)
      return y
    }
    const perChannel = [1, c, ...x.shape.slice(2).map(() => 1)] // broadcasts a [C] vector over x
    const y = x.sub(this.runningMean!.reshape(perChannel)).div(this.runningVar!.reshape(perChannel).add(this.eps).sqrt())
    return this.weight && this.bias ? y.mul(this.weight.reshape(perChannel)).add(this.bias.reshape(perChannel)) : y
  }

  private updateRunningStats(mean: Tensor, variance: Tensor, n: number): void {
    noGrad(() => {
      const count = this.numBatchesTracked!
      count.data[count.offset] = count.item() + 1
      const m = this.momentum ?? 1 / count.item()
      const batchMean = mean.toTypedArray()
      const batchVar = variance.toTypedArray()
      const rm = this.runningMean!.data
      const rv = this.runningVar!.data
      for (let ch = 0; ch < this.numFeatures; ch++) {
        rm[ch] = (1 - m) * rm[ch]! + m * batchMean[ch]!
        rv[ch] = (1 - m) * rv[ch]! + (m * batchVar[ch]! * n) / (n - 1)
      }
    })
  }
}

/** BatchNorm over [N, C] or [N, C, L] inputs. */
export class BatchNorm1d extends BatchNorm {
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`BatchNorm1d: expected an input [N, C] or [N, C, L], got ${formatShape(x.shape)}`)
  }
}

/** BatchNorm over [N, C, H, W] inputs. */
export class BatchNorm2d extends BatchNorm {
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 4) throw new Error(`BatchNorm2d: expected an input [N, C, H, W], got ${formatShape(x.shape)}`)
  }
}
