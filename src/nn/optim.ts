// Optimizers update parameters in place from their .grad, outside the graph, with PyTorch's rules.
//
// The per-element update rules are the chapter 6 exercises (solutions/nn/optim/*); this file owns
// the plumbing: checking hyperparameters, walking the parameters, keeping one state per parameter
// (created on its first update, in the parameter's dtype as PyTorch does), and saving/restoring
// that state so a run resumes exactly where it stopped.
import type { Tensor } from '../tensor/tensor.ts'
import { Tensor as TensorClass } from '../tensor/tensor.ts'
import { fromArray } from '../tensor/creation.ts'
import type { Storage } from '../tensor/strided.ts'
import { allocate, formatShape, sameShape } from '../tensor/strided.ts'
import { noGrad } from '../autograd/grad_mode.ts'
import { sgdUpdate, type SgdHyper, type SgdState } from '#kata/nn/optim/sgd'
import { adamUpdate, type AdamHyper, type AdamState } from '#kata/nn/optim/adam'
import { adamUpdateF32 } from '../backend/cpu/index.ts'

/**
 * Whether adamUpdate is the reference solution: only then may the backend's one-pass kernel
 * (the same arithmetic, bit for bit) stand in for it. A student's own rule always runs as written.
 */
const REFERENCE_ADAM = import.meta.resolve('#kata/nn/optim/adam').includes('/solutions/')
import { rmspropUpdate, type RmspropHyper, type RmspropState } from '#kata/nn/optim/rmsprop'

/** Per-parameter state: a step count and named buffers of the parameter's size (null when unused). */
export interface ParamState {
  step: number
  [buffer: string]: number | Storage | null
}

/** What stateDict() returns: plain JSON plus tensors, ready for saveCheckpoint's `extra`. */
export interface OptimizerStateDict {
  optimizer: string
  options: Record<string, unknown>
  /** One entry per parameter, in order; null for a parameter that was never updated. */
  state: (Record<string, number | Tensor | null> | null)[]
}

// ---- hyperparameter checks -------------------------------------------------------------------

function finiteAtLeast(op: string, name: string, value: unknown, min = 0): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${op}: ${name} must be a finite number >= ${min}, got ${String(value)}`)
  }
}

function unitInterval(op: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(`${op}: ${name} must be a number in [0, 1), got ${String(value)}`)
  }
}

function flag(op: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new TypeError(`${op}: ${name} must be true or false, got ${String(value)}`)
}

// ---- the base class ----------------------------------------------------------------------------

export abstract class Optimizer<S extends ParamState = ParamState> {
  readonly params: Tensor[]
  protected state: (S | null)[]
  /** The hyperparameters; change them between steps (a learning-rate schedule sets `options.lr`). */
  abstract readonly options: object

  constructor(params: Tensor[]) {
    const seen = new Set<Tensor>()
    params.forEach((p, i) => {
      if (!(p instanceof TensorClass) || !p.requiresGrad || p.gradFn || !p.isContiguous()) {
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
      state: this.state.map((s, i) => {
        if (!s) return null
        const shape = this.params[i]!.shape
        const entry: Record<string, number | Tensor | null> = {}
        for (const [key, value] of Object.entries(s)) {
          entry[key] = value === null || typeof value === 'number' ? value : fromArray(value, shape, { dtype: this.params[i]!.dtype })
        }
        return entry
      }),
    }
  }

  /** Restore hyperparameters and state saved by stateDict(), for the same parameters in the same order. */
  loadStateDict(dict: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`
    if (typeof dict !== 'object' || dict === null) throw new TypeError(`${where}: expected a state dict object, got ${String(dict)}`)
    if (dict.optimizer !== this.name) throw new Error(`${where}: the state dict is for ${String(dict.optimizer)}, this optimizer is ${this.name}`)
    if (!Array.isArray(dict.state) || dict.state.length !== this.params.length) {
      throw new Error(`${where}: the state dict has state for ${Array.isArray(dict.state) ? dict.state.length : 'no'} parameters, this optimizer has ${this.params.length}`)
    }
    const options = { ...this.options, ...(dict.options as object) }
    const unknown = Object.keys(dict.options ?? {}).filter((k) => !Object.hasOwn(this.options, k))
    if (unknown.length) throw new Error(`${where}: unknown hyperparameters ${unknown.join(', ')}`)
    this.validate(options)
    // Build everything before changing anything, so a bad entry leaves the optimizer as it was.
    const previousOptions = structuredClone(this.options)
    Object.assign(this.options, options)
    try {
      const states = dict.state.map((saved, i) => (saved === null ? null : this.restoreState(saved, i, where)))
      this.state = states
    } catch (error) {
      Object.assign(this.options, previousOptions)
      throw error
    }
  }

  private restoreState(saved: Record<string, number | Tensor | null>, i: number, where: string): S {
    const p = this.params[i]!
    const fresh = this.initState(p)
    const keys = Object.keys(fresh)
    const savedKeys = Object.keys(saved ?? {})
    if (savedKeys.length !== keys.length || !keys.every((k) => Object.hasOwn(saved, k))) {
      throw new Error(`${where}: parameter ${i}: expected state entries ${keys.join(', ')}, got ${savedKeys.join(', ') || 'none'}`)
    }
    const step = saved.step
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new Error(`${where}: parameter ${i}: step must be a non-negative integer, got ${String(step)}`)
    const out: ParamState = { step }
    for (const key of keys) {
      if (key === 'step') continue
      const template = fresh[key]
      const value = saved[key]
      if (template === null) {
        if (value !== null) throw new Error(`${where}: parameter ${i}: '${key}' is unused with these hyperparameters but the state dict has one`)
        out[key] = null
        continue
      }
      if (!(value instanceof TensorClass) || !sameShape(value.shape, p.shape)) {
        const got = value instanceof TensorClass ? `shape ${formatShape(value.shape)}` : String(value)
        throw new Error(`${where}: parameter ${i}: '${key}' must be a tensor of shape ${formatShape(p.shape)}, got ${got}`)
      }
      const buffer = allocate(p.dtype, p.size)
      buffer.set(value.toTypedArray())
      out[key] = buffer
    }
    return out as S
  }
}

