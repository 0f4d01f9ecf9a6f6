// Training a VAE-family model, one epoch at a time, leaving everything a person wants to look at in
// the run's folder: settings, per-epoch metrics (JSON and CSV), a checkpoint to resume from, and
// the pictures (vae_report.ts). A NaN or infinite loss stops the run with the step that made it; the
// checkpoint on disk is still the last good epoch's, because checkpoints are written atomically and
// only after an epoch completes.
import { existsSync, mkdirSync } from 'node:fs'
import { writeFileAtomic } from '../report/atomic.ts'
import { join } from 'node:path'
import { noGrad } from '../autograd/grad_mode.ts'
import { getBackend } from '../backend/index.ts'
import { Rng, type RngState } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { imageBatch, labelBatch } from '../data/batches.ts'
import type { ImageDataset } from '../data/datasets.ts'
import { loadCheckpoint, saveCheckpoint } from '../nn/checkpoint.ts'
import { createVae, VAE_KINDS, type VaeKind } from '../models/index.ts'
import type { VaeModel } from '../models/vae.ts'
import { loadRunData, type DataChoice } from './data.ts'
import { createOptimizer, OPTIMIZER_NAMES, type OptimizerName } from './optimizers.ts'
import { Progress } from './progress.ts'
import { writeMetrics, type EpochMetrics } from './metrics.ts'
import { writeVaeReport } from './vae_report.ts'
import { CHECKPOINT_FILE, readSettings, SETTINGS_FILE, TrainingDiverged } from './run_folder.ts'

export interface VaeRunConfig extends DataChoice {
  model: VaeKind
  latent: number
  /** Hidden width of the FC VAE's two hidden layers. */
  hidden: number
  beta: number
  epochs: number
  batch: number
  optimizer: OptimizerName
  lr: number
  seed: number
}

export { CHECKPOINT_FILE, SETTINGS_FILE, TrainingDiverged }

export function checkRunConfig(config: VaeRunConfig): void {
  const positiveInt = (name: string, v: number) => {
    if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`--${name} must be a positive integer, got ${v}`)
  }
  if (!VAE_KINDS.includes(config.model)) throw new Error(`unknown model '${config.model}': choose one of ${VAE_KINDS.join(', ')}`)
  if (!OPTIMIZER_NAMES.includes(config.optimizer)) throw new Error(`unknown optimizer '${config.optimizer}': choose one of ${OPTIMIZER_NAMES.join(', ')}`)
  positiveInt('latent', config.latent)
  positiveInt('hidden', config.hidden)
  positiveInt('epochs', config.epochs)
  positiveInt('batch', config.batch)
  if (!(config.beta >= 0 && Number.isFinite(config.beta))) throw new RangeError(`--beta must be a finite number >= 0, got ${config.beta}`)
  if (!(config.lr > 0 && Number.isFinite(config.lr))) throw new RangeError(`--lr must be a positive number, got ${config.lr}`)
  if (!Number.isInteger(config.seed)) throw new RangeError(`--seed must be an integer, got ${config.seed}`)
}

interface CheckpointExtra {
  epoch: number
  rng: RngState
  optimizer: unknown
  history: EpochMetrics[]
}

export interface VaeRunResult {
  dir: string
  model: VaeModel
  history: EpochMetrics[]
  train: ImageDataset
  test: ImageDataset
}

/** The images of `indices` as the model's input: [N, 1, rows, cols] in [0, 1]. */
function images(data: ImageDataset, indices: ArrayLike<number>): Tensor {
  return imageBatch(data, indices).reshape([indices.length, 1, data.rows, data.cols])
}

/**
 * Train from scratch into `dir`, or, with resume, continue the run in `dir` from its checkpoint up
 * to config.epochs (bit-identical to a run that never stopped, on the same backend).
 */
