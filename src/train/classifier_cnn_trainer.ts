// Training the evaluation classifier (genkata train classifier-cnn) into a run folder:
// settings.json, metrics.json/.csv (loss and accuracy per epoch, train and test), curves.png,
// index.html and checkpoint.gkt. loadClassifierRun(dir) reopens it for the evaluation (src/eval):
// per-class accuracy of generated images, and FID on its penultimate features.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { writeFileAtomic } from '../report/atomic.ts'
import { join } from 'node:path'
// The library's entry point installs the autograd ops every Tensor method needs.
import '../index.ts'
import { noGrad } from '../autograd/grad_mode.ts'
import { getBackend } from '../backend/index.ts'
import { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { imageBatch, labelBatch } from '../data/batches.ts'
import type { DatasetName } from '../data/catalog.ts'
import type { ImageDataset } from '../data/datasets.ts'
import { crossEntropy } from '../nn/losses.ts'
import { Adam } from '../nn/optim.ts'
import { loadCheckpoint, saveCheckpoint } from '../nn/checkpoint.ts'
import { ClassifierCnn } from '../models/classifier_cnn.ts'
import { writeMetricsFiles } from '../report/metrics.ts'
import { renderLinePlot } from '../report/plot.ts'
import { writePng } from '../report/png.ts'
import { writeIndexHtml } from '../report/html.ts'
import { loadRunData, type DataChoice } from './data.ts'
import { Progress } from './progress.ts'
import { argmax } from '../tensor/argmax.ts'

export interface ClassifierCnnRunConfig extends DataChoice {
  epochs: number
  batch: number
  /** Adam's learning rate in the first epoch. */
  lr: number
  /** The learning rate is multiplied by this after every epoch (1: constant). */
  lrDecay: number
  /** Width of the penultimate layer, the FID features. */
  hidden: number
  dropout: number
  /** Channels of the convolutions ([32, 64]); small ones make quick tests. */
  channels?: [number, number]
  seed: number
}

export const CLASSIFIER_CHECKPOINT = 'checkpoint.gkt'
export const CLASSIFIER_SETTINGS = 'settings.json'
/** Marks a run folder as a classifier's, so that a VAE run is not mistaken for one. */
export const CLASSIFIER_KIND = 'classifier-cnn'

export interface ClassifierEpoch {
  epoch: number
  lr: number
  train_loss: number
  train_accuracy: number
  test_loss: number
  test_accuracy: number
  images_per_second: number
}

interface SavedSettings extends ClassifierCnnRunConfig {
  kind: typeof CLASSIFIER_KIND
  imageShape: [number, number, number]
  classNames: string[]
  backend: string
  data: string
}

export function checkClassifierConfig(config: ClassifierCnnRunConfig): void {
  const positiveInt = (name: string, v: number) => {
    if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`--${name} must be a positive integer, got ${v}`)
  }
  positiveInt('epochs', config.epochs)
  positiveInt('batch', config.batch)
  positiveInt('hidden', config.hidden)
  if (!(config.lr > 0 && Number.isFinite(config.lr))) throw new RangeError(`--lr must be a positive number, got ${config.lr}`)
  if (!(config.lrDecay > 0 && config.lrDecay <= 1)) throw new RangeError(`--lr-decay must be in (0, 1], got ${config.lrDecay}`)
  if (!(config.dropout >= 0 && config.dropout < 1)) throw new RangeError(`--dropout must be in [0, 1), got ${config.dropout}`)
  if (!Number.isInteger(config.seed)) throw new RangeError(`--seed must be an integer, got ${config.seed}`)
  const channels = config.channels
  if (channels !== undefined && !(channels.length === 2 && channels.every((c) => Number.isInteger(c) && c > 0))) {
    throw new RangeError(`channels must be two positive integers, got [${channels}]`)
  }
}

/** The images of `indices` as [N, 1, rows, cols] in [0, 1]. */
export function imageTensor(data: ImageDataset, indices: ArrayLike<number>): Tensor {
  return imageBatch(data, indices).reshape([indices.length, 1, data.rows, data.cols])
}

