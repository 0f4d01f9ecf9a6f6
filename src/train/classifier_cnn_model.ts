// The evaluation classifier's run settings, their checks, the model they build and its evaluation:
// what training it (classifier_cnn_trainer.ts), reopening it (reopen.ts) and judging generated
// images with it (src/eval) share.
import { noGrad } from '../autograd/grad_mode.ts'
import { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { argmax } from '../tensor/argmax.ts'
import { labelBatch } from '../data/batches.ts'
import type { DatasetName } from '../data/catalog.ts'
import type { ImageDataset } from '../data/datasets.ts'
import { crossEntropy } from '../nn/losses.ts'
import { ClassifierCnn } from '../models/classifier_cnn.ts'
import { imageTensor, type DataChoice } from './data.ts'
import { CHECKPOINT_FILE, SETTINGS_FILE } from './run_folder.ts'
import { checkWatchSettings } from './run_watch.ts'

export { imageTensor }

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
  /** Log every this many steps to metrics-steps.csv/.json (--log-every); unset: about 300 rows over the run. */
  logEvery?: number
}

export const CLASSIFIER_CHECKPOINT = CHECKPOINT_FILE
export const CLASSIFIER_SETTINGS = SETTINGS_FILE
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

export interface ClassifierSettings extends ClassifierCnnRunConfig {
  kind: typeof CLASSIFIER_KIND
  imageShape: [number, number, number]
  classNames: string[]
  backend: string
  data: string
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
  // A classifier draws no samples: no --snapshot-every.
  checkWatchSettings({ logEvery: config.logEvery })
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

export function buildClassifier(config: ClassifierCnnRunConfig, imageShape: readonly [number, number, number], classes: number): ClassifierCnn {
  return new ClassifierCnn({ imageShape, classes, hidden: config.hidden, dropout: config.dropout, channels: config.channels, rng: new Rng(config.seed) })
}
