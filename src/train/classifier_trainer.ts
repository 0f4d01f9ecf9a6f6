// Training the MLP classifier (genkata train classifier): the evaluation classifier that judges a
// CVAE's or an ACGAN's samples by class, and the smallest complete training loop in genkata.
import { mkdirSync } from 'node:fs'
import { writeFileAtomic } from '../report/atomic.ts'
import { join } from 'node:path'
import { noGrad, Rng, getBackend } from '../index.ts'
import { MlpClassifier } from '../models/mlp_classifier.ts'
import { Adam } from '../nn/optim.ts'
import { crossEntropy } from '../nn/losses.ts'
import { loadImageDataset, loadSample, type ImageDataset } from '../data/index.ts'
import { imageBatch, labelBatch } from '../data/batches.ts'
import { argmax } from '../tensor/argmax.ts'

export interface ClassifierOptions {
  epochs: number
  batchSize: number
  lr: number
  hidden: number
  seed: number
  out: string
  full: boolean
  dataDir?: string
}

function accuracy(model: MlpClassifier, data: ImageDataset): number {
  let correct = 0
  noGrad(() => {
    for (let start = 0; start < data.count; start += 500) {
      const indices = Array.from({ length: Math.min(500, data.count - start) }, (_, i) => start + i)
      const logits = model.forward(imageBatch(data, indices))
      const labels = labelBatch(data, indices)
      const predicted = argmax(logits.toTypedArray(), indices.length, logits.shape[1]!)
      for (let i = 0; i < indices.length; i++) if (predicted[i] === labels[i]) correct++
    }
  })
  return correct / data.count
}

export function trainClassifier(options: ClassifierOptions): { testAccuracy: number; out: string } {
  const load = (split: 'train' | 'test') =>
    options.full ? loadImageDataset({ name: 'fashion-mnist', split, dataDir: options.dataDir }) : loadSample({ split })
  const train = load('train')
  const test = load('test')
  console.log(`data: ${train.count} train / ${test.count} test images from ${train.source}${train.sample ? ' (the embedded sample)' : ''}`)
  console.log(`backend: ${getBackend().name}`)

  const rng = new Rng(options.seed)
  const model = new MlpClassifier([train.rows * train.cols, options.hidden, train.classes.length], rng)
  const optimizer = new Adam(model.parameters(), { lr: options.lr })
  const history: { epoch: number; trainLoss: number; testAccuracy: number; imagesPerSecond: number }[] = []

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = rng.permutation(train.count)
    const began = performance.now()
    let lossSum = 0
    for (let start = 0; start < train.count; start += options.batchSize) {
      const indices = order.subarray(start, Math.min(start + options.batchSize, train.count))
      const loss = crossEntropy(model.forward(imageBatch(train, indices)), labelBatch(train, indices))
      const value = loss.item()
      if (!Number.isFinite(value)) throw new Error(`training diverged: the loss is ${value} at epoch ${epoch}, batch starting at ${start}`)
      optimizer.zeroGrad()
      loss.backward()
      optimizer.step()
      lossSum += value * indices.length
    }
    const seconds = (performance.now() - began) / 1000
    const record = { epoch, trainLoss: lossSum / train.count, testAccuracy: accuracy(model, test), imagesPerSecond: train.count / seconds }
    history.push(record)
    console.log(
      `epoch ${epoch}/${options.epochs}  train loss ${record.trainLoss.toFixed(4)}  test accuracy ${(100 * record.testAccuracy).toFixed(1)}%  ${Math.round(record.imagesPerSecond)} images/s`,
    )
  }

  mkdirSync(options.out, { recursive: true })
  const file = join(options.out, 'metrics.json')
  writeFileAtomic(file, JSON.stringify({ model: 'mlp-classifier', options, backend: getBackend().name, data: { train: train.source, sample: train.sample }, history }, null, 2) + '\n')
  const testAccuracy = history.at(-1)?.testAccuracy ?? accuracy(model, test)
  console.log(`test accuracy ${(100 * testAccuracy).toFixed(1)}% on ${test.count} test images; metrics in ${file}`)
  return { testAccuracy, out: options.out }
}
