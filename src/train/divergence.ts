// Divergence caught where it happens: after an optimizer step, the first parameter that holds NaN
// or an infinity, named by its module path ("encoder.fc1.weight"), with what its gradient held.
import type { Tensor } from '../tensor/tensor.ts'

export interface NonFinite {
  name: string
  index: number
  value: number
  /** The first non-finite value of its gradient, when it has one; null: its gradient was finite (or absent). */
  grad: { index: number; value: number } | null
}

function firstBad(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    // v - v is 0 for every finite number and NaN for NaN and both infinities.
    if (v - v !== 0) return i
  }
  return -1
}

/** The first parameter (in module order) holding a value that is not finite; null when all are. */
export function firstNonFinite(parameters: readonly (readonly [string, Tensor])[]): NonFinite | null {
  for (const [name, p] of parameters) {
    const values = p.data
    const index = firstBad(values)
    if (index < 0) continue
    let grad: NonFinite['grad'] = null
    if (p.grad) {
      const g = p.grad.data
      const at = firstBad(g)
      if (at >= 0) grad = { index: at, value: g[at]! }
    }
    return { name, index, value: values[index]!, grad }
  }
  return null
}

export function describeNonFinite(bad: NonFinite): string {
  const grad = bad.grad ? `its gradient holds ${bad.grad.value} at index ${bad.grad.index}` : 'its gradient is finite'
  return `parameter ${bad.name} holds ${bad.value} at index ${bad.index} after the optimizer's step (${grad})`
}
