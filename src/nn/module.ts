// Module: a piece of a network that owns parameters (leaf tensors with requiresGrad) and
// sub-modules, found by walking its own fields, so a layer just assigns them in its constructor.
import type { Tensor } from '../tensor/tensor.ts'
import { Tensor as TensorClass } from '../tensor/tensor.ts'

export abstract class Module {
  /** Train mode (the default) or eval mode; layers such as Dropout and BatchNorm read it. */
  training = true

  abstract forward(...inputs: Tensor[]): Tensor

  /** Parameters with dotted names ("encoder.0.weight"), in field order. */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = []
    for (const [key, value] of Object.entries(this)) {
      const name = prefix ? `${prefix}.${key}` : key
      if (value instanceof TensorClass && value.requiresGrad && !value.gradFn) out.push([name, value])
      else if (value instanceof Module) out.push(...value.namedParameters(name))
      else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item instanceof Module) out.push(...item.namedParameters(`${name}.${i}`))
        })
      }
    }
    return out
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p)
  }

  /** Sub-modules, this one included. */
  modules(): Module[] {
    const out: Module[] = [this]
    for (const value of Object.values(this)) {
      if (value instanceof Module) out.push(...value.modules())
      else if (Array.isArray(value)) for (const item of value) if (item instanceof Module) out.push(...item.modules())
    }
    return out
  }

  train(on = true): this {
    for (const m of this.modules()) m.training = on
    return this
  }

  eval(): this {
    return this.train(false)
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad()
  }
}
