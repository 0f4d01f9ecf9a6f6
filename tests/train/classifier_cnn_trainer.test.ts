// The evaluation classifier's training run: what it leaves in its folder, reopening it, MNIST on a
// tiny synthetic IDX set (the real MNIST is not installed here), and its errors.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { noGrad, Rng, tensor } from '../../src/index.ts'
import { writeIdxFile } from '../../src/data/idx.ts'
import { loadSample } from '../../src/data/sample.ts'
import { readPng } from '../../src/report/png.ts'
import {
  argmaxRows, checkClassifierConfig, CLASSIFIER_CHECKPOINT, CLASSIFIER_SETTINGS, evaluateClassifier, imageTensor, loadClassifierRun,
  trainClassifierCnn, type ClassifierCnnRunConfig,
} from '../../src/train/classifier_cnn_trainer.ts'
import { tempDirs } from '../helpers/temp_dirs.ts'

const tempDir = tempDirs(test, 'genkata-cnn-')
const quiet = () => {}

const base: ClassifierCnnRunConfig = {
  dataset: 'fashion-mnist', sample: true, limit: 600, epochs: 3, batch: 32, lr: 3e-3, lrDecay: 0.7, hidden: 32, dropout: 0.1, seed: 3, channels: [6, 12],
}

let fashion: { dir: string; accuracy: number } | null = null
// One small run, shared by the tests that look at it.
function fashionRun() {
  if (!fashion) {
    const dir = tempDir()
    const result = trainClassifierCnn(base, dir, { log: quiet, progress: false })
    fashion = { dir, accuracy: result.testAccuracy }
  }
  return fashion
}

test('a run on the sample learns, and leaves settings, metrics, curves, index.html and a checkpoint', () => {
  const { dir, accuracy } = fashionRun()
  // 10 classes, 600 images, 3 epochs: chance is 10%
  assert.ok(accuracy > 0.5, `test accuracy ${accuracy}`)
  const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))
  assert.is(metrics.length, 3)
  assert.is(metrics[1].lr, base.lr * base.lrDecay, 'the learning rate decays once per epoch')
  for (const key of ['train_loss', 'train_accuracy', 'test_loss', 'test_accuracy', 'images_per_second']) assert.ok(Number.isFinite(metrics[1][key]), key)
  assert.ok(metrics[1].train_loss < metrics[0].train_loss, 'the training loss fell')
  assert.match(readFileSync(join(dir, 'metrics.csv'), 'utf8').split('\n')[0]!, /^epoch,lr,train_loss,train_accuracy,test_loss,test_accuracy/)
  assert.ok(readPng(join(dir, 'curves.png')).width > 100)
  assert.ok(readFileSync(join(dir, 'index.html'), 'utf8').includes('src="curves.png?v='))
  const settings = JSON.parse(readFileSync(join(dir, CLASSIFIER_SETTINGS), 'utf8'))
  assert.is(settings.kind, 'classifier-cnn')
  assert.equal(settings.imageShape, [1, 28, 28])
  assert.is(settings.classNames[9], 'Ankle boot')
})

test('loadClassifierRun reopens the trained model: same predictions, in eval mode', () => {
  const { dir, accuracy } = fashionRun()
  const run = loadClassifierRun(dir)
  assert.is(run.model.training, false)
  assert.is(run.epoch, 3)
  assert.is(run.dataset, 'fashion-mnist')
  assert.is(run.testAccuracy, accuracy)
  const test = { ...loadSample({ split: 'test' }), count: 50 }
  assert.ok(evaluateClassifier(run.model, test, 20).accuracy > 0.4, 'it classifies test images it never saw')
  const again = loadClassifierRun(dir)
  const indices = Array.from({ length: 20 }, (_, i) => i)
  const logits = (m: typeof run.model) => Array.from(noGrad(() => m.forward(imageTensor(test, indices))).toTypedArray())
  assert.equal(logits(run.model), logits(again.model))
})

