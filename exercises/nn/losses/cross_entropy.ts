// GENERATED from solutions/nn/losses/cross_entropy.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 5.4: cross-entropy from logits, through log-softmax and the negative log-likelihood.
//
// A classifier outputs logits s [N, C]. softmax turns them into probabilities, and the loss of a
// sample with label y is -log softmax(s)[y]. Never take the log of a softmax: exp(s) overflows
// for s > 88 in float32, and a probability that rounds to 0 makes log = -inf. logSoftmax computes
// s - logSumExp(s) with the max subtracted first, and stays finite.
//
// nll (negative log-likelihood) is the second half alone: it takes log-probabilities and picks
// -logProbs[n, y_n] for each row. Picking is a product with the one-hot matrix of the labels,
// summed over the classes: differentiable, and the gradient lands only on the picked entries.
import type { Tensor } from '../../../src/tensor/tensor.ts'
import { oneHot } from '../../../src/nn/one_hot.ts'
import { NotImplementedError } from '../../../src/kata/not_implemented.ts'

/** -logProbs[n, labels[n]] for each row n: [N, C] -> [N]. */
export function nllPerSample(logProbs: Tensor, labels: ArrayLike<number>): Tensor {
  // TODO(5.4): pick each row's label entry with a one-hot mask of the labels and sum over the classes
  throw new NotImplementedError('5.4', 'pick each row\'s label entry with a one-hot mask of the labels and sum over the classes')
}

/** Cross-entropy of logits [N, C] against integer labels, per sample [N]. */
export function crossEntropyPerSample(logits: Tensor, labels: ArrayLike<number>): Tensor {
  // TODO(5.4): compose: log-softmax over the classes, then your nll
  throw new NotImplementedError('5.4', 'compose: log-softmax over the classes, then your nll')
}
