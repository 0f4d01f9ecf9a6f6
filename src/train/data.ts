// Which images a run trains on (the embedded sample, or a full MNIST-format data set found on
// disk), checked as a set before a trainer writes anything, and how a batch of them looks to a
// model.
import { loadImageDataset, loadSample, type DatasetName, type ImageDataset } from '../data/index.ts'
import { imageBatch } from '../data/batches.ts'
import type { Tensor } from '../tensor/tensor.ts'

export interface DataChoice {
  dataset: DatasetName
  /** The embedded Fashion-MNIST sample (3000 / 1000 images) instead of the full set. */
  sample: boolean
  dataDir?: string
  /** Use only the first `limit` training images (quick runs, tests). */
  limit?: number
}

/**
 * Refuses splits that cannot make a run, naming the split and the file: a split with no image,
 * image sizes that differ between splits, a label outside the class count. Each of these failed
 * late before (a crash after a whole epoch, or a folder holding only settings.json).
 */
export function checkDataSets(splits: Record<string, ImageDataset>): void {
  const entries = Object.entries(splits)
  for (const [split, d] of entries) {
    if (d.count < 1) throw new Error(`data: the ${split} split has no images (${d.files.images}); a run needs at least one in each split`)
    const classes = d.classes.length
    for (let i = 0; i < d.count; i++) {
      const label = d.labels[i]!
      if (label >= classes) throw new Error(`data: the ${split} split's label ${label} at image ${i} is not a class in [0, ${classes}) (${d.files.labels})`)
    }
  }
  const [first, ...rest] = entries
  for (const [split, d] of rest) {
    const [name, f] = first!
    if (d.rows !== f.rows || d.cols !== f.cols) {
      throw new Error(`data: the ${name} images are ${f.rows}x${f.cols} (${f.files.images}) but the ${split} images are ${d.rows}x${d.cols} (${d.files.images}); every split needs one image size`)
    }
    if (d.classes.length !== f.classes.length) throw new Error(`data: the ${name} split has ${f.classes.length} classes but the ${split} split ${d.classes.length}`)
  }
}

export function loadRunData(choice: DataChoice): { train: ImageDataset; test: ImageDataset } {
  if (choice.sample && choice.dataset !== 'fashion-mnist') {
    throw new Error(`the embedded sample is Fashion-MNIST; for ${choice.dataset} give the full data set (--data-dir DIR)`)
  }
  if (choice.limit !== undefined && !(Number.isInteger(choice.limit) && choice.limit > 0)) throw new RangeError(`--limit must be a positive integer, got ${choice.limit}`)
  const load = (split: 'train' | 'test') =>
    choice.sample ? loadSample({ split }) : loadImageDataset({ name: choice.dataset, split, dataDir: choice.dataDir })
  let train = load('train')
  let test = load('test')
  if (choice.limit !== undefined) {
    const take = (d: ImageDataset, n: number): ImageDataset => {
      const count = Math.min(n, d.count)
      return { ...d, count, images: d.images.subarray(0, count * d.rows * d.cols), labels: d.labels.subarray(0, count) }
    }
    train = take(train, choice.limit)
    test = take(test, Math.max(1, Math.ceil(choice.limit / 6)))
  }
  checkDataSets({ training: train, test })
  return { train, test }
}

/** The images of `indices` as a model's input: [N, 1, rows, cols] in [0, 1]. */
export function imageTensor(data: ImageDataset, indices: ArrayLike<number>): Tensor {
  return imageBatch(data, indices).reshape([indices.length, 1, data.rows, data.cols])
}
