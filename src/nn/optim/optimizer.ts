// The optimizer base class: it checks the parameters, walks them each step, keeps one state per
// parameter (created on its first update, in the parameter's dtype as PyTorch does) and saves and
// restores that state (the format and its checks are in state_dict.ts) so a run resumes exactly.
// Each optimizer (sgd.ts, adam.ts, rmsprop.ts) adds its hyperparameters and its update rule, a
// chapter 6 exercise.
import { Tensor } from '../../tensor/tensor.ts'
import type { Storage } from '../../tensor/strided.ts'
import { allocate, formatShape, sameShape } from '../../tensor/strided.ts'
import type { OptimizerStateDict, ParamState } from './state_dict.ts'
import { checkStateDict, restoreParamState, saveParamState } from './state_dict.ts'

export abstract class Optimizer<S extends ParamState = ParamState> {
  readonly params: Tensor[]
  protected state: (S | null)[]
  /** The hyperparameters; change them between steps (a learning-rate schedule sets `options.lr`). */
  abstract readonly options: object

  constructor(params: Tensor[]) {
    const seen = new Set<Tensor>()
    params.forEach((p, i) => {
      if (!(p instanceof Tensor) || !p.requiresGrad || p.gradFn || !p.isContiguous()) {
        throw new Error(`${this.constructor.name}: parameter ${i} must be a contiguous leaf tensor with requiresGrad`)
      }
      if (seen.has(p)) throw new Error(`${this.constructor.name}: parameter ${i} appears twice in the list; it would be updated twice per step`)
      seen.add(p)
    })
    this.params = [...params]
    this.state = params.map(() => null)
  }

  /** The optimizer's name in state dicts. */
  get name(): string {
    return this.constructor.name
  }

  /** Throws a RangeError naming the first bad hyperparameter. */
  protected abstract validate(options: object): void
  /** Fresh state for a parameter (buffers of zeros, step 0). */
  protected abstract initState(p: Tensor): S
  /** The rule: update one parameter's values in place. */
  protected abstract update(param: Storage, grad: ArrayLike<number>, state: S): void
  /**
   * A backend's one-pass kernel for the rule, given the gradient as a tensor (so a backend can read
   * it where it lives, without a download); true when it did the update. None by default.
   */
  protected fused(_param: Storage, _grad: Tensor, _state: S): boolean {
    return false
  }

  /** One update of every parameter that has a gradient (parameters without one are skipped). */
  step(): void {
    this.validate(this.options)
    this.params.forEach((p, i) => {
      const g = p.grad
      if (!g) return
      if (!sameShape(g.shape, p.shape)) {
        throw new Error(`${this.name}.step: parameter ${i} has shape ${formatShape(p.shape)} but its gradient ${formatShape(g.shape)}`)
      }
      const state = (this.state[i] ??= this.initState(p))
      state.step += 1
      const values = p.data.subarray(p.offset, p.offset + p.size)
      if (this.fused(values, g, state)) return
      const grad = g.isContiguous() ? g.data.subarray(g.offset, g.offset + g.size) : g.toTypedArray()
      this.update(values, grad, state)
    })
  }

  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad()
  }

  /** Hyperparameters and per-parameter state (copied into tensors of the parameters' shapes). */
  stateDict(): OptimizerStateDict {
    return {
      optimizer: this.name,
      options: structuredClone(this.options) as Record<string, unknown>,
      state: this.state.map((s, i) => (s ? saveParamState(s, this.params[i]!) : null)),
    }
  }

  /** Restore hyperparameters and state saved by stateDict(), for the same parameters in the same order. */
  loadStateDict(dict: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`
    checkStateDict(dict, this.name, this.params.length, this.options, where)
    const options = { ...this.options, ...(dict.options as object) }
    this.validate(options)
    // Build everything before changing anything, so a bad entry leaves the optimizer as it was.
    const previousOptions = structuredClone(this.options)
    Object.assign(this.options, options)
    try {
      const states = dict.state.map((saved, i) => (saved === null ? null : (restoreParamState(saved, this.params[i]!, this.initState(this.params[i]!), `${where}: parameter ${i}`) as S)))
      this.state = states
    } catch (error) {
      Object.assign(this.options, previousOptions)
      throw error
    }
  }
}

/** A zeroed buffer of the parameter's size and dtype, for an optimizer's state. */
export function zeroBuffer(p: Tensor): Storage {
  return allocate(p.dtype, p.size)
}