/** The index of the largest logit in each row of [N, classes] logits. */
export function argmaxRows(logits: Tensor): Int32Array {
  const [n, classes] = logits.shape as [number, number]
  return argmax(logits.toTypedArray(), n, classes)
}

/** Mean cross-entropy and accuracy on a data set, in eval mode and without a graph. */
export function evaluateClassifier(model: ClassifierCnn, data: ImageDataset, batch = 500): { loss: number; accuracy: number } {
  let loss = 0
  let correct = 0
  const wasTraining = model.training
  model.eval()
  noGrad(() => {
    for (let start = 0; start < data.count; start += batch) {
      const indices = Int32Array.from({ length: Math.min(batch, data.count - start) }, (_, i) => start + i)
      const logits = model.forward(imageTensor(data, indices))
      const labels = labelBatch(data, indices)
      loss += crossEntropy(logits, labels).item() * indices.length
      const predicted = argmaxRows(logits)
      for (let i = 0; i < indices.length; i++) if (predicted[i] === labels[i]) correct++
    }
  })
  if (wasTraining) model.train()
  return { loss: loss / data.count, accuracy: correct / data.count }
}

function buildModel(config: ClassifierCnnRunConfig, imageShape: readonly [number, number, number], classes: number): ClassifierCnn {
  return new ClassifierCnn({ imageShape, classes, hidden: config.hidden, dropout: config.dropout, channels: config.channels, rng: new Rng(config.seed) })
}

function writeReport(dir: string, settings: SavedSettings, history: readonly ClassifierEpoch[]): void {
  writeMetricsFiles(dir, 'metrics', history as unknown as Record<string, number>[])
  const points = (key: keyof ClassifierEpoch) => history.map((h) => [h.epoch, h[key]] as [number, number])
  const { image } = renderLinePlot({
    title: 'evaluation classifier: accuracy',
    xLabel: 'epoch',
    yLabel: 'accuracy',
    series: [
      { name: 'train', points: points('train_accuracy') },
      { name: 'test', points: points('test_accuracy') },
    ],
  })
  writePng(join(dir, 'curves.png'), image)
  writeIndexHtml(dir, {
    title: `${CLASSIFIER_KIND} on ${settings.sample ? 'the Fashion-MNIST sample' : settings.dataset}`,
    settings: settings as unknown as Record<string, unknown>,
    images: [{ file: 'curves.png', caption: 'accuracy per epoch, on the training images (while training, dropout on) and the test set' }],
    metricsTable: history as unknown as Record<string, number>[],
    links: [
      { file: 'metrics.csv', caption: 'metrics.csv' },
      { file: CLASSIFIER_CHECKPOINT, caption: 'checkpoint' },
    ],
  })
}

export interface ClassifierRunResult {
  dir: string
  model: ClassifierCnn
  history: ClassifierEpoch[]
  testAccuracy: number
}

