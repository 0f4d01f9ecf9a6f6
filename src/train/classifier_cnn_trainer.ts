// Training the evaluation classifier (genkata train classifier-cnn) into a run folder through the
// epoch runner (epoch_runner.ts): settings.json, metrics.json/.csv (loss and accuracy per epoch,
// train and test), curves.png, checkpoint.gkt, and what the epoch runner adds to every run (the
// per-step log and curves, the run page). reopen.ts's loadClassifierRun(dir)
// reopens it for the evaluation (src/eval): per-class accuracy of generated images, and FID on its
// penultimate features.
import { join } from 'node:path'
import { getBackend } from '../backend/index.ts'
import { Rng } from '../tensor/random.ts'
import { labelBatch } from '../data/batches.ts'
import { crossEntropy } from '../nn/losses.ts'
import { Adam } from '../nn/optim/index.ts'
import type { ClassifierCnn } from '../models/classifier_cnn.ts'
import { writeMetricsFiles } from '../report/metrics.ts'
import { renderLinePlot } from '../report/plot.ts'
import { writePng } from '../report/png.ts'
import { imageTensor, loadRunData } from './data.ts'
import { runEpochs, type RunOptions } from './epoch_runner.ts'
import { watchOptions, type RunPageContent } from './run_watch.ts'
import {
  argmaxRows, buildClassifier, checkClassifierConfig, CLASSIFIER_CHECKPOINT, CLASSIFIER_KIND, evaluateClassifier,
  type ClassifierCnnRunConfig, type ClassifierEpoch, type ClassifierSettings,
} from './classifier_cnn_model.ts'

// Kept for the commands and tests that import them from here.
export * from './classifier_cnn_model.ts'
export { loadClassifierRun } from './reopen.ts'

function writeReport(dir: string, settings: ClassifierSettings, history: readonly ClassifierEpoch[]): void {
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
}

function classifierPage(settings: ClassifierSettings, history: readonly ClassifierEpoch[]): RunPageContent {
  return {
    title: `${CLASSIFIER_KIND} on ${settings.sample ? 'the Fashion-MNIST sample' : settings.dataset}`,
    images: [],
    curves: [{ file: 'curves.png', caption: 'accuracy per epoch, on the training images (while training, dropout on) and the test set' }],
    metricsTable: history as unknown as Record<string, number>[],
    links: [
      { file: 'metrics.csv', caption: 'metrics.csv' },
      { file: CLASSIFIER_CHECKPOINT, caption: 'checkpoint' },
    ],
  }
}

export interface ClassifierRunResult {
  dir: string
  model: ClassifierCnn
  history: ClassifierEpoch[]
  testAccuracy: number
}

/** Trains the classifier into `dir` (settings, metrics, checkpoint after every epoch), or resumes it there. */
export function trainClassifierCnn(config: ClassifierCnnRunConfig, dir: string, options: RunOptions & { progress?: boolean } = {}): ClassifierRunResult {
  checkClassifierConfig(config)
  const log = options.log ?? ((line: string) => console.log(line))
  const { train, test } = loadRunData(config)
  const imageShape: [number, number, number] = [1, train.rows, train.cols]
  const model = buildClassifier(config, imageShape, train.classes.length)
  const optimizer = new Adam(model.parameters(), { lr: config.lr })
  const backend = getBackend().name
  const settings: ClassifierSettings = { kind: CLASSIFIER_KIND, ...config, imageShape, classNames: train.classes, backend, data: train.source }
  const outcome = runEpochs<ClassifierEpoch>({
    settings: settings as unknown as Record<string, unknown>,
    config: config as unknown as ClassifierCnnRunConfig & Record<string, unknown>,
    count: train.count,
    module: model,
    rng: new Rng(config.seed + 1),
    intro: `${CLASSIFIER_KIND}: ${train.count} training / ${test.count} test images from ${train.source}${train.sample ? ' (the embedded sample)' : ''}; backend ${backend}; output in ${dir}`,
    hint: 'Try a smaller --lr.',
    lr: () => optimizer.options.lr,
    beginEpoch(epoch) {
      optimizer.options.lr = config.lr * config.lrDecay ** (epoch - 1)
      model.train()
    },
    step(indices) {
      const labels = labelBatch(train, indices)
      const logits = model.forward(imageTensor(train, indices))
      const loss = crossEntropy(logits, labels)
      const value = loss.item()
      if (!Number.isFinite(value)) return { loss: value, accuracy: NaN }
      optimizer.zeroGrad()
      loss.backward()
      optimizer.step()
      const predicted = argmaxRows(logits)
      let correct = 0
      for (let i = 0; i < indices.length; i++) if (predicted[i] === labels[i]) correct++
      return { loss: value, accuracy: correct / indices.length }
    },
    divergence: (v) => (Number.isFinite(v.loss!) ? null : `the loss is ${v.loss}`),
    endEpoch(epoch, trained, imagesPerSecond) {
      const evaluation = evaluateClassifier(model, test)
      return {
        epoch, lr: optimizer.options.lr, train_loss: trained.loss!, train_accuracy: trained.accuracy!, test_loss: evaluation.loss, test_accuracy: evaluation.accuracy,
        images_per_second: imagesPerSecond,
      }
    },
    describe: (r) =>
      `epoch ${r.epoch}/${config.epochs}: train loss ${r.train_loss.toFixed(4)}, accuracy ${(100 * r.train_accuracy).toFixed(2)}%; ` +
      `test loss ${r.test_loss.toFixed(4)}, accuracy ${(100 * r.test_accuracy).toFixed(2)}%; ${Math.round(r.images_per_second)} images/s`,
    report: (history) => writeReport(dir, settings, history),
    page: (history) => classifierPage(settings, history),
    stepFigures: 'classifier',
    saveState: () => ({ optimizer: optimizer.stateDict() }),
    restoreState: (extra) => optimizer.loadStateDict(extra.optimizer as never),
  }, dir, { ...options, log, ...watchOptions(config), ...(options.progress === false ? { progressStream: { write: () => true } } : {}) })
  const testAccuracy = outcome.history.at(-1)!.test_accuracy
  if (outcome.trained) log(`done: test accuracy ${(100 * testAccuracy).toFixed(2)}% on ${test.count} test images; run folder ${dir}`)
  return { dir, model, history: outcome.history, testAccuracy }
}
