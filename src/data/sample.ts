// genkata's embedded Fashion-MNIST sample (assets/fashion-mnist-sample): 3000 train and 1000 test
// images, class-balanced, so tests, examples and a first run work without the full dataset.
// scripts/make_sample.ts makes it from the real data.
import { fileURLToPath } from 'node:url'
import type { Split } from './catalog.ts'
import { findDataset, loadDatasetAt, type ImageDataset } from './datasets.ts'

export const SAMPLE_DIR = fileURLToPath(new URL('../../assets/fashion-mnist-sample', import.meta.url))

/** The seed make_sample.ts draws with (one mulberry32 generator, train split first). */
export const SAMPLE_SEED = 42

/** What make_sample.ts selects: this many images of each class per split. */
export const SAMPLE_PER_CLASS: Record<Split, number> = { train: 300, test: 100 }

export function loadSample(options: { split?: Split } = {}): ImageDataset {
  const split = options.split ?? 'train'
  return loadDatasetAt(findDataset({ name: 'fashion-mnist', split, dataDir: SAMPLE_DIR }), true)
}
