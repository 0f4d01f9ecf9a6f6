// A multilayer perceptron classifier: Linear layers with ReLU between them, logits out.
import type { Tensor } from '../tensor/tensor.ts'
import type { Rng } from '../tensor/random.ts'
import { Module } from '../nn/module.ts'
import { Linear } from '../nn/linear.ts'

export class MlpClassifier extends Module {
  layers: Linear[]

  /** sizes: [inputs, hidden..., classes], e.g. [784, 128, 10]. */
  constructor(sizes: readonly number[], rng: Rng) {
    super()
    if (sizes.length < 2) throw new RangeError(`MlpClassifier: needs at least [inputs, classes], got [${sizes}]`)
    this.layers = sizes.slice(1).map((out, i) => new Linear({ inFeatures: sizes[i]!, outFeatures: out, rng }))
  }

  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer, i) => (i === 0 ? layer.forward(h) : layer.forward(h.relu())), x)
  }
}
