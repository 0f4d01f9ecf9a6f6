// Gradient clipping, PyTorch's clip_grad_norm_ and clip_grad_value_: rescale or clamp the
// parameters' .grad in place between backward() and the optimizer's step.
import type { Tensor } from '../../tensor/tensor.ts'
import { noGrad } from '../../autograd/grad_mode.ts'
import { finiteAtLeast } from './checks.ts'

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
