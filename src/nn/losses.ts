// Losses with PyTorch's semantics: element-wise (or per-sample) values, then a reduction:
// 'mean' (the default) over every element, 'sum', or 'none' to keep them all.
//
// The math lives in the chapter 5 exercises (solutions/nn/losses/*); this file checks shapes and
// applies the reduction. BCE and BCE-with-logits are single graph nodes whose backward is the
// exercise's closed form, as in PyTorch: composing them from log and clamp would give NaN
// gradients at p = 0 or 1, and the wrong subgradient at the kink x = 0.
import type { Tensor } from '../tensor/tensor.ts'
import { full } from '../tensor/creation.ts'
import { ShapeError } from '../tensor/errors.ts'
import { formatShape, sameShape } from '../tensor/strided.ts'
import type { OpDefinition } from '../autograd/node.ts'
import { apply } from '../autograd/node.ts'
import { noGrad } from '../autograd/grad_mode.ts'
import * as raw from '../tensor/raw/index.ts'
import { bceWithLogitsBackward, bceWithLogitsForward } from '#kata/nn/losses/bce_with_logits'
import { bceBackward, bceForward } from '#kata/nn/losses/bce'
import { gaussianKLPerSample } from '#kata/nn/losses/gaussian_kl'
import { crossEntropyPerSample, nllPerSample } from '#kata/nn/losses/cross_entropy'
import { labelValues, oneHot } from './one_hot.ts'

export { oneHot }

export type Reduction = 'mean' | 'sum' | 'none'
export interface LossOptions {
  reduction?: Reduction
}

function reduce(op: string, loss: Tensor, options: LossOptions): Tensor {
  const reduction = options.reduction ?? 'mean'
  if (reduction === 'mean') return loss.mean()
  if (reduction === 'sum') return loss.sum()
  if (reduction === 'none') return loss
  throw new RangeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`)
}

/** A target of the input's shape: a number is filled in (handy for GAN labels such as 1 or 0.9). */
function target(op: string, input: Tensor, t: Tensor | number, inputName: string): Tensor {
  if (typeof t === 'number') return full(input.shape, t, { dtype: input.dtype })
  if (!sameShape(input.shape, t.shape)) {
    throw new ShapeError(`${op}: ${inputName} ${formatShape(input.shape)} and the target ${formatShape(t.shape)} must have the same shape`)
  }
  return t
}

/** Mean squared error: (input - target)^2. */
export function mse(input: Tensor, targetValues: Tensor | number, options: LossOptions = {}): Tensor {
  const y = target('mse', input, targetValues, 'the input')
  return reduce('mse', input.sub(y).square(), options)
}

const bceOp: OpDefinition<null> = {
  name: 'bce',
  forward: ([p, y]) => noGrad(() => bceForward(p!.detach(), y!.detach())),
  backward: (grad, [p, y], _out, _attrs, needs) => bceBackward(grad, p!, y!, needs),
}

/** Binary cross-entropy of probabilities p in [0, 1] against targets in [0, 1], each log clamped at -100. */
export function bce(p: Tensor, targetValues: Tensor | number, options: LossOptions = {}): Tensor {
  const y = target('bce', p, targetValues, 'the probabilities')
  if (!(p.device && p.size > 0 && probabilitiesOnDevice(p))) checkProbabilities(p)
  return reduce('bce', apply(bceOp, [p, y], null), options)
}

/** Throws naming the first value of p outside [0, 1] (NaN included). */
function checkProbabilities(p: Tensor): void {
  // A contiguous input is checked in place: copying it would cost as much as the check.
  const values = p.isContiguous() ? p.data.subarray(p.offset, p.offset + p.size) : p.toTypedArray()
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(`bce: the input must hold probabilities in [0, 1], got ${v} at flat index ${i} (use bceWithLogits on logits)`)
    }
  }
}

/**
 * Whether p, kept on a device, lies in [0, 1]: its largest value and that of -p, two reductions
 * where it lives (max lets NaN through), so the check reads back two numbers instead of all of p.
 */
function probabilitiesOnDevice(p: Tensor): boolean {
  const axes = p.shape.map((_, axis) => axis)
  return noGrad(() => {
    const hi = raw.reduce('max', p, axes, false).item()
    const negLo = raw.reduce('max', raw.map('neg', p), axes, false).item()
    return hi <= 1 && negLo <= 0
  })
}

const bceWithLogitsOp: OpDefinition<null> = {
  name: 'bceWithLogits',
  forward: ([x, z]) => noGrad(() => bceWithLogitsForward(x!.detach(), z!.detach())),
  backward: (grad, [x, z]) => bceWithLogitsBackward(grad, x!, z!),
}

/** Binary cross-entropy of sigmoid(logits) against targets, computed stably from the logits. */
export function bceWithLogits(logits: Tensor, targetValues: Tensor | number, options: LossOptions = {}): Tensor {
  const z = target('bceWithLogits', logits, targetValues, 'the logits')
  return reduce('bceWithLogits', apply(bceWithLogitsOp, [logits, z], null), options)
}

function checkClassification(op: string, scores: Tensor, labels: ArrayLike<number>, what: string): void {
  if (scores.ndim !== 2 || scores.shape[0] !== labels.length) {
    throw new ShapeError(`${op}: ${what} must be [N, classes] with N = ${labels.length} labels, got ${formatShape(scores.shape)}`)
  }
}

/** Cross-entropy of logits [N, C] against integer labels: -log softmax(logits)[n, label_n]. */
export function crossEntropy(logits: Tensor, labels: ArrayLike<number> | Tensor, options: LossOptions = {}): Tensor {
  const values = labelValues(labels)
  checkClassification('crossEntropy', logits, values, 'logits')
  return reduce('crossEntropy', crossEntropyPerSample(logits, values), options)
}

/** Negative log-likelihood of log-probabilities [N, C] (a logSoftmax output) against integer labels. */
export function nll(logProbs: Tensor, labels: ArrayLike<number> | Tensor, options: LossOptions = {}): Tensor {
  const values = labelValues(labels)
  checkClassification('nll', logProbs, values, 'log-probabilities')
  return reduce('nll', nllPerSample(logProbs, values), options)
}

/**
 * KL(N(mu, exp(logvar)) || N(0, I)) in closed form, summed over the latent axes of each sample
 * ([N, ...latent] -> [N]); the reduction then runs over the batch ('mean' by default).
 */
export function gaussianKL(mu: Tensor, logvar: Tensor, options: LossOptions = {}): Tensor {
  if (!sameShape(mu.shape, logvar.shape)) {
    throw new ShapeError(`gaussianKL: mu has shape ${formatShape(mu.shape)} and logvar ${formatShape(logvar.shape)}; they must be equal`)
  }
  if (mu.ndim < 2) throw new ShapeError(`gaussianKL: expected mu and logvar of shape [N, latent...], got ${formatShape(mu.shape)}`)
  return reduce('gaussianKL', gaussianKLPerSample(mu, logvar), options)
}
