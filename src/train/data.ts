// Which images a run trains on: the embedded sample, or a full MNIST-format data set found on disk.
import { loadImageDataset, loadSample, type DatasetName, type ImageDataset } from '../data/index.ts'

export interface DataChoice {
  dataset: DatasetName
  /** The embedded Fashion-MNIST sample (3000 / 1000 images) instead of the full set. */
  sample: boolean
  dataDir?: string
  /** Use only the first `limit` training images (quick runs, tests). */
  limit?: number
}

export function loadRunData(choice: DataChoice): { train: ImageDataset; test: ImageDataset } {
  if (choice.sample && choice.dataset !== 'fashion-mnist') {
    throw new Error(`the embedded sample is Fashion-MNIST; for ${choice.dataset} give the full data set (--data-dir DIR)`)
  }
  const load = (split: 'train' | 'test') =>
    choice.sample ? loadSample({ split }) : loadImageDataset({ name: choice.dataset, split, dataDir: choice.dataDir })
  const train = load('train')
  const test = load('test')
  if (choice.limit === undefined) return { train, test }
  if (!(Number.isInteger(choice.limit) && choice.limit > 0)) throw new RangeError(`--limit must be a positive integer, got ${choice.limit}`)
  const take = (d: ImageDataset, n: number): ImageDataset => {
    const count = Math.min(n, d.count)
    return { ...d, count, images: d.images.subarray(0, count * d.rows * d.cols), labels: d.labels.subarray(0, count) }
  }
  return { train: take(train, choice.limit), test: take(test, Math.max(1, Math.ceil(choice.limit / 6))) }
}
