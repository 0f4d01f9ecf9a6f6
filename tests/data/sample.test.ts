// The embedded sample, and the real Fashion-MNIST where Debian's dataset-fashion-mnist is installed
// (CI installs it; elsewhere those tests are skipped with a message).
import { existsSync } from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { FASHION_MNIST_CLASSES } from '../../src/data/catalog.ts'
import { loadImageDataset, type ImageDataset } from '../../src/data/datasets.ts'
import { loadSample, SAMPLE_DIR, SAMPLE_PER_CLASS, SAMPLE_SEED } from '../../src/data/sample.ts'
import { mulberry32, selectBalanced, takeExamples } from '../../src/data/subset.ts'

const classCounts = (ds: ImageDataset) => {
  const counts = new Array(ds.classes.length).fill(0)
  for (const label of ds.labels) counts[label]++
  return counts
}

const meanPixel = (ds: ImageDataset) => ds.images.reduce((a, b) => a + b, 0) / ds.images.length

test('the embedded sample: 3000 train and 1000 test images, balanced over the 10 classes', () => {
  for (const [split, perClass] of [['train', 300], ['test', 100]] as const) {
    const ds = loadSample({ split })
    assert.is(SAMPLE_PER_CLASS[split], perClass)
    assert.is(ds.count, perClass * 10)
    assert.is(ds.rows, 28)
    assert.is(ds.cols, 28)
    assert.is(ds.images.length, ds.count * 784)
    assert.equal(classCounts(ds), new Array(10).fill(perClass))
    assert.equal(ds.classes, [...FASHION_MNIST_CLASSES])
    assert.is(ds.sample, true)
    assert.is(ds.source, SAMPLE_DIR)
    assert.is(ds.split, split)
    // real images, not blanks: Fashion-MNIST's mean pixel is about 73
    const mean = meanPixel(ds)
    assert.ok(mean > 60 && mean < 90, `mean pixel ${mean}`)
  }
  assert.is(loadSample().split, 'train')
})

const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist'
const haveDebian = existsSync(DEBIAN_DIR)
const realTest = haveDebian ? test : test.skip
if (!haveDebian) console.log(`skipping the real Fashion-MNIST tests: ${DEBIAN_DIR} is absent (apt-get install dataset-fashion-mnist)`)

realTest('the real Fashion-MNIST from Debian: 60000 train and 10000 test images', () => {
  for (const [split, count] of [['train', 60000], ['test', 10000]] as const) {
    const ds = loadImageDataset({ name: 'fashion-mnist', split, dataDir: DEBIAN_DIR })
    assert.is(ds.count, count)
    assert.is(ds.rows, 28)
    assert.is(ds.cols, 28)
    assert.equal(classCounts(ds), new Array(10).fill(count / 10))
    assert.is(ds.files.images, `${DEBIAN_DIR}/${split === 'train' ? 'train' : 't10k'}-images-idx3-ubyte.gz`)
  }
})

realTest('the sample is exactly what make_sample.ts draws from the real data with its seed', () => {
  const rand = mulberry32(SAMPLE_SEED)
  for (const split of ['train', 'test'] as const) {
    const full = loadImageDataset({ name: 'fashion-mnist', split, dataDir: DEBIAN_DIR })
    const drawn = takeExamples(full, selectBalanced(full.labels, 10, SAMPLE_PER_CLASS[split], rand))
    const sample = loadSample({ split })
    assert.ok(Buffer.from(drawn.labels).equals(Buffer.from(sample.labels)), `${split} labels differ: rerun scripts/make_sample.ts`)
    assert.ok(Buffer.from(drawn.images).equals(Buffer.from(sample.images)), `${split} images differ: rerun scripts/make_sample.ts`)
  }
})

test('selectBalanced: the same seed gives the same picks, sorted, perClass of each class', () => {
  const labels = Uint8Array.from({ length: 200 }, (_, i) => (i * 7) % 10)
  const a = selectBalanced(labels, 10, 5, mulberry32(3))
  const b = selectBalanced(labels, 10, 5, mulberry32(3))
  const c = selectBalanced(labels, 10, 5, mulberry32(4))
  assert.equal(a, b)
  assert.not.equal(a, c)
  assert.equal(a, [...a].sort((x, y) => x - y))
  assert.is(new Set(a).size, 50)
  const counts = new Array(10).fill(0)
  for (const i of a) counts[labels[i]!]++
  assert.equal(counts, new Array(10).fill(5))
  assert.throws(() => selectBalanced(labels, 10, 21, mulberry32(1)), /class 0 has 20 examples, fewer than the 21 wanted/)
})

test.run()
