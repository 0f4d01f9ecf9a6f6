// The data checked as a set before a trainer writes anything: a split with no images, splits of
// different image sizes, and labels outside the class count are refused by name, and the run's
// folder is never created. (Before: 0 training images crashed on `toFixed` leaving a folder with
// only settings.json; 14x14 training images with 28x28 test images trained a whole epoch first.)
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { writeIdxFile } from '../../src/data/idx.ts'
import { trainVae, type VaeRunConfig } from '../../src/train/vae_trainer.ts'
import { trainGan, defaultGanRunConfig } from '../../src/train/gan_trainer.ts'
import { trainClassifierCnn } from '../../src/train/classifier_cnn_trainer.ts'
import { checkDataSets } from '../../src/train/data.ts'
import { loadSample, type ImageDataset } from '../../src/data/index.ts'
import { silenced } from '../helpers/quiet.ts'
import { tempDirs } from '../helpers/temp_dirs.ts'

const tempDir = tempDirs(test, 'genkata-data-')

interface Split {
  count: number
  size?: number
  label?: (i: number) => number
}

/** An MNIST-format folder (train and t10k files) with the counts, sizes and labels asked for. */
function mnistFolder(train: Split, test: Split): string {
  const dir = join(tempDir(), 'mnist')
  mkdirSync(dir, { recursive: true })
  for (const [split, s] of [['train', train], ['t10k', test]] as const) {
    const size = s.size ?? 28
    const images = new Uint8Array(s.count * size * size).map((_, i) => (i * 37) % 256)
    const labels = Uint8Array.from({ length: s.count }, (_, i) => (s.label ?? ((k: number) => k % 10))(i))
    writeIdxFile(join(dir, `${split}-images-idx3-ubyte.gz`), { dtype: 'uint8', shape: [s.count, size, size], data: images })
    writeIdxFile(join(dir, `${split}-labels-idx1-ubyte.gz`), { dtype: 'uint8', shape: [s.count], data: labels })
  }
  return dir
}

const vae = (dataDir: string): VaeRunConfig => ({
  model: 'vae', dataset: 'mnist', sample: false, dataDir, latent: 2, hidden: 8, beta: 1, epochs: 1, batch: 16, optimizer: 'adam', lr: 1e-3, seed: 1,
})
const refused = (fn: () => unknown, pattern: RegExp, out: string) => {
  let error: Error | null = null
  try {
    silenced(fn)
  } catch (e) {
    error = e as Error
  }
  assert.ok(error, 'refused')
  assert.match(error!.message, pattern)
  assert.not.ok(existsSync(out), `${out} was not created`)
}

test('a split with no images is refused, naming the split and its file, before the folder exists', () => {
  const data = mnistFolder({ count: 0 }, { count: 20 })
  const out = join(tempDir(), 'run')
  refused(() => trainVae(vae(data), out, { log: () => {} }), /data: the training split has no images \(.*train-images-idx3-ubyte\.gz\); a run needs at least one in each split/, out)
  const noTest = mnistFolder({ count: 20 }, { count: 0 })
  refused(() => trainGan({ ...defaultGanRunConfig('gan'), dataset: 'mnist', dataDir: noTest, width: 4, noise: 4 }, out, { log: () => {} }), /data: the test split has no images \(.*t10k-images-idx3-ubyte\.gz\)/, out)
})

test('splits with different image sizes are refused before an epoch is trained', () => {
  const data = mnistFolder({ count: 20, size: 14 }, { count: 20, size: 28 })
  const out = join(tempDir(), 'run')
  refused(
    () => trainVae(vae(data), out, { log: () => {} }),
    /data: the training images are 14x14 \(.*train-images-idx3-ubyte\.gz\) but the test images are 28x28 \(.*t10k-images-idx3-ubyte\.gz\); every split needs one image size/,
    out,
  )
})

test('a label outside the class count is refused, naming the split, the image and the file', () => {
  const data = mnistFolder({ count: 20, label: (i) => (i === 13 ? 12 : i % 10) }, { count: 20 })
  const out = join(tempDir(), 'run')
  refused(
    () => trainClassifierCnn({ dataset: 'mnist', sample: false, dataDir: data, epochs: 1, batch: 8, lr: 1e-3, lrDecay: 1, hidden: 8, dropout: 0, channels: [2, 2], seed: 1 }, out, { log: () => {}, progress: false }),
    // The IDX loader already refuses it (this held before); checkDataSets below guards data sets made in memory.
    /train-labels-idx1-ubyte\.gz: label 12 at index 13 is out of range/,
    out,
  )
  const sample = loadSample({ split: 'test' })
  const labels = Uint8Array.from(sample.labels.subarray(0, 5))
  labels[4] = 10
  const bad: ImageDataset = { ...sample, count: 5, images: sample.images.subarray(0, 5 * 784), labels }
  assert.throws(() => checkDataSets({ training: sample, test: bad }), /data: the test split's label 10 at image 4 is not a class in \[0, 10\)/)
  assert.not.throws(() => checkDataSets({ training: sample, test: { ...bad, labels: sample.labels.subarray(0, 5) } }))
})

test.run()
