// The optimizers a run can choose by name, with PyTorch's defaults for everything but the rate.
import type { Tensor } from '../tensor/tensor.ts'
import { Adam, RMSprop, SGD, type Optimizer } from '../nn/optim/index.ts'

export const OPTIMIZER_NAMES = ['adam', 'sgd', 'rmsprop'] as const
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number]

export function createOptimizer(name: OptimizerName, params: Tensor[], lr: number): Optimizer {
  switch (name) {
    case 'adam':
      return new Adam(params, { lr })
    case 'sgd':
      return new SGD(params, { lr, momentum: 0.9 })
    case 'rmsprop':
      return new RMSprop(params, { lr })
    default:
      throw new Error(`unknown optimizer '${name as string}': choose one of ${OPTIMIZER_NAMES.join(', ')}`)
  }
}
