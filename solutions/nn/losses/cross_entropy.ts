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

/** -logProbs[n, labels[n]] for each row n: [N, C] -> [N]. */
export function nllPerSample(logProbs: Tensor, labels: ArrayLike<number>): Tensor {
  // BEGIN SOLUTION hint: pick each row's label entry with a one-hot mask of the labels and sum over the classes
  // HINT 2: the one-hot matrix needs C = logProbs.shape[1] columns even when the batch has no sample of the last class (labels [1, 0] with 3 classes). Log-probabilities are at most 0, so the result is [N] and positive.
  return logProbs.mul(oneHot(labels, logProbs.shape[1]!)).sum(1).neg()
  // END SOLUTION
}

/** Cross-entropy of logits [N, C] against integer labels, per sample [N]. */
export function crossEntropyPerSample(logits: Tensor, labels: ArrayLike<number>): Tensor {
  // BEGIN SOLUTION hint: compose: log-softmax over the classes, then your nll
  // HINT 2: never take the log of a softmax: at logits [1000, 0] softmax rounds to [1, 0] and log(0) is -Infinity. logSoftmax(1) subtracts the max first and stays finite.
  return nllPerSample(logits.logSoftmax(1), labels)
  // END SOLUTION
}
