// Batch normalisation in training mode as one differentiable op, with the backward derived by hand
// (as PyTorch's native_batch_norm has). Composed of primitives, autograd would differentiate each of
// the nine (mean, sub, square, mean, add, sqrt, div, mul, add) and pass over the whole input about
// a dozen times; the closed form below takes five passes and two sums.
//
// With n values per channel, xhat = (x - mean) / std, std = sqrt(var + eps) and y = w xhat + b:
//   db = sum(dy)        dw = sum(dy xhat)        dx = (w / std) (dy - db / n - xhat dw / n)
// (sums over every axis but the channel axis 1; w = 1 and no db, dw without an affine transform).
// The forward runs the same primitives in the same order as the composite, so y is the same to
// the last bit.
import type { Tensor } from '../tensor/tensor.ts'
import { scalar } from '../tensor/tensor.ts'
import * as raw from '../tensor/raw/ops.ts'
import type { OpDefinition } from './node.ts'
import { apply } from './node.ts'

interface BatchNormAttrs {
  /** The axes the statistics are taken over: all but axis 1. */
  axes: number[]
  eps: number
}

/** What the forward keeps for the backward and for the running statistics, by output. */
interface Saved {
  xhat: Tensor
  std: Tensor
  mean: Tensor
  variance: Tensor
}
const saved = new WeakMap<Tensor, Saved>()

/** A per-channel vector [C] as [1, C, 1, ...] to broadcast over x. */
function perChannel(v: Tensor, ndim: number): Tensor {
  return raw.reshape(v, [1, v.size, ...Array<number>(ndim - 2).fill(1)])
}

const batchNormOp: OpDefinition<BatchNormAttrs> = {
  name: 'batchNorm',
  forward([x, weight, bias], { axes, eps }) {
    const mean = raw.reduce('mean', x!, axes, true)
    const centered = raw.zip('sub', x!, mean)
    const variance = raw.reduce('mean', raw.map('square', centered), axes, true)
    const std = raw.map('sqrt', raw.zip('add', variance, scalar(eps, variance.dtype)))
    const xhat = raw.zip('div', centered, std)
    const y = weight ? raw.zip('add', raw.zip('mul', xhat, perChannel(weight, x!.ndim)), perChannel(bias!, x!.ndim)) : xhat
    saved.set(y, { xhat, std, mean, variance })
    return y
  },
  backward(dy, [x, weight], output, { axes }, needs) {
    const { xhat, std } = saved.get(output)!
    const n = x!.size / std.size
    const db = raw.reduce('sum', dy, axes, true)
    const dw = raw.reduce('sum', raw.zip('mul', dy, xhat), axes, true)
    let dx: Tensor | null = null
    if (needs[0]) {
      const scale = weight ? raw.zip('div', perChannel(weight, x!.ndim), std) : raw.map('reciprocal', std)
      const centered = raw.zip('sub', raw.zip('sub', dy, raw.zip('div', db, scalar(n, db.dtype))), raw.zip('mul', xhat, raw.zip('div', dw, scalar(n, dw.dtype))))
      dx = raw.zip('mul', centered, scale)
    }
    if (!weight) return [dx]
    return [dx, needs[1] ? raw.reshape(dw, weight.shape) : null, needs[2] ? raw.reshape(db, weight.shape) : null]
  },
}

/**
 * x [N, C, ...] normalised per channel with the batch's statistics, then scaled by weight and
 * shifted by bias (both [C], or both null). Returns y and the batch mean and biased variance
 * ([1, C, 1, ...]) for the running statistics.
 */
export function batchNormTrain(x: Tensor, weight: Tensor | null, bias: Tensor | null, eps: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  const axes = [0, ...[...x.shape.keys()].slice(2)]
  const y = apply(batchNormOp, weight ? [x, weight, bias!] : [x], { axes, eps })
  const { mean, variance } = saved.get(y)!
  return { y, mean, variance }
}
