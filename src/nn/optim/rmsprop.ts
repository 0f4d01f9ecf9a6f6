// RMSprop with PyTorch's defaults and its centered and momentum variants (torch.optim.RMSprop).
// The per-element rule is exercise 6.3 (solutions/nn/optim/rmsprop.ts).
import type { Tensor } from '../../tensor/tensor.ts'
import type { Storage } from '../../tensor/strided.ts'
import { Optimizer, zeroBuffer } from './optimizer.ts'
import type { ParamState } from './state_dict.ts'
import { finiteAtLeast, flag } from './checks.ts'
import { rmspropUpdate, type RmspropState } from '#kata/nn/optim/rmsprop'

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
  readonly options: Required<RmspropOptions>

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

  protected validate(o: Required<RmspropOptions>): void {
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
      squareAvg: zeroBuffer(p),
      gradAvg: this.options.centered ? zeroBuffer(p) : null,
      momentumBuffer: this.options.momentum > 0 ? zeroBuffer(p) : null,
    }
  }

  protected update(param: Storage, grad: ArrayLike<number>, state: RmspropState & ParamState): void {
    rmspropUpdate(param, grad, state, this.options)
  }
}