function zerosLike(p: Tensor): Storage {
  return allocate(p.dtype, p.size)
}

// ---- SGD ---------------------------------------------------------------------------------------

export interface SgdOptions {
  lr: number
  momentum?: number
  dampening?: number
  nesterov?: boolean
  weightDecay?: number
}

/** Stochastic gradient descent with optional momentum (heavy ball or Nesterov) and L2 weight decay. */
export class SGD extends Optimizer<SgdState & ParamState> {
  readonly options: SgdHyper

  constructor(params: Tensor[], options: SgdOptions) {
    super(params)
    this.options = { lr: options.lr, momentum: options.momentum ?? 0, dampening: options.dampening ?? 0, nesterov: options.nesterov ?? false, weightDecay: options.weightDecay ?? 0 }
    this.validate(this.options)
  }

  protected validate(o: SgdHyper): void {
    finiteAtLeast('SGD', 'lr', o.lr)
    finiteAtLeast('SGD', 'momentum', o.momentum)
    finiteAtLeast('SGD', 'dampening', o.dampening)
    finiteAtLeast('SGD', 'weightDecay', o.weightDecay)
    flag('SGD', 'nesterov', o.nesterov)
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError(`SGD: nesterov needs momentum > 0 and dampening 0, got momentum ${o.momentum} and dampening ${o.dampening}`)
    }
  }

  protected initState(p: Tensor): SgdState & ParamState {
    return { step: 0, momentumBuffer: zerosLike(p) }
  }

  protected update(param: Storage, grad: ArrayLike<number>, state: SgdState & ParamState): void {
    sgdUpdate(param, grad, state, this.options)
  }
}

// ---- Adam and AdamW ----------------------------------------------------------------------------

export interface AdamOptions {
  lr?: number
  betas?: [number, number]
  eps?: number
  weightDecay?: number
  /** AdamW's decoupled weight decay (new AdamW(...) sets it). */
  decoupled?: boolean
}

interface AdamSettings {
  lr: number
  betas: [number, number]
  eps: number
  weightDecay: number
  decoupled: boolean
}

/** Adam (Kingma and Ba, 2015) with bias correction; L2 weight decay, or decoupled as in AdamW. */
export class Adam extends Optimizer<AdamState & ParamState> {
  readonly options: AdamSettings

  constructor(params: Tensor[], options: AdamOptions = {}, defaults: { weightDecay: number; decoupled: boolean } = { weightDecay: 0, decoupled: false }) {
    super(params)
    this.options = {
      lr: options.lr ?? 1e-3,
      betas: [...(options.betas ?? [0.9, 0.999])] as [number, number],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? defaults.weightDecay,
      decoupled: options.decoupled ?? defaults.decoupled,
    }
    this.validate(this.options)
  }