export function trainVae(config: VaeRunConfig, dir: string, options: { resume?: boolean; log?: (line: string) => void } = {}): VaeRunResult {
  checkRunConfig(config)
  const log = options.log ?? ((line: string) => console.log(line))
  const { train, test } = loadRunData(config)
  const classes = config.model.includes('cvae') ? train.classes.length : undefined
  const model = createVae(config.model, { latent: config.latent, hidden: config.hidden, classes, imageShape: [1, train.rows, train.cols], rng: new Rng(config.seed) })
  const optimizer = createOptimizer(config.optimizer, model.parameters(), config.lr)
  let rng = new Rng(config.seed + 1)
  let history: EpochMetrics[] = []

  mkdirSync(dir, { recursive: true })
  const checkpoint = join(dir, CHECKPOINT_FILE)
  if (options.resume) {
    if (!existsSync(checkpoint)) throw new Error(`cannot resume: ${checkpoint} does not exist`)
    const extra = loadCheckpoint(checkpoint, model) as CheckpointExtra
    optimizer.loadStateDict(extra.optimizer as never)
    rng = Rng.fromState(extra.rng)
    history = extra.history
    log(`resumed ${dir} after epoch ${extra.epoch}`)
  }
  writeFileAtomic(join(dir, SETTINGS_FILE), JSON.stringify({ ...config, backend: getBackend().name, data: train.source }, null, 2) + '\n')
  log(`${config.model}: ${train.count} training / ${test.count} test images from ${train.source}${train.sample ? ' (the embedded sample)' : ''}; backend ${getBackend().name}; output in ${dir}`)

  const steps = Math.ceil(train.count / config.batch)
  for (let epoch = history.length + 1; epoch <= config.epochs; epoch++) {
    model.train()
    const order = rng.permutation(train.count)
    const progress = new Progress({ label: `epoch ${epoch}/${config.epochs}`, total: steps })
    for (let step = 0; step < steps; step++) {
      const indices = order.subarray(step * config.batch, Math.min((step + 1) * config.batch, train.count))
      const labels = classes ? labelBatch(train, indices) : undefined
      const terms = model.elbo(images(train, indices), { labels, beta: config.beta, rng })
      const values = { loss: terms.loss.item(), reconstruction: terms.reconstruction.item(), kl: terms.kl.item() }
      if (!Number.isFinite(values.loss)) {
        progress.finish()
        const kept = history.length > 0 ? `the last good checkpoint, from epoch ${history.length}, is ${checkpoint}` : 'no checkpoint was written (it diverged in the first epoch)'
        throw new TrainingDiverged(
          `training stopped: the loss is ${values.loss} (reconstruction ${values.reconstruction}, KL ${values.kl}) at epoch ${epoch}, step ${step + 1} of ${steps}; ${kept}. Try a smaller --lr.`,
          epoch,
          step + 1,
        )
      }
      optimizer.zeroGrad()
      terms.loss.backward()
      optimizer.step()
      progress.tick(indices.length, values)
    }
    progress.finish()
    const trained = progress.means()
    const evaluation = evaluateVae(model, test, { beta: config.beta, seed: config.seed, batch: 500 })
    const record: EpochMetrics = {
      epoch,
      train_loss: trained.loss!,
      train_reconstruction: trained.reconstruction!,
      train_kl: trained.kl!,
      test_loss: evaluation.loss,
      test_reconstruction: evaluation.reconstruction,
      test_kl: evaluation.kl,
      test_mse: evaluation.mse,
      images_per_second: progress.imagesPerSecond(),
    }
    history.push(record)
    log(`epoch ${epoch}/${config.epochs}: train loss ${record.train_loss.toFixed(2)}, test loss ${record.test_loss.toFixed(2)} (reconstruction ${record.test_reconstruction.toFixed(2)}, KL ${record.test_kl.toFixed(2)}), test MSE ${record.test_mse.toFixed(5)}, ${Math.round(record.images_per_second)} images/s`)
    const extra: CheckpointExtra = { epoch, rng: rng.getState(), optimizer: optimizer.stateDict(), history }
    saveCheckpoint(checkpoint, model, extra)
    writeMetrics(dir, history)
    writeVaeReport(dir, { model, config: { ...config }, history, test, seed: config.seed })
  }
  log(`done: pictures and metrics in ${dir} (open ${join(dir, 'index.html')})`)
  return { dir, model, history, train, test }
}

export interface VaeEvaluation {
  /** negative ELBO per image (reconstruction + beta * KL), one Monte-Carlo draw of z per image */
  loss: number
  reconstruction: number
  kl: number
  /** mean squared error per pixel of the deterministic reconstruction (z = mu) */
  mse: number
}

/** The test-set figures, with a generator of its own so evaluating never shifts training's stream. */
export function evaluateVae(model: VaeModel, data: ImageDataset, options: { beta: number; seed: number; batch?: number }): VaeEvaluation {
  const rng = new Rng(options.seed + 2)
  const batch = options.batch ?? 500
  let loss = 0
  let reconstruction = 0
  let kl = 0
  let squared = 0
  model.eval()
  noGrad(() => {
    for (let start = 0; start < data.count; start += batch) {
      const indices = Int32Array.from({ length: Math.min(batch, data.count - start) }, (_, i) => start + i)
      const labels = model.classes ? labelBatch(data, indices) : undefined
      const x = images(data, indices)
      const terms = model.elbo(x, { labels, beta: options.beta, rng })
      const n = indices.length
      loss += terms.loss.item() * n
      reconstruction += terms.reconstruction.item() * n
      kl += terms.kl.item() * n
      squared += model.reconstruct(x, labels).sub(x).square().sum().item()
    }
  })
  model.train()
  const pixels = data.count * data.rows * data.cols
  return { loss: loss / data.count, reconstruction: reconstruction / data.count, kl: kl / data.count, mse: squared / pixels }
}

/** The settings a run was made with, from its folder (for resume, sample and eval). */
export function readRunConfig(dir: string): VaeRunConfig {
  return readSettings(dir, checkRunConfig)
}

/** A finished (or interrupted) run, reopened from its folder: its settings and trained model. */
export function openRun(dir: string): { config: VaeRunConfig; model: VaeModel; epoch: number; history: EpochMetrics[] } {
  const config = readRunConfig(dir)
  const checkpoint = join(dir, CHECKPOINT_FILE)
  if (!existsSync(checkpoint)) throw new Error(`${dir} has no ${CHECKPOINT_FILE} yet: the run did not finish an epoch`)
  const { train } = loadRunData({ ...config, limit: undefined })
  const classes = config.model.includes('cvae') ? train.classes.length : undefined
  const model = createVae(config.model, { latent: config.latent, hidden: config.hidden, classes, imageShape: [1, train.rows, train.cols], rng: new Rng(config.seed) })
  const extra = loadCheckpoint(checkpoint, model) as CheckpointExtra
  model.eval()
  return { config, model, epoch: extra.epoch, history: extra.history }
}
