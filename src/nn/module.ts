// Module: a piece of a network that owns parameters (leaf tensors with requiresGrad), buffers
// (state that is saved but not trained, such as BatchNorm's running statistics) and sub-modules,
// all found by walking its own fields, so a layer just assigns them in its constructor.
// Layers build graphs, so Tensor comes from the library's core (src/core.ts), which installs its
// ops: whoever imports a layer, however deep, has a usable Tensor.
import { Tensor } from '../core.ts'
import { formatShape, isContiguous, sameShape } from '../tensor/strided.ts'

/** One direct member of a module, in field order. */
export type Member =
  | { name: string; kind: 'parameter' | 'buffer'; value: Tensor }
  | { name: string; kind: 'module'; value: Module }

export type StateDict = Record<string, Tensor>

export interface LoadStateDictOptions {
  /** Refuse missing and unexpected entries (the default). Shapes must match either way. */
  strict?: boolean
}

export abstract class Module {
  /** Train mode (the default) or eval mode; layers such as Dropout and BatchNorm read it. */
  training = true
  // Not enumerable (a private field), so the field walk below never meets it.
  readonly #bufferNames = new Set<string>()

  abstract forward(...inputs: Tensor[]): Tensor

  /** Declare a buffer: a tensor field that is saved in the state dict but not trained. */
  protected registerBuffer(name: string, value: Tensor): void {
    if (value.requiresGrad) throw new Error(`${this.constructor.name}.registerBuffer('${name}'): a buffer must not require grad`)
    this.#bufferNames.add(name)
    ;(this as unknown as Record<string, unknown>)[name] = value
  }

  /**
   * Parameters, buffers and sub-modules held directly, in field order; arrays of modules are
   * named `field.0`, `field.1`, ... Sequential overrides this to name its layers "0", "1", ...
   */
  members(): Member[] {
    const out: Member[] = []
    for (const [name, value] of Object.entries(this)) {
      if (value instanceof Module) out.push({ name, kind: 'module', value })
      else if (value instanceof Tensor) {
        if (this.#bufferNames.has(name)) out.push({ name, kind: 'buffer', value })
        else if (value.requiresGrad && !value.gradFn) out.push({ name, kind: 'parameter', value })
      } else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item instanceof Module) out.push({ name: `${name}.${i}`, kind: 'module', value: item })
        })
      }
    }
    return out
  }

  /** Every tensor of one kind with its dotted name ("encoder.0.weight"); shared ones appear under each name. */
  private namedTensors(kind: 'parameter' | 'buffer', prefix: string): [string, Tensor][] {
    const out: [string, Tensor][] = []
    for (const m of this.members()) {
      const name = prefix ? `${prefix}.${m.name}` : m.name
      if (m.kind === 'module') out.push(...m.value.namedTensors(kind, name))
      else if (m.kind === kind) out.push([name, m.value])
    }
    return out
  }

  /** Parameters with dotted names, in field order; a parameter shared by two layers is listed once. */
  namedParameters(prefix = ''): [string, Tensor][] {
    const seen = new Set<Tensor>()
    return this.namedTensors('parameter', prefix).filter(([, p]) => !seen.has(p) && seen.add(p))
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p)
  }

  namedBuffers(prefix = ''): [string, Tensor][] {
    return this.namedTensors('buffer', prefix)
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b)
  }

  /** Direct sub-modules with their names. */
  namedChildren(): [string, Module][] {
    return this.members().flatMap((m) => (m.kind === 'module' ? [[m.name, m.value] as [string, Module]] : []))
  }

  /** Sub-modules, this one included, each once. */
  modules(): Module[] {
    const out = new Set<Module>([this])
    for (const [, child] of this.namedChildren()) for (const m of child.modules()) out.add(m)
    return [...out]
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

  /** The live parameters and buffers by name, each module's in field order (PyTorch's state_dict). */
  private stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = []
    const walk = (module: Module, prefix: string) => {
      for (const m of module.members()) {
        const name = prefix ? `${prefix}.${m.name}` : m.name
        if (m.kind === 'module') walk(m.value, name)
        else out.push([name, m.value])
      }
    }
    walk(this, '')
    return out
  }

  /**
   * Every parameter and buffer by name. The tensors share storage with the module (as PyTorch's
   * do): save them or clone them before training on.
   */
  stateDict(): StateDict {
    const out: StateDict = {}
    for (const [name, t] of this.stateEntries()) out[name] = t.detach()
    return out
  }

  /**
   * Copy values into the parameters and buffers, in place. Every problem is reported at once:
   * missing names, unexpected names (both allowed with { strict: false }) and shape mismatches.
   */
  loadStateDict(dict: StateDict, options: LoadStateDictOptions = {}): void {
    const strict = options.strict ?? true
    const own = this.stateEntries()
    const expected = new Set(own.map(([name]) => name))
    const missing = own.filter(([name]) => !Object.hasOwn(dict, name))
    const unexpected = Object.keys(dict).filter((name) => !expected.has(name))
    const problems: string[] = []
    if (strict) {
      for (const [name, t] of missing) problems.push(`missing: '${name}' ${formatShape(t.shape)}`)
      for (const name of unexpected) problems.push(`unexpected: '${name}' ${formatShape(dict[name]!.shape)}`)
    }
    for (const [name, t] of own) {
      const source = dict[name]
      if (!Object.hasOwn(dict, name)) continue
      if (!(source instanceof Tensor)) problems.push(`'${name}': expected a Tensor, got ${typeof source}`)
      else if (!sameShape(source.shape, t.shape)) problems.push(`shape mismatch: '${name}' is ${formatShape(t.shape)} here, ${formatShape(source.shape)} in the state dict`)
    }
    if (problems.length) {
      throw new Error(`loadStateDict: the state dict does not fit this ${this.constructor.name}:\n  ${problems.join('\n  ')}`)
    }
    for (const [name, t] of own) {
      if (Object.hasOwn(dict, name)) copyInto(name, t, dict[name]!)
    }
  }
}

/** Overwrite target's values with source's (same shape; the dtype converts). */
function copyInto(name: string, target: Tensor, source: Tensor): void {
  if (!isContiguous(target)) throw new Error(`loadStateDict: '${name}' is not contiguous here and cannot be written in place`)
  target.data.set(source.toTypedArray(), target.offset)
}
