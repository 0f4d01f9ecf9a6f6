// Optimizers update parameters in place from their .grad, outside the graph.
import type { Tensor } from '../tensor/tensor.ts'

export abstract class Optimizer {
  constructor(readonly params: Tensor[]) {
    for (const p of params) {
      if (!p.requiresGrad || p.gradFn || !p.isContiguous()) {
        throw new Error('Optimizer: parameters must be contiguous leaf tensors with requiresGrad')
      }
    }
  }
  abstract step(): void
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad()
  }
  /** Each parameter with its gradient as flat arrays (parameters without a gradient are skipped). */
  protected *withGrads(): Generator<[Float32Array | Float64Array, ArrayLike<number>, number]> {
    for (const [i, p] of this.params.entries()) {
      if (!p.grad) continue
      yield [p.data.subarray(p.offset, p.offset + p.size), p.grad.toTypedArray(), i]
    }
  }
}

/** Stochastic gradient descent with optional (heavy-ball) momentum. */
export class SGD extends Optimizer {
  private velocity: Float64Array[]
  constructor(params: Tensor[], readonly options: { lr: number; momentum?: number }) {
    super(params)
    this.velocity = params.map((p) => new Float64Array(p.size))
  }
  step(): void {
    const { lr, momentum = 0 } = this.options
    for (const [w, g, i] of this.withGrads()) {
      const v = this.velocity[i]!
      for (let j = 0; j < w.length; j++) {
        v[j] = momentum * v[j]! + g[j]!
        w[j]! -= lr * v[j]!
      }
    }
  }
}

/** Adam (Kingma and Ba, 2015) with bias correction. */
export class Adam extends Optimizer {
  private m: Float64Array[]
  private v: Float64Array[]
  private t = 0
  constructor(params: Tensor[], readonly options: { lr?: number; betas?: [number, number]; eps?: number } = {}) {
    super(params)
    this.m = params.map((p) => new Float64Array(p.size))
    this.v = params.map((p) => new Float64Array(p.size))
  }
  step(): void {
    const { lr = 1e-3, betas: [b1, b2] = [0.9, 0.999], eps = 1e-8 } = this.options
    this.t++
    const c1 = 1 - b1 ** this.t
    const c2 = 1 - b2 ** this.t
    for (const [w, g, i] of this.withGrads()) {
      const m = this.m[i]!
      const v = this.v[i]!
      for (let j = 0; j < w.length; j++) {
        m[j] = b1 * m[j]! + (1 - b1) * g[j]!
        v[j] = b2 * v[j]! + (1 - b2) * g[j]! * g[j]!
        w[j]! -= (lr * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + eps)
      }
    }
  }
}
