// Sequential: layers applied one after the other. Its children are named "0", "1", ... so a
// parameter is "0.weight", "2.bias": the names PyTorch's nn.Sequential gives.
import type { Tensor } from '../tensor/tensor.ts'
import type { Member } from './module.ts'
import { Module } from './module.ts'

export class Sequential extends Module {
  readonly layers: readonly Module[]

  constructor(...layers: Module[]) {
    super()
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`)
    })
    this.layers = layers
  }

  override members(): Member[] {
    return this.layers.map((value, i) => ({ name: String(i), kind: 'module', value }))
  }

  get length(): number {
    return this.layers.length
  }

  /** The layer at `index` (negative counts from the end). */
  at(index: number): Module {
    const layer = this.layers.at(index)
    if (!layer) throw new RangeError(`Sequential.at: index ${index} is out of range for ${this.layers.length} layers`)
    return layer
  }

  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.forward(h), x)
  }
}
