// Losses with PyTorch's semantics (mean over the batch by default).
import type { Tensor } from '../tensor/tensor.ts'
import { zeros } from '../tensor/creation.ts'
import { formatShape } from '../tensor/strided.ts'

/** A [N, classes] one-hot matrix for integer labels. */
export function oneHot(labels: ArrayLike<number>, classes: number): Tensor {
  const out = zeros([labels.length, classes])
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`oneHot: label ${label} at position ${i} is not an integer in [0, ${classes})`)
    }
    out.data[i * classes + label] = 1
  }
  return out
}

/** Cross-entropy of logits [N, C] against integer labels: mean of -log softmax(logits)[n, label_n]. */
export function crossEntropy(logits: Tensor, labels: ArrayLike<number>): Tensor {
  if (logits.ndim !== 2 || logits.shape[0] !== labels.length) {
    throw new Error(`crossEntropy: logits must be [N, classes] with N = ${labels.length} labels, got ${formatShape(logits.shape)}`)
  }
  return logits.logSoftmax(1).mul(oneHot(labels, logits.shape[1]!)).sum(1).mean().neg()
}