/** Trains the classifier from scratch into `dir` (settings, metrics, checkpoint after every epoch). */
export function trainClassifierCnn(config: ClassifierCnnRunConfig, dir: string, options: { log?: (line: string) => void; progress?: boolean } = {}): ClassifierRunResult {
  checkClassifierConfig(config)
  const log = options.log ?? ((line: string) => console.log(line))
  const { train, test } = loadRunData(config)
  const imageShape: [number, number, number] = [1, train.rows, train.cols]
  const model = buildModel(config, imageShape, train.classes.length)
  const optimizer = new Adam(model.parameters(), { lr: config.lr })
  const rng = new Rng(config.seed + 1)
  const settings: SavedSettings = {
    kind: CLASSIFIER_KIND,
    ...config,
    imageShape,
    classNames: train.classes,
    backend: getBackend().name,
    data: train.source,
  }
  mkdirSync(dir, { recursive: true })
  writeFileAtomic(join(dir, CLASSIFIER_SETTINGS), JSON.stringify(settings, null, 2) + '\n')
  log(`${CLASSIFIER_KIND}: ${train.count} training / ${test.count} test images from ${train.source}${train.sample ? ' (the embedded sample)' : ''}; backend ${getBackend().name}; output in ${dir}`)

  const history: ClassifierEpoch[] = []
  const steps = Math.ceil(train.count / config.batch)
  const silent = { write: () => true }
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const lr = config.lr * config.lrDecay ** (epoch - 1)
    optimizer.options.lr = lr
    model.train()
    const order = rng.permutation(train.count)
    const progress = new Progress({ label: `epoch ${epoch}/${config.epochs}`, total: steps, ...(options.progress === false ? { stream: silent } : {}) })
    for (let step = 0; step < steps; step++) {
      const indices = order.subarray(step * config.batch, Math.min((step + 1) * config.batch, train.count))
      const labels = labelBatch(train, indices)
      const logits = model.forward(imageTensor(train, indices))
      const loss = crossEntropy(logits, labels)
      const value = loss.item()
      if (!Number.isFinite(value)) {
        progress.finish()
        throw new Error(`training stopped: the loss is ${value} at epoch ${epoch}, step ${step + 1} of ${steps}; try a smaller --lr`)
      }
      optimizer.zeroGrad()
      loss.backward()
      optimizer.step()
      const predicted = argmaxRows(logits)
      let correct = 0
      for (let i = 0; i < indices.length; i++) if (predicted[i] === labels[i]) correct++
      progress.tick(indices.length, { loss: value, accuracy: correct / indices.length })
    }
    progress.finish()
    const trained = progress.means()
    const evaluation = evaluateClassifier(model, test)
    const record: ClassifierEpoch = {
      epoch,
      lr,
      train_loss: trained.loss!,
      train_accuracy: trained.accuracy!,
      test_loss: evaluation.loss,
      test_accuracy: evaluation.accuracy,
      images_per_second: progress.imagesPerSecond(),
    }
    history.push(record)
    log(
      `epoch ${epoch}/${config.epochs}: train loss ${record.train_loss.toFixed(4)}, accuracy ${(100 * record.train_accuracy).toFixed(2)}%; ` +
        `test loss ${record.test_loss.toFixed(4)}, accuracy ${(100 * record.test_accuracy).toFixed(2)}%; ${Math.round(record.images_per_second)} images/s`,
    )
    saveCheckpoint(join(dir, CLASSIFIER_CHECKPOINT), model, { epoch, history })
    writeReport(dir, settings, history)
  }
  const testAccuracy = history.at(-1)!.test_accuracy
  log(`done: test accuracy ${(100 * testAccuracy).toFixed(2)}% on ${test.count} test images; run folder ${dir}`)
  return { dir, model, history, testAccuracy }
}

export interface ClassifierRun {
  dir: string
  config: ClassifierCnnRunConfig
  dataset: DatasetName
  classNames: string[]
  model: ClassifierCnn
  epoch: number
  history: ClassifierEpoch[]
  /** The test accuracy after the last saved epoch. */
  testAccuracy: number
}

/** A trained classifier, reopened from its run folder (in eval mode). */
export function loadClassifierRun(dir: string): ClassifierRun {
  const file = join(dir, CLASSIFIER_SETTINGS)
  if (!existsSync(file)) throw new Error(`${dir} is not a classifier run folder: ${CLASSIFIER_SETTINGS} is missing (train one with genkata train classifier-cnn)`)
  let settings: SavedSettings
  try {
    settings = JSON.parse(readFileSync(file, 'utf8')) as SavedSettings
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`)
  }
  if (settings.kind !== CLASSIFIER_KIND) throw new Error(`${dir} is not a classifier run folder: its ${CLASSIFIER_SETTINGS} says kind ${JSON.stringify(settings.kind)}, expected "${CLASSIFIER_KIND}"`)
  checkClassifierConfig(settings)
  const checkpoint = join(dir, CLASSIFIER_CHECKPOINT)
  if (!existsSync(checkpoint)) throw new Error(`${dir} has no ${CLASSIFIER_CHECKPOINT} yet: the classifier did not finish an epoch`)
  const model = buildModel(settings, settings.imageShape, settings.classNames.length)
  const extra = loadCheckpoint(checkpoint, model) as { epoch: number; history: ClassifierEpoch[] }
  model.eval()
  return {
    dir,
    config: settings,
    dataset: settings.dataset,
    classNames: settings.classNames,
    model,
    epoch: extra.epoch,
    history: extra.history,
    testAccuracy: extra.history.at(-1)!.test_accuracy,
  }
}
