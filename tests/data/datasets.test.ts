// Finding and loading MNIST-format datasets from directories made here: the search order, the
// file names accepted, and errors that list what was looked for and what was wrong.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { FASHION_MNIST_CLASSES } from '../../src/data/catalog.ts'
import { defaultSearchDirs, findDataset, loadImageDataset, surveyDataset } from '../../src/data/datasets.ts'
import { writeIdxFile } from '../../src/data/idx.ts'

let root = ''
test.before(() => {
  root = mkdtempSync(join(tmpdir(), 'genkata-data-'))
})
test.after(() => rmSync(root, { recursive: true, force: true }))

let dirCount = 0
const newDir = () => {
  const dir = join(root, `d${dirCount++}`)
  mkdirSync(dir)
  return dir
}

interface Fake {
  split?: 'train' | 'test'
  count?: number
  rows?: number
  cols?: number
  labels?: number[]
  labelCount?: number
  names?: 'official' | 'dotted' | 'sample'
  ext?: '' | '.gz'
  images?: boolean
}

// Writes a small dataset split: image i is filled with the value i, label i is i % 10.
function writeFake(dir: string, fake: Fake = {}): { images: Uint8Array; labels: Uint8Array } {
  const { split = 'train', count = 4, rows = 28, cols = 28, names = 'official', ext = '.gz' } = fake
  const images = new Uint8Array(count * rows * cols)
  for (let i = 0; i < count; i++) images.fill(i, i * rows * cols, (i + 1) * rows * cols)
  const labels = Uint8Array.from(fake.labels ?? Array.from({ length: fake.labelCount ?? count }, (_, i) => i % 10))
  const official = split === 'train' ? 'train' : 't10k'
  const file = {
    official: (kind: string, idx: string) => `${official}-${kind}-${idx}-ubyte`,
    dotted: (kind: string, idx: string) => `${official}-${kind}.${idx}-ubyte`,
    sample: (kind: string) => `${split}-${kind}.idx`,
  }[names]
  if (fake.images !== false) writeIdxFile(join(dir, file('images', 'idx3') + ext), { dtype: 'uint8', shape: [count, rows, cols], data: images })
  writeIdxFile(join(dir, file('labels', 'idx1') + ext), { dtype: 'uint8', shape: [labels.length], data: labels })
  return { images, labels }
}

const errorOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    return (err as Error).message
  }
  assert.unreachable('expected an error')
  return ''
}

test('loads a split from an explicit data directory', () => {
  const dir = newDir()
  const written = writeFake(dir, { count: 5 })
  const ds = loadImageDataset({ name: 'fashion-mnist', split: 'train', dataDir: dir })
  assert.is(ds.count, 5)
  assert.is(ds.rows, 28)
  assert.is(ds.cols, 28)
  assert.is(ds.images.length, 5 * 28 * 28)
  assert.equal(ds.images, written.images)
  assert.equal(ds.labels, written.labels)
  assert.equal(ds.classes, [...FASHION_MNIST_CLASSES])
  assert.is(ds.classes[9], 'Ankle boot')
  assert.is(ds.source, resolve(dir))
  assert.is(ds.files.images, join(resolve(dir), 'train-images-idx3-ubyte.gz'))
  assert.is(ds.sample, false)
  assert.is(ds.name, 'fashion-mnist')
  assert.is(ds.split, 'train')
})

