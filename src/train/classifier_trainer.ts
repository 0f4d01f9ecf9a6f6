// Training the MLP classifier (genkata train classifier) through the epoch runner
// (epoch_runner.ts): the smallest complete training, a judge of a CVAE's or an ACGAN's samples by
// class. Its folder (runs/classifier, replaced by each run) holds settings.json, metrics.json/.csv
// (train loss and test accuracy per epoch), checkpoint.gkt, and what the epoch runner adds to every
// run (the per-step log and curves, the run page).
import { getBackend, noGrad, Rng } from '../index.ts'
import { MlpClassifier } from '../models/mlp_classifier.ts'
import { Adam } from '../nn/optim/index.ts'
import { crossEntropy } from '../nn/losses.ts'
import type { ImageDataset } from '../data/index.ts'
import { imageBatch, labelBatch } from '../data/batches.ts'
import { argmax } from '../tensor/argmax.ts'
import { loadRunData, type DataChoice } from './data.ts'
import { runEpochs, type RunOptions } from './epoch_runner.ts'
import { checkWatchSettings, watchOptions } from './run_watch.ts'
import { join } from 'node:path'
import { tidy } from '../tensor/memory.ts'

export interface ClassifierOptions {
  epochs: number
  batchSize: number
  lr: number
  hidden: number
  seed: number
  out: string
  full: boolean
  dataDir?: string
  /** Log every this many steps to metrics-steps.csv/.json (--log-every); unset: about 300 rows over the run. */
  logEvery?: number
}

export const MLP_CLASSIFIER_KIND = 'mlp-classifier'

export interface MlpClassifierEpoch {
  epoch: number
  train_loss: number
  test_accuracy: number
  images_per_second: number
}

function accuracy(model: MlpClassifier, data: ImageDataset): number {
  let correct = 0
  noGrad(() => {
    for (let start = 0; start < data.count; start += 500) {
      const indices = Array.from({ length: Math.min(500, data.count - start) }, (_, i) => start + i)
      const predicted = tidy(() => {
        const logits = model.forward(imageBatch(data, indices))
        return argmax(logits.toTypedArray(), indices.length, logits.shape[1]!)
      })
      const labels = labelBatch(data, indices)
      for (let i = 0; i < indices.length; i++) if (predicted[i] === labels[i]) correct++
    }
  })
  return correct / data.count
}

export function trainClassifier(options: ClassifierOptions, run: Omit<RunOptions, 'resume' | 'replace'> = {}): { testAccuracy: number; out: string } {
  const log = run.log ?? ((line: string) => console.log(line))
  checkWatchSettings({ logEvery: options.logEvery })
  const choice: DataChoice = { dataset: 'fashion-mnist', sample: !options.full, dataDir: options.dataDir }
  const { train, test } = loadRunData(choice)
  const rng = new Rng(options.seed)
  const model = new MlpClassifier([train.rows * train.cols, options.hidden, train.classes.length], rng)
  const optimizer = new Adam(model.parameters(), { lr: options.lr })
  const config = { kind: MLP_CLASSIFIER_KIND, ...choice, epochs: options.epochs, batch: options.batchSize, lr: options.lr, hidden: options.hidden, seed: options.seed }
  const backend = getBackend().name
  const outcome = runEpochs<MlpClassifierEpoch>({
    settings: { ...config, backend, data: train.source },
    config,
    count: train.count,
    module: model,
    // One stream for the initialisation and the shuffling, as this trainer always had.
    rng,
    intro: `data: ${train.count} train / ${test.count} test images from ${train.source}${train.sample ? ' (the embedded sample)' : ''}; backend: ${backend}`,
    hint: 'Try a smaller --lr.',
    lr: () => optimizer.options.lr,
    beginEpoch: () => model.train(),
    step(indices) {
      const loss = crossEntropy(model.forward(imageBatch(train, indices)), labelBatch(train, indices))
      const value = loss.item()
      if (!Number.isFinite(value)) return { loss: value }
      optimizer.zeroGrad()
      loss.backward()
      optimizer.step()
      return { loss: value }
    },
    divergence: (v) => (Number.isFinite(v.loss!) ? null : `the loss is ${v.loss}`),
    endEpoch: (epoch, means, imagesPerSecond) => ({ epoch, train_loss: means.loss!, test_accuracy: accuracy(model, test), images_per_second: imagesPerSecond }),
    describe: (r) =>
      `epoch ${r.epoch}/${options.epochs}  train loss ${r.train_loss.toFixed(4)}  test accuracy ${(100 * r.test_accuracy).toFixed(1)}%  ${Math.round(r.images_per_second)} images/s`,
    report() {},
    page: (history) => ({
      title: `${MLP_CLASSIFIER_KIND}: ${history.length > 0 ? `epoch ${history.length}, test accuracy ${(100 * history.at(-1)!.test_accuracy).toFixed(1)}%` : 'no epoch yet'}`,
      images: [],
      metricsTable: history as unknown as Record<string, number>[],
      links: [{ file: 'metrics.csv', caption: 'metrics.csv' }, { file: 'metrics.json', caption: 'metrics.json' }, { file: 'checkpoint.gkt', caption: 'checkpoint' }],
    }),
    stepFigures: 'classifier',
    saveState: () => ({ optimizer: optimizer.stateDict() }),
    restoreState: (extra) => optimizer.loadStateDict(extra.optimizer as never),
  }, options.out, { ...run, log, replace: true, ...watchOptions(options) })
  const testAccuracy = outcome.history.at(-1)!.test_accuracy
  log(`test accuracy ${(100 * testAccuracy).toFixed(1)}% on ${test.count} test images; metrics in ${join(options.out, 'metrics.json')}`)
  return { testAccuracy, out: options.out }
}
