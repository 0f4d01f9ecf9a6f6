// Adam with bias correction, and AdamW, as PyTorch's torch.optim.Adam and AdamW. The per-element
// rule is exercise 6.2 (solutions/nn/optim/adam.ts), which takes the two betas apart (AdamHyper).
import type { Tensor } from '../../tensor/tensor.ts'
import type { Storage } from '../../tensor/strided.ts'
import { Optimizer, zeroBuffer } from './optimizer.ts'
import type { ParamState } from './state_dict.ts'
import { finiteAtLeast, flag, unitInterval } from './checks.ts'
import { adamUpdate, type AdamHyper, type AdamState } from '#kata/nn/optim/adam'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { getBackend } from '../../backend/index.ts'

/**
 * Whether adamUpdate is the reference solution: only then may a backend's one-pass kernel, which
 * computes the same values bit for bit, stand in for it. A student's own rule (exercises/, the
 * student edition, --mine, grading) always runs as written.
 */
const REFERENCE_RULE = resolved('#kata/nn/optim/adam').endsWith('/solutions/nn/optim/adam.ts')

/** Where an import resolves, as a module loaded as ESM or (a script run by tsx outside an ES package) as CommonJS sees it. */
function resolved(specifier: string): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve(specifier)
  return pathToFileURL(createRequire(import.meta.url).resolve(specifier)).href
}

export interface AdamOptions {
  lr?: number
  betas?: [number, number]
  eps?: number
  weightDecay?: number
  /** AdamW's decoupled weight decay (new AdamW(...) sets it). */
  decoupled?: boolean
}

/** Adam (Kingma and Ba, 2015) with bias correction; L2 weight decay, or decoupled as in AdamW. */
export class Adam extends Optimizer<AdamState & ParamState> {
  readonly options: Required<AdamOptions>

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

  protected validate(o: Required<AdamOptions>): void {
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
    return { step: 0, expAvg: this.buffer(p), expAvgSq: this.buffer(p) }
  }

  /** A zeroed state buffer: where the backend's one-pass update reads it in place, when that update will run. */
  private buffer(p: Tensor): Storage {
    return (REFERENCE_RULE ? getBackend().allocateState?.(p.dtype, p.size) : undefined) ?? zeroBuffer(p)
  }

  private hyper(): AdamHyper {
    const { lr, betas, eps, weightDecay, decoupled } = this.options
    return { lr, beta1: betas[0], beta2: betas[1], eps, weightDecay, decoupled }
  }

  protected override fused(param: Storage, grad: Tensor, state: AdamState & ParamState): boolean {
    return REFERENCE_RULE && getBackend().adam?.(param, grad, state.expAvg, state.expAvgSq, { ...this.hyper(), step: state.step }) === true
  }

  protected update(param: Storage, grad: ArrayLike<number>, state: AdamState & ParamState): void {
    adamUpdate(param, grad, state, this.hyper())
  }
}

/** Adam with decoupled weight decay (Loshchilov and Hutter); weightDecay defaults to 0.01 as in PyTorch. */
export class AdamW extends Adam {
  constructor(params: Tensor[], options: AdamOptions = {}) {
    super(params, options, { weightDecay: 0.01, decoupled: true })
  }
}