test('accepts the usual names with or without .gz, for both splits', () => {
  for (const names of ['official', 'dotted', 'sample'] as const) {
    for (const ext of ['', '.gz'] as const) {
      const dir = newDir()
      writeFake(dir, { split: 'test', count: 3, names, ext })
      const ds = loadImageDataset({ name: 'mnist', split: 'test', dataDir: dir })
      assert.is(ds.count, 3, `${names}${ext}`)
      assert.equal(ds.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    }
  }
})

test('reports rows and cols of images that are not 28x28', () => {
  const dir = newDir()
  writeFake(dir, { count: 2, rows: 5, cols: 7 })
  const ds = loadImageDataset({ name: 'mnist', split: 'train', dataDir: dir })
  assert.equal([ds.count, ds.rows, ds.cols, ds.images.length], [2, 5, 7, 70])
})

test('an explicit data directory is the only place looked at, and missing files are named', () => {
  const empty = newDir()
  const full = newDir()
  writeFake(full)
  const message = errorOf(() => findDataset({ name: 'fashion-mnist', split: 'train', dataDir: empty, searchDirs: [full] }))
  assert.match(message, 'Fashion-MNIST (train split) not found in the data directory')
  assert.match(message, resolve(empty))
  assert.match(message, 'no train images (looked for train-images-idx3-ubyte[.gz], train-images.idx3-ubyte[.gz], train-images.idx[.gz])')
  assert.match(message, 'no train labels (looked for train-labels-idx1-ubyte[.gz]')
  assert.not.match(message, full)
})

test('only the file that is missing is reported', () => {
  const dir = newDir()
  writeFake(dir, { split: 'test', images: false })
  const message = errorOf(() => findDataset({ name: 'fashion-mnist', split: 'test', dataDir: dir }))
  assert.match(message, 'no test images (looked for t10k-images-idx3-ubyte[.gz]')
  assert.not.match(message, 'labels')
})

test('a data directory that does not exist says so', () => {
  const message = errorOf(() => loadImageDataset({ name: 'mnist', split: 'train', dataDir: join(root, 'nope') }))
  assert.match(message, `${join(root, 'nope')}: no such directory`)
})

test('the search takes the first directory that holds both files', () => {
  const partial = newDir()
  writeFake(partial, { images: false })
  const first = newDir()
  writeFake(first, { count: 2 })
  const second = newDir()
  writeFake(second, { count: 3 })
  const ds = loadImageDataset({ name: 'fashion-mnist', split: 'train', searchDirs: [join(root, 'absent'), partial, first, second] })
  assert.is(ds.source, first)
  assert.is(ds.count, 2)
  const survey = surveyDataset({ name: 'fashion-mnist', split: 'train', searchDirs: [join(root, 'absent'), partial, first] })
  assert.equal(survey.places.map((p) => [p.exists, p.images !== undefined, p.labels !== undefined]), [[false, false, false], [true, false, true], [true, true, true]])
  assert.is(survey.found?.dir, first)
})

test('nothing found: every place looked is listed, with how to get the data', () => {
  const partial = newDir()
  writeFake(partial, { images: false })
  const absent = join(root, 'absent')
  const message = errorOf(() => findDataset({ name: 'fashion-mnist', split: 'train', searchDirs: [absent, partial] }))
  assert.match(message, 'Fashion-MNIST (train split) not found. Looked in:')
  assert.match(message, `  ${absent}: no such directory`)
  assert.match(message, `  ${partial}: no train images (looked for train-images-idx3-ubyte[.gz]`)
  assert.match(message, 'apt-get install dataset-fashion-mnist')
  assert.match(message, '--data-dir')
  const mnist = errorOf(() => findDataset({ name: 'mnist', split: 'test', searchDirs: [absent] }))
  assert.match(mnist, 'MNIST (test split) not found')
  assert.match(mnist, './data/mnist')
})

test('the default search is ./data/<name>, then Debian\'s /usr/share/datasets/<name>', () => {
  assert.equal(defaultSearchDirs('fashion-mnist', '/home/u/proj'), ['/home/u/proj/data/fashion-mnist', '/usr/share/datasets/fashion-mnist'])
  assert.equal(defaultSearchDirs('mnist').at(0), resolve('data', 'mnist'))
  const survey = surveyDataset({ name: 'mnist', split: 'train' })
  assert.equal(survey.places.map((p) => p.dir), defaultSearchDirs('mnist'))
})

test('image and label counts must match', () => {
  const dir = newDir()
  writeFake(dir, { count: 4, labelCount: 3 })
  const message = errorOf(() => loadImageDataset({ name: 'fashion-mnist', split: 'train', dataDir: dir }))
  assert.match(message, 'image and label counts differ: 4 images in')
  assert.match(message, '3 labels in')
  assert.match(message, 'train-labels-idx1-ubyte.gz')
})

test('labels must be below the number of classes', () => {
  const dir = newDir()
  writeFake(dir, { count: 4, labels: [0, 9, 10, 3] })
  const message = errorOf(() => loadImageDataset({ name: 'fashion-mnist', split: 'train', dataDir: dir }))
  assert.match(message, 'train-labels-idx1-ubyte.gz: label 10 at index 2 is out of range: Fashion-MNIST has 10 classes, labels 0..9')
})

test('images must be 3-D uint8 and labels 1-D uint8', () => {
  const dir = newDir()
  writeIdxFile(join(dir, 'train-images-idx3-ubyte'), { dtype: 'uint8', shape: [2, 784], data: new Uint8Array(2 * 784) })
  writeIdxFile(join(dir, 'train-labels-idx1-ubyte'), { dtype: 'uint8', shape: [2], data: [0, 1] })
  assert.match(errorOf(() => loadImageDataset({ name: 'mnist', split: 'train', dataDir: dir })), 'expected images as a 3-D uint8 IDX array [count, rows, cols], found uint8 [2, 784]')
  const other = newDir()
  writeIdxFile(join(other, 'train-images-idx3-ubyte'), { dtype: 'uint8', shape: [2, 1, 1], data: [0, 0] })
  writeIdxFile(join(other, 'train-labels-idx1-ubyte'), { dtype: 'int32', shape: [2], data: [0, 1] })
  assert.match(errorOf(() => loadImageDataset({ name: 'mnist', split: 'train', dataDir: other })), 'expected labels as a 1-D uint8 IDX array [count], found int32 [2]')
})

test('a malformed file in the data directory names that file', () => {
  const dir = newDir()
  writeFake(dir, { ext: '' })
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2]))
  const message = errorOf(() => loadImageDataset({ name: 'mnist', split: 'train', dataDir: dir }))
  assert.match(message, `${join(resolve(dir), 'train-images-idx3-ubyte')}: file truncated: uint8 [9, 28, 28] needs 7056 bytes of data, found 2`)
})

test.run()