// A synthetic MNIST-format set: class c is a bright 5x5 square at its own place on a noisy background.
function writeSyntheticMnist(dir: string, train: number, testCount: number): void {
  mkdirSync(dir, { recursive: true })
  const rng = new Rng(11)
  const make = (count: number) => {
    const images = new Uint8Array(count * 784)
    const labels = new Uint8Array(count)
    for (let i = 0; i < count; i++) {
      const c = i % 10
      labels[i] = c
      for (let p = 0; p < 784; p++) images[i * 784 + p] = rng.int(40)
      const [top, left] = [3 + 13 * Math.floor(c / 5), 2 + 5 * (c % 5)]
      for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) images[i * 784 + (top + y) * 28 + left + x] = 200 + rng.int(56)
    }
    return { images, labels }
  }
  for (const [split, count] of [['train', train], ['t10k', testCount]] as const) {
    const { images, labels } = make(count)
    writeIdxFile(join(dir, `${split}-images-idx3-ubyte.gz`), { dtype: 'uint8', shape: [count, 28, 28], data: images })
    writeIdxFile(join(dir, `${split}-labels-idx1-ubyte.gz`), { dtype: 'uint8', shape: [count], data: labels })
  }
}

test('MNIST: the --dataset mnist path trains on MNIST-format files and records the data set', () => {
  const data = join(tempDir(), 'mnist')
  writeSyntheticMnist(data, 300, 60)
  const dir = tempDir()
  const config: ClassifierCnnRunConfig = { ...base, dataset: 'mnist', sample: false, dataDir: data, limit: undefined, epochs: 4, batch: 20, lrDecay: 1 }
  const result = trainClassifierCnn(config, dir, { log: quiet, progress: false })
  assert.ok(result.testAccuracy >= 0.9, `test accuracy ${result.testAccuracy} on an easy synthetic set`)
  const run = loadClassifierRun(dir)
  assert.is(run.dataset, 'mnist')
  assert.equal(run.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
  assert.is(JSON.parse(readFileSync(join(dir, CLASSIFIER_SETTINGS), 'utf8')).data, data)
})

test('argmaxRows takes the first of equal maxima, row by row', () => {
  assert.equal(Array.from(argmaxRows(tensor([[0, 3, 3], [5, -1, 2], [-2, -3, -1]]))), [1, 0, 2])
})

test('settings are checked, and a folder that is not a classifier run is refused by name', () => {
  const bad: [Partial<ClassifierCnnRunConfig>, RegExp][] = [
    [{ epochs: 0 }, /--epochs must be a positive integer, got 0/],
    [{ batch: 1.5 }, /--batch must be a positive integer/],
    [{ lr: -1 }, /--lr must be a positive number, got -1/],
    [{ lrDecay: 1.5 }, /--lr-decay must be in \(0, 1\], got 1.5/],
    [{ dropout: 1 }, /--dropout must be in \[0, 1\), got 1/],
    [{ seed: 0.5 }, /--seed must be an integer/],
    [{ channels: [4, 0] }, /channels must be two positive integers, got \[4,0\]/],
  ]
  for (const [change, pattern] of bad) assert.throws(() => checkClassifierConfig({ ...base, ...change }), pattern)
  const empty = tempDir()
  assert.throws(() => loadClassifierRun(empty), /is not a classifier run folder: settings.json is missing/)
  writeFileSync(join(empty, CLASSIFIER_SETTINGS), '{ nope')
  assert.throws(() => loadClassifierRun(empty), /settings.json: not valid JSON/)
  writeFileSync(join(empty, CLASSIFIER_SETTINGS), JSON.stringify({ model: 'vae' }))
  assert.throws(() => loadClassifierRun(empty), /is not a classifier run folder: its settings.json says kind undefined, expected "classifier-cnn"/)
  const { dir } = fashionRun()
  const copy = tempDir()
  writeFileSync(join(copy, CLASSIFIER_SETTINGS), readFileSync(join(dir, CLASSIFIER_SETTINGS)))
  assert.not.ok(existsSync(join(copy, CLASSIFIER_CHECKPOINT)))
  assert.throws(() => loadClassifierRun(copy), /has no checkpoint.gkt yet/)
})

test('a loss that is not a number stops the run with the epoch and step', () => {
  assert.throws(() => trainClassifierCnn({ ...base, limit: 100, epochs: 1, lr: 1e30 }, tempDir(), { log: quiet, progress: false }), /training stopped: the loss is (NaN|Infinity|-Infinity) at epoch 1, step \d+ of 4/)
})

test.run()
