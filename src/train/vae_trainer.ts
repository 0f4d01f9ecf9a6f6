// Training a VAE-family model into a run folder through the epoch runner (epoch_runner.ts): this
// file supplies the step (the negative ELBO, its reconstruction and KL terms), the epoch's test
// figures and the report (vae_report.ts). The folder ends up with settings, per-epoch metrics (JSON
// and CSV), a checkpoint to resume from, and the pictures.
import { join } from 'node:path'
import { noGrad } from '../autograd/grad_mode.ts'
import { getBackend } from '../backend/index.ts'
import { Rng } from '../tensor/random.ts'
import { labelBatch } from '../data/batches.ts'
import type { ImageDataset } from '../data/datasets.ts'
import type { VaeModel } from '../models/vae.ts'
import { imageTensor, loadRunData } from './data.ts'
import { createOptimizer } from './optimizers.ts'
import type { EpochMetrics } from './metrics.ts'
import { vaePage, vaeSnapshot, writeVaeReport } from './vae_report.ts'
import { watchOptions } from './run_watch.ts'
import { runEpochs, type RunOptions } from './epoch_runner.ts'
import { checkRunConfig, createVaeModel, type VaeRunConfig } from './vae_config.ts'
import { tidy } from '../tensor/memory.ts'

// Kept for the commands that import them from here.
export { CHECKPOINT_FILE, SETTINGS_FILE, TrainingDiverged } from './run_folder.ts'
export { checkRunConfig, type VaeRunConfig } from './vae_config.ts'
export { openRun, readRunConfig } from './reopen.ts'

export interface VaeRunResult {
  dir: string
  model: VaeModel
  history: EpochMetrics[]
  train: ImageDataset
  test: ImageDataset
}

/**
 * Train from scratch into `dir`, or, with resume, continue the run in `dir` from its checkpoint up
 * to config.epochs (bit-identical to a run that never stopped, on the same backend).
 */
export function trainVae(config: VaeRunConfig, dir: string, options: RunOptions = {}): VaeRunResult {
  checkRunConfig(config)
  const log = options.log ?? ((line: string) => console.log(line))
  const { train, test } = loadRunData(config)
  const model = createVaeModel(config, train)
  const optimizer = createOptimizer(config.optimizer, model.parameters(), config.lr)
  const conditional = model.classes !== undefined && model.classes !== null
  const backend = getBackend().name
  const outcome = runEpochs<EpochMetrics>({
    settings: { ...config, backend, data: train.source },
    config: config as unknown as VaeRunConfig & Record<string, unknown>,
    count: train.count,
    module: model,
    rng: new Rng(config.seed + 1),
    intro: `${config.model}: ${train.count} training / ${test.count} test images from ${train.source}${train.sample ? ' (the embedded sample)' : ''}; backend ${backend}; output in ${dir}`,
    hint: 'Try a smaller --lr.',
    lr: () => (optimizer.options as { lr: number }).lr,
    beginEpoch: () => model.train(),
    step(indices, rng) {
      const labels = conditional ? labelBatch(train, indices) : undefined
      const terms = model.elbo(imageTensor(train, indices), { labels, beta: config.beta, rng })
      const values = { loss: terms.loss.item(), reconstruction: terms.reconstruction.item(), kl: terms.kl.item() }
      // A loss that is not finite stops the run (divergence below) before it reaches the weights.
      if (!Number.isFinite(values.loss)) return values
      optimizer.zeroGrad()
      terms.loss.backward()
      optimizer.step()
      return values
    },
    divergence: (v) => (Number.isFinite(v.loss!) ? null : `the loss is ${v.loss} (reconstruction ${v.reconstruction}, KL ${v.kl})`),
    endEpoch(epoch, trained, imagesPerSecond) {
      const evaluation = evaluateVae(model, test, { beta: config.beta, seed: config.seed, batch: 500 })
      return {
        epoch,
        train_loss: trained.loss!,
        train_reconstruction: trained.reconstruction!,
        train_kl: trained.kl!,
        test_loss: evaluation.loss,
        test_reconstruction: evaluation.reconstruction,
        test_kl: evaluation.kl,
        test_mse: evaluation.mse,
        images_per_second: imagesPerSecond,
      }
    },
    describe: (r) =>
      `epoch ${r.epoch}/${config.epochs}: train loss ${r.train_loss.toFixed(2)}, test loss ${r.test_loss.toFixed(2)} (reconstruction ${r.test_reconstruction.toFixed(2)}, KL ${r.test_kl.toFixed(2)}), test MSE ${r.test_mse.toFixed(5)}, ${Math.round(r.images_per_second)} images/s`,
    report: (history) => writeVaeReport(dir, { model, config: { ...config }, history, test, seed: config.seed }),
    page: (history) => vaePage(dir, { config: { ...config }, history, conditional }),
    stepFigures: 'vae',
    snapshot: () => vaeSnapshot(model, config.seed),
    saveState: () => ({ optimizer: optimizer.stateDict() }),
    restoreState: (extra) => optimizer.loadStateDict(extra.optimizer as never),
  }, dir, { ...options, log, ...watchOptions(config) })
  if (outcome.trained) log(`done: pictures and metrics in ${dir} (open ${join(dir, 'index.html')})`)
  return { dir, model, history: outcome.history, train, test }
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
      const n = indices.length
      tidy(() => {
        const x = imageTensor(data, indices)
        const terms = model.elbo(x, { labels, beta: options.beta, rng })
        loss += terms.loss.item() * n
        reconstruction += terms.reconstruction.item() * n
        kl += terms.kl.item() * n
        squared += model.reconstruct(x, labels).sub(x).square().sum().item()
      })
    }
  })
  model.train()
  const pixels = data.count * data.rows * data.cols
  return { loss: loss / data.count, reconstruction: reconstruction / data.count, kl: kl / data.count, mse: squared / pixels }
}