  protected validate(o: AdamSettings): void {
    const name = this.name
    finiteAtLeast(name, 'lr', o.lr)
    if (!Array.isArray(o.betas) || o.betas.length !== 2) throw new RangeError(`${name}: betas must be two numbers [beta1, beta2], got ${JSON.stringify(o.betas)}`)
    unitInterval(name, 'betas[0]', o.betas[0])
    unitInterval(name, 'betas[1]', o.betas[1])
    finiteAtLeast(name, 'eps', o.eps)
    finiteAtLeast(name, 'weightDecay', o.weightDecay)
    flag(name, 'decoupled', o.decoupled)
  }

  protected initState(p: Tensor): AdamState & ParamState {
    return { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) }
  }

  protected update(param: Storage, grad: ArrayLike<number>, state: AdamState & ParamState): void {
    const { lr, betas, eps, weightDecay, decoupled } = this.options
    const hyper: AdamHyper = { lr, beta1: betas[0], beta2: betas[1], eps, weightDecay, decoupled }
    if (REFERENCE_ADAM && adamUpdateF32(param, grad, state.expAvg, state.expAvgSq, state.step, hyper)) return
    adamUpdate(param, grad, state, hyper)
  }
}

/** Adam with decoupled weight decay (Loshchilov and Hutter); weightDecay defaults to 0.01 as in PyTorch. */
export class AdamW extends Adam {
  constructor(params: Tensor[], options: AdamOptions = {}) {
    super(params, options, { weightDecay: 0.01, decoupled: true })
  }
}

// ---- RMSprop -----------------------------------------------------------------------------------

export interface RmspropOptions {
  lr?: number
  alpha?: number
  eps?: number
  weightDecay?: number
  momentum?: number
  centered?: boolean
}

/** RMSprop with PyTorch's defaults (lr 0.01, alpha 0.99, eps 1e-8) and its centered and momentum variants. */
export class RMSprop extends Optimizer<RmspropState & ParamState> {
  readonly options: RmspropHyper

  constructor(params: Tensor[], options: RmspropOptions = {}) {
    super(params)
    this.options = {
      lr: options.lr ?? 0.01,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
    }
    this.validate(this.options)
  }

  protected validate(o: RmspropHyper): void {
    finiteAtLeast('RMSprop', 'lr', o.lr)
    finiteAtLeast('RMSprop', 'alpha', o.alpha)
    finiteAtLeast('RMSprop', 'eps', o.eps)
    finiteAtLeast('RMSprop', 'weightDecay', o.weightDecay)
    finiteAtLeast('RMSprop', 'momentum', o.momentum)
    flag('RMSprop', 'centered', o.centered)
  }

  protected initState(p: Tensor): RmspropState & ParamState {
    return {
      step: 0,
      squareAvg: zerosLike(p),
      gradAvg: this.options.centered ? zerosLike(p) : null,
      momentumBuffer: this.options.momentum > 0 ? zerosLike(p) : null,
    }
  }

  protected update(param: Storage, grad: ArrayLike<number>, state: RmspropState & ParamState): void {
    rmspropUpdate(param, grad, state, this.options)
  }
}

// ---- gradient clipping -------------------------------------------------------------------------

/**
 * Scale all gradients together so their joint norm is at most maxNorm (PyTorch's clip_grad_norm_:
 * the factor is maxNorm / (norm + 1e-6), applied only when below 1). Returns the norm before
 * clipping. normType 2 is the Euclidean norm; Infinity the largest absolute value.
 */
export function clipGradNorm(params: Tensor[], maxNorm: number, options: { normType?: number; errorIfNonfinite?: boolean } = {}): number {
  finiteAtLeast('clipGradNorm', 'maxNorm', maxNorm)
  const normType = options.normType ?? 2
  if (!(normType > 0)) throw new RangeError(`clipGradNorm: normType must be > 0 (or Infinity), got ${normType}`)
  const grads = params.filter((p) => p.grad)
  let total = 0
  for (const p of grads) {
    const g = p.grad!.toTypedArray()
    for (let i = 0; i < g.length; i++) {
      const a = Math.abs(g[i]!)
      if (normType === Infinity) total = a > total || Number.isNaN(a) ? a : total
      else total += a ** normType
    }
  }
  if (normType !== Infinity) total **= 1 / normType
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(`clipGradNorm: the total norm of the gradients is ${total}; some gradient is not finite`)
  }
  const coefficient = maxNorm / (total + 1e-6)
  if (coefficient < 1) noGrad(() => grads.forEach((p) => (p.grad = p.grad!.mul(coefficient))))
  return total
}

/** Clamp every gradient element into [-value, value]. */
export function clipGradValue(params: Tensor[], value: number): void {
  finiteAtLeast('clipGradValue', 'value', value)
  noGrad(() => params.forEach((p) => p.grad && (p.grad = p.grad.clamp(-value, value))))
}
