// Training the GAN family (gan, dcgan, acgan) into a run folder through the epoch runner
// (epoch_runner.ts), which leaves what a VAE run leaves: settings.json, per-epoch metrics (JSON and
// CSV), a checkpoint of both players and both optimizers after every epoch, and the pictures
// (gan_report.ts). This file supplies the step (gan_training_step.ts), the epoch's record and the
// report; --resume continues bit for bit.
import { join } from 'node:path'
import { getBackend } from '../backend/index.ts'
import { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { imageBatch, labelBatch } from '../data/batches.ts'
import type { ImageDataset } from '../data/datasets.ts'
import { CheckpointError } from '../nn/checkpoint.ts'
import { toGanPixels, type GanPair } from '../models/gan.ts'
import { loadRunData } from './data.ts'
import { ganPage, ganSnapshot, writeGanReport } from './gan_report.ts'
import { runEpochs, type RunOptions } from './epoch_runner.ts'
import { checkGanRunConfig, PROGRESS_COLUMNS, type GanEpochMetrics, type GanRunConfig } from './gan_config.ts'
import { createGanTraining, GAN_ADAM_BETAS } from './gan_players.ts'
import { ganTrainingStep } from './gan_training_step.ts'
import { CHECKPOINT_FILE } from './run_folder.ts'
import { watchOptions } from './run_watch.ts'
import type { GanCheckpointExtra } from './gan_checkpoint.ts'

// Kept for the commands and tests that import them from here.
export { CHECKPOINT_FILE, SETTINGS_FILE, TrainingDiverged } from './run_folder.ts'
export * from './gan_config.ts'
export { createGanTraining, GAN_ADAM_BETAS, type GanTrainingParts } from './gan_players.ts'
export { ganTrainingStep } from './gan_training_step.ts'
export { isGanRun, openGanRun, readGanRunConfig, type OpenGanRun } from './reopen.ts'

/** The images of `indices` as the players see them: [N, 1, rows, cols] in [-1, 1]. */
function ganImages(data: ImageDataset, indices: ArrayLike<number>): Tensor {
  return toGanPixels(imageBatch(data, indices).reshape([indices.length, 1, data.rows, data.cols]))
}

export interface GanRunResult {
  dir: string
  pair: GanPair
  history: GanEpochMetrics[]
  train: ImageDataset
}

/**
 * Train from scratch into `dir`, or, with resume, continue the run in `dir` from its checkpoint up
 * to config.epochs (bit-identical to a run that never stopped, on the same backend).
 */
export function trainGan(config: GanRunConfig, dir: string, options: RunOptions = {}): GanRunResult {
  checkGanRunConfig(config)
  const log = options.log ?? ((line: string) => console.log(line))
  const { train } = loadRunData(config)
  const imageShape: [number, number, number] = [1, train.rows, train.cols]
  const classes = config.model === 'acgan' ? train.classes.length : null
  const parts = createGanTraining(config, { imageShape, classes })
  const { pair } = parts
  let progressRows: Tensor | null = null
  const backend = getBackend().name
  const outcome = runEpochs<GanEpochMetrics>({
    settings: { ...config, adamBetas: GAN_ADAM_BETAS, backend, data: train.source },
    config: config as unknown as GanRunConfig & Record<string, unknown>,
    count: train.count,
    module: pair,
    rng: new Rng(config.seed + 1),
    intro: `${config.model}: ${train.count} training images from ${train.source}${train.sample ? ' (the embedded sample)' : ''}; backend ${backend}; output in ${dir}`,
    hint: 'Try a smaller --lr, or --clip.',
    lr: () => parts.optimizerG.options.lr,
    beginEpoch: () => pair.train(),
    step(indices, rng) {
      const labels = classes !== null ? labelBatch(train, indices) : undefined
      return ganTrainingStep(parts, ganImages(train, indices), labels, rng, config) as unknown as Record<string, number>
    },
    divergence: (v) => (Number.isFinite(v.d_loss!) && Number.isFinite(v.g_loss!) ? null : `the discriminator's loss is ${v.d_loss} and the generator's ${v.g_loss}`),
    progressTerms: (v) => ({ D: v.d_loss!, G: v.g_loss!, 'D(x)': v.d_real!, 'D(G(z))': v.d_fake_before! }),
    endEpoch(epoch, mean, imagesPerSecond) {
      return {
        epoch, d_loss: mean.d_loss!, g_loss: mean.g_loss!, d_real: mean.d_real!, d_fake_before: mean.d_fake_before!, d_fake_after: mean.d_fake_after!,
        ...(classes !== null ? { real_class_accuracy: mean.real_class_accuracy!, fake_class_accuracy: mean.fake_class_accuracy! } : {}),
        images_per_second: imagesPerSecond,
      }
    },
    describe(r) {
      const accuracies = classes !== null ? `, class accuracy real ${r.real_class_accuracy!.toFixed(3)} fake ${r.fake_class_accuracy!.toFixed(3)}` : ''
      return `epoch ${r.epoch}/${config.epochs}: D loss ${r.d_loss.toFixed(4)}, G loss ${r.g_loss.toFixed(4)}, D(x) ${r.d_real.toFixed(3)}, D(G(z)) ${r.d_fake_before.toFixed(3)} -> ${r.d_fake_after.toFixed(3)}${accuracies}, ${Math.round(r.images_per_second)} images/s`
    },
    report(history) {
      progressRows = writeGanReport(dir, { pair, config: { ...config }, history, seed: config.seed, progress: progressRows, progressColumns: PROGRESS_COLUMNS }).progress
    },
    page: (history) => ganPage({ model: config.model, classes, history }),
    stepFigures: 'gan',
    snapshot: () => ganSnapshot(pair, config.seed),
    saveState: () => ({ optimizerG: parts.optimizerG.stateDict(), optimizerD: parts.optimizerD.stateDict(), progress: progressRows, imageShape, classes }),
    restoreState(extra) {
      const saved = extra as unknown as GanCheckpointExtra
      if (!Array.isArray(saved.imageShape)) throw new CheckpointError(`checkpoint ${join(dir, CHECKPOINT_FILE)}: not a GAN run's checkpoint (its extra has no imageShape)`)
      parts.optimizerG.loadStateDict(saved.optimizerG as never)
      parts.optimizerD.loadStateDict(saved.optimizerD as never)
      progressRows = saved.progress
    },
  }, dir, { ...options, log, ...watchOptions(config) })
  if (outcome.trained) log(`done: pictures and metrics in ${dir} (open ${join(dir, 'index.html')})`)
  return { dir, pair, history: outcome.history, train }
}
