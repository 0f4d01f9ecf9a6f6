// SGD with momentum (heavy ball or Nesterov), dampening and L2 weight decay, as PyTorch's torch.optim.SGD.
// The per-element rule is exercise 6.1 (solutions/nn/optim/sgd.ts).
import type { Tensor } from '../../tensor/tensor.ts'
import type { Storage } from '../../tensor/strided.ts'
import { Optimizer, zeroBuffer } from './optimizer.ts'
import type { ParamState } from './state_dict.ts'
import { finiteAtLeast, flag } from './checks.ts'
import { sgdUpdate, type SgdState } from '#kata/nn/optim/sgd'

export interface SgdOptions {
  lr: number
  momentum?: number
  dampening?: number
  nesterov?: boolean
  weightDecay?: number
}

/** Stochastic gradient descent with optional momentum (heavy ball or Nesterov) and L2 weight decay. */
export class SGD extends Optimizer<SgdState & ParamState> {
  readonly options: Required<SgdOptions>

  constructor(params: Tensor[], options: SgdOptions) {
    super(params)
    this.options = { lr: options.lr, momentum: options.momentum ?? 0, dampening: options.dampening ?? 0, nesterov: options.nesterov ?? false, weightDecay: options.weightDecay ?? 0 }
    this.validate(this.options)
  }

  protected validate(o: Required<SgdOptions>): void {
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
    return { step: 0, momentumBuffer: zeroBuffer(p) }
  }

  protected update(param: Storage, grad: ArrayLike<number>, state: SgdState & ParamState): void {
    sgdUpdate(param, grad, state, this.options)
  }
}
