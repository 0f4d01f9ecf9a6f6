// Activation functions as modules, for Sequential. No parameters; each is one tensor method.
import type { Tensor } from '../tensor/tensor.ts'
import { Module } from './module.ts'

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return x.relu()
  }
}

export class LeakyReLU extends Module {
  readonly negativeSlope: number
  constructor(options: { negativeSlope?: number } = {}) {
    super()
    this.negativeSlope = options.negativeSlope ?? 0.01
    if (!Number.isFinite(this.negativeSlope)) throw new RangeError(`LeakyReLU: negativeSlope must be a finite number, got ${this.negativeSlope}`)
  }
  forward(x: Tensor): Tensor {
    return x.leakyRelu(this.negativeSlope)
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid()
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh()
  }
}
