// From a dataset's bytes to tensors: pixels scaled to [0, 1], picked by index for a mini-batch.
import type { Tensor } from '../tensor/tensor.ts'
import { empty } from '../tensor/raw/ops.ts'
import type { ImageDataset } from './datasets.ts'

/** Images `indices` as a [batch, rows*cols] float32 tensor in [0, 1]. */
export function imageBatch(dataset: ImageDataset, indices: ArrayLike<number>): Tensor {
  const pixels = dataset.rows * dataset.cols
  const out = empty([indices.length, pixels], 'float32')
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i]! * pixels
    for (let p = 0; p < pixels; p++) out.data[i * pixels + p] = dataset.images[start + p]! / 255
  }
  return out
}

export function labelBatch(dataset: ImageDataset, indices: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: indices.length }, (_, i) => dataset.labels[indices[i]!]!)
}
