// One-hot encoding of integer labels: its own file so the loss exercises can import it without
// a cycle through losses.ts.
import { Tensor } from '../tensor/tensor.ts'
import { zeros } from '../tensor/creation.ts'

/** The labels as plain numbers; a Tensor of integer values is accepted too. */
export function labelValues(labels: ArrayLike<number> | Tensor): ArrayLike<number> {
  return labels instanceof Tensor ? labels.toTypedArray() : labels
}

/** A [N, classes] one-hot matrix for integer labels. */
export function oneHot(labels: ArrayLike<number> | Tensor, classes: number): Tensor {
  if (!(Number.isInteger(classes) && classes > 0)) throw new RangeError(`oneHot: classes must be a positive integer, got ${classes}`)
  const values = labelValues(labels)
  const out = zeros([values.length, classes])
  for (let i = 0; i < values.length; i++) {
    const label = values[i]!
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`oneHot: label ${label} at position ${i} is not an integer in [0, ${classes})`)
    }
    out.data[i * classes + label] = 1
  }
  return out
}
