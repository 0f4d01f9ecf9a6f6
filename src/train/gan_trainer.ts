// Training the GAN family (gan, dcgan, acgan) one epoch at a time, leaving in the run's folder what
// trainVae leaves: settings.json, per-epoch metrics (JSON and CSV), a checkpoint of both players and
// both optimizers after every epoch, and the pictures (gan_report.ts). A loss that is NaN or
// infinite stops the run with the epoch and step; the checkpoint on disk stays the last good
// epoch's (written atomically, and only when an epoch completes). --resume continues bit for bit.
//
// One training step (exercise 8.3's alternatingStep with 8.2's passes, or 9.1's losses):
//   z ~ N(0, I), fakes = G(z)                      (labels drawn uniformly for the ACGAN)
//   D step:  loss on (real, fakes.detach())        D(x) and D(G(z)) "before" are read here
//   G step:  loss on D(fakes), gradient through D  D(G(z)) "after" is read at its first step
//   further G steps (--g-steps K) draw fresh noise.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { writeFileAtomic } from '../report/atomic.ts'
import { join } from 'node:path'
import { noGrad } from '../autograd/grad_mode.ts'
import { getBackend } from '../backend/index.ts'
import { randn } from '../tensor/creation.ts'
import { Rng, type RngState } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { imageBatch, labelBatch } from '../data/batches.ts'
import type { ImageDataset } from '../data/datasets.ts'
import { readCheckpoint, saveCheckpoint, CheckpointError } from '../nn/checkpoint.ts'
import { Adam } from '../nn/optim.ts'
import { createGan, defaultGanWidth, GAN_KINDS, type GanKind } from '../models/gan_kinds.ts'
import { fromGanPixels, toGanPixels, type Discriminator, type GanPair, type Generator } from '../models/gan.ts'
import { AcganDiscriminator } from '../models/acgan.ts'
import { alternatingStep } from '#kata/models/gan_step'
import { discriminatorPass, generatorPass } from '#kata/models/gan_detach'
import { acganDiscriminatorLoss, acganGeneratorLoss } from '#kata/models/acgan_loss'
import { loadRunData, type DataChoice } from './data.ts'
import { Progress } from './progress.ts'
import { writeMetricsFiles } from '../report/metrics.ts'
import { writeGanReport } from './gan_report.ts'
import { CHECKPOINT_FILE, readSettings, SETTINGS_FILE, TrainingDiverged } from './run_folder.ts'

export { CHECKPOINT_FILE, SETTINGS_FILE, TrainingDiverged }

export interface GanRunConfig extends DataChoice {
  model: GanKind
  /** Size of the noise vector z. */
  noise: number
  /** Base width of both players (see GanConfig.width). */
  width: number
  epochs: number
  batch: number
  /** Adam's learning rate, for both players. */
  lr: number
  /** One-sided label smoothing: the real images' target is 1 - smoothing. */
  smoothing: number
  /** Clip each player's gradient norm to this before its update; null: no clipping. */
  clip: number | null
  /** Generator steps per discriminator step. */
  gSteps: number
  /**
   * ACGAN: weight of the fakes' class loss in the discriminator's loss (1 in the paper; 0 trains
   * the class head on real images only, see exercise 9.1). Runs saved before it existed used 1.
   */
  fakeClassWeight?: number
  seed: number
}

/** DCGAN's Adam: beta1 = 0.5 rather than 0.9, as Radford et al. found 0.9 oscillated. */
export const GAN_ADAM_BETAS: [number, number] = [0.5, 0.999]

/** The defaults of `genkata train gan|dcgan|acgan`. */
export function defaultGanRunConfig(model: GanKind): GanRunConfig {
  return {
    model, dataset: 'fashion-mnist', sample: false, noise: 100, width: defaultGanWidth(model), epochs: 10, batch: 64,
    lr: 2e-4, smoothing: 0, clip: null, gSteps: 1, seed: 1,
    // Only the ACGAN has a class head; its default trains it on real images alone (exercise 9.1).
    ...(model === 'acgan' ? { fakeClassWeight: 0 } : {}),
  }
}

/** One epoch's figures (means of the steps' figures over the epoch's images) and its speed. */
export interface GanEpochMetrics extends GanStepStats {
  epoch: number
  images_per_second: number
}

export function checkGanRunConfig(config: GanRunConfig): void {
  const positiveInt = (name: string, v: number) => {
    if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`--${name} must be a positive integer, got ${v}`)
  }
  if (!GAN_KINDS.includes(config.model)) throw new Error(`unknown model '${config.model}': choose one of ${GAN_KINDS.join(', ')}`)
  positiveInt('noise', config.noise)
  positiveInt('width', config.width)
  positiveInt('epochs', config.epochs)
  positiveInt('batch', config.batch)
  positiveInt('g-steps', config.gSteps)
  if (!(config.lr > 0 && Number.isFinite(config.lr))) throw new RangeError(`--lr must be a positive number, got ${config.lr}`)
  if (!(config.smoothing >= 0 && config.smoothing < 1)) throw new RangeError(`--smoothing must be in [0, 1), got ${config.smoothing}`)
  if (config.clip !== null && !(config.clip > 0 && Number.isFinite(config.clip))) throw new RangeError(`--clip must be a positive number, got ${config.clip}`)
  if (!Number.isInteger(config.seed)) throw new RangeError(`--seed must be an integer, got ${config.seed}`)
  const w = config.fakeClassWeight
  if (w !== undefined && !(typeof w === 'number' && w >= 0 && Number.isFinite(w))) throw new RangeError(`--fake-class-weight must be a finite number >= 0, got ${w}`)
}

/** What the checkpoint carries besides the weights. */
interface GanCheckpointExtra {
  epoch: number
  rng: RngState
  optimizerG: unknown
  optimizerD: unknown
  history: GanEpochMetrics[]
  /** The fixed-noise samples after each epoch so far, [epochs, PROGRESS_COLUMNS, H, W] in [0, 1]. */
  progress: Tensor | null
  imageShape: [number, number, number]
  classes: number | null
}

export interface GanTrainingParts {
  pair: GanPair
  optimizerG: Adam
  optimizerD: Adam
}

/** Both players and their Adam optimizers, for a config (classes: the ACGAN's, from the data). */
export function createGanTraining(config: GanRunConfig, shape: { imageShape: [number, number, number]; classes: number | null }): GanTrainingParts {
  const pair = createGan(config.model, {
    noise: config.noise, width: config.width, imageShape: shape.imageShape,
    classes: config.model === 'acgan' ? shape.classes ?? undefined : undefined, rng: new Rng(config.seed),
  })
  const adam = (params: Tensor[]) => new Adam(params, { lr: config.lr, betas: [...GAN_ADAM_BETAS] })
  return { pair, optimizerG: adam(pair.generator.parameters()), optimizerD: adam(pair.discriminator.parameters()) }
}

/** The figures of one step, each a mean over its batch; the two accuracies only for the ACGAN. */
export interface GanStepStats {
  d_loss: number
  g_loss: number
  /** mean D(x) = sigmoid(logit) over the real images, at the discriminator's step */
  d_real: number
  /** mean D(G(z)) at the discriminator's step, before its update */
  d_fake_before: number
  /** mean D(G(z)) of the same fakes at the generator's step, after the discriminator's update */
  d_fake_after: number
  /** ACGAN: the class head's accuracy on the real images */
  real_class_accuracy?: number
  /** ACGAN: the class head's accuracy on the fakes, against the labels the generator was given */
  fake_class_accuracy?: number
}

const meanProbability = (logits: Tensor) => noGrad(() => logits.sigmoid().mean().item())

function accuracy(logits: Tensor, labels: ArrayLike<number>): number {
  const [n, c] = logits.shape as [number, number]
  const v = logits.toTypedArray()
  let right = 0
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let j = 1; j < c; j++) if (v[i * c + j]! > v[i * c + best]!) best = j
    if (best === labels[i]) right++
  }
  return right / n
}

function drawLabels(rng: Rng, n: number, classes: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(classes))
}

/**
 * One round of training on a batch of real images [N, C, H, W] in [-1, 1] (and their labels, for
 * the ACGAN): one discriminator step, then options.gSteps generator steps. Noise and the fakes'
 * labels are drawn from rng.
 */
export function ganTrainingStep(
  parts: GanTrainingParts,
  real: Tensor,
  realLabels: Int32Array | undefined,
  rng: Rng,
  options: Pick<GanRunConfig, 'smoothing' | 'clip' | 'gSteps' | 'fakeClassWeight'>,
): GanStepStats {
  const { generator, discriminator } = parts.pair
  const n = real.shape[0]!
  const acgan = discriminator instanceof AcganDiscriminator ? discriminator : null
  const classes = generator.classes
  const draw = () => {
    const z = randn([n, generator.noise], { rng })
    const labels = classes !== null ? drawLabels(rng, n, classes) : undefined
    return { fake: generator.generate(z, labels), labels }
  }
  const first = draw()
  const stats: Partial<GanStepStats> = {}

  let dLoss: (step: number) => Tensor
  let gLoss: (step: number) => Tensor
  if (acgan) {
    if (!realLabels) throw new Error('ganTrainingStep: the ACGAN trains on labelled images; got no labels')
    dLoss = () => {
      const realHeads = acgan.heads(real)
      const fakeHeads = acgan.heads(first.fake.detach())
      stats.d_real = meanProbability(realHeads.source)
      stats.d_fake_before = meanProbability(fakeHeads.source)
      stats.real_class_accuracy = accuracy(realHeads.classes, realLabels)
      return acganDiscriminatorLoss(realHeads, fakeHeads, realLabels, first.labels!, { smoothing: options.smoothing, fakeClassWeight: options.fakeClassWeight ?? 1 }).loss
    }
    gLoss = (step) => {
      const { fake, labels } = step === 0 ? first : draw()
      const heads = acgan.heads(fake)
      if (step === 0) {
        stats.d_fake_after = meanProbability(heads.source)
        stats.fake_class_accuracy = accuracy(heads.classes, labels!)
      }
      return acganGeneratorLoss(heads, labels!).loss
    }
  } else {
    const discriminate = (x: Tensor) => discriminator.forward(x)
    dLoss = () => {
      const pass = discriminatorPass(discriminate, real, first.fake, { smoothing: options.smoothing })
      stats.d_real = meanProbability(pass.realLogits)
      stats.d_fake_before = meanProbability(pass.fakeLogits)
      return pass.loss
    }
    gLoss = (step) => {
      const pass = generatorPass(discriminate, step === 0 ? first.fake : draw().fake)
      if (step === 0) stats.d_fake_after = meanProbability(pass.fakeLogits)
      return pass.loss
    }
  }
  const result = alternatingStep({ loss: dLoss, optimizer: parts.optimizerD }, { loss: gLoss, optimizer: parts.optimizerG }, { gSteps: options.gSteps, clip: options.clip })
  stats.d_loss = result.dLoss
  stats.g_loss = result.gLosses.reduce((a, b) => a + b, 0) / result.gLosses.length
  if (result.gLosses.some((v) => !Number.isFinite(v))) stats.g_loss = result.gLosses.find((v) => !Number.isFinite(v))!
  return stats as GanStepStats
}

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

/** Samples per epoch kept for progress.png: the first this many of the fixed noise batch. */
export const PROGRESS_COLUMNS = 10

/**
 * Train from scratch into `dir`, or, with resume, continue the run in `dir` from its checkpoint up
 * to config.epochs (bit-identical to a run that never stopped, on the same backend).
 */
export function trainGan(config: GanRunConfig, dir: string, options: { resume?: boolean; log?: (line: string) => void } = {}): GanRunResult {
  checkGanRunConfig(config)
  const log = options.log ?? ((line: string) => console.log(line))
  const { train } = loadRunData(config)
  const imageShape: [number, number, number] = [1, train.rows, train.cols]
  const classes = config.model === 'acgan' ? train.classes.length : null
  const parts = createGanTraining(config, { imageShape, classes })
  const { pair } = parts
  let rng = new Rng(config.seed + 1)
  let history: GanEpochMetrics[] = []
  let progressRows: Tensor | null = null

  mkdirSync(dir, { recursive: true })
  const checkpoint = join(dir, CHECKPOINT_FILE)
  if (options.resume) {
    if (!existsSync(checkpoint)) throw new Error(`cannot resume: ${checkpoint} does not exist`)
    const extra = loadGanCheckpoint(checkpoint, pair)
    parts.optimizerG.loadStateDict(extra.optimizerG as never)
    parts.optimizerD.loadStateDict(extra.optimizerD as never)
    rng = Rng.fromState(extra.rng)
    history = extra.history
    progressRows = extra.progress
    log(`resumed ${dir} after epoch ${extra.epoch}`)
  }
  writeFileAtomic(join(dir, SETTINGS_FILE), JSON.stringify({ ...config, adamBetas: GAN_ADAM_BETAS, backend: getBackend().name, data: train.source }, null, 2) + '\n')
  log(`${config.model}: ${train.count} training images from ${train.source}${train.sample ? ' (the embedded sample)' : ''}; backend ${getBackend().name}; output in ${dir}`)

  const steps = Math.ceil(train.count / config.batch)
  for (let epoch = history.length + 1; epoch <= config.epochs; epoch++) {
    pair.train()
    const order = rng.permutation(train.count)
    const progress = new Progress({ label: `epoch ${epoch}/${config.epochs}`, total: steps })
    const sums = new Map<string, number>()
    let seen = 0
    for (let step = 0; step < steps; step++) {
      const indices = order.subarray(step * config.batch, Math.min((step + 1) * config.batch, train.count))
      const labels = classes !== null ? labelBatch(train, indices) : undefined
      const stats = ganTrainingStep(parts, ganImages(train, indices), labels, rng, config)
      if (!Number.isFinite(stats.d_loss) || !Number.isFinite(stats.g_loss)) {
        progress.finish()
        const kept = history.length > 0 ? `the last good checkpoint, from epoch ${history.length}, is ${checkpoint}` : 'no checkpoint was written (it diverged in the first epoch)'
        throw new TrainingDiverged(
          `training stopped: the discriminator's loss is ${stats.d_loss} and the generator's ${stats.g_loss} at epoch ${epoch}, step ${step + 1} of ${steps}; ${kept}. Try a smaller --lr, or --clip.`,
          epoch,
          step + 1,
        )
      }
      for (const [k, v] of Object.entries(stats)) sums.set(k, (sums.get(k) ?? 0) + v * indices.length)
      seen += indices.length
      progress.tick(indices.length, { D: stats.d_loss, G: stats.g_loss, 'D(x)': stats.d_real, 'D(G(z))': stats.d_fake_before })
    }
    progress.finish()
    const mean = (k: string) => sums.get(k)! / seen
    const record: GanEpochMetrics = {
      epoch, d_loss: mean('d_loss'), g_loss: mean('g_loss'), d_real: mean('d_real'), d_fake_before: mean('d_fake_before'), d_fake_after: mean('d_fake_after'),
      ...(classes !== null ? { real_class_accuracy: mean('real_class_accuracy'), fake_class_accuracy: mean('fake_class_accuracy') } : {}),
      images_per_second: progress.imagesPerSecond(),
    }
    history.push(record)
    const accuracies = classes !== null ? `, class accuracy real ${record.real_class_accuracy!.toFixed(3)} fake ${record.fake_class_accuracy!.toFixed(3)}` : ''
    log(`epoch ${epoch}/${config.epochs}: D loss ${record.d_loss.toFixed(4)}, G loss ${record.g_loss.toFixed(4)}, D(x) ${record.d_real.toFixed(3)}, D(G(z)) ${record.d_fake_before.toFixed(3)} -> ${record.d_fake_after.toFixed(3)}${accuracies}, ${Math.round(record.images_per_second)} images/s`)
    const report = writeGanReport(dir, { pair, config: { ...config }, history, seed: config.seed, progress: progressRows, progressColumns: PROGRESS_COLUMNS })
    progressRows = report.progress
    const extra: GanCheckpointExtra = {
      epoch, rng: rng.getState(), optimizerG: parts.optimizerG.stateDict(), optimizerD: parts.optimizerD.stateDict(), history, progress: progressRows, imageShape, classes,
    }
    saveCheckpoint(checkpoint, pair, extra)
    writeMetricsFiles(dir, 'metrics', history as unknown as Record<string, number>[])
  }
  log(`done: pictures and metrics in ${dir} (open ${join(dir, 'index.html')})`)
  return { dir, pair, history, train }
}

/** Load a GAN checkpoint into `pair` and return its extra, checked. */
function loadGanCheckpoint(path: string, pair: GanPair | null): GanCheckpointExtra & { tensors: ReturnType<typeof readCheckpoint>['tensors'] } {
  const checkpoint = readCheckpoint(path)
  const extra = checkpoint.extra as GanCheckpointExtra | null
  if (!extra || typeof extra.epoch !== 'number' || !Array.isArray(extra.history) || !Array.isArray(extra.imageShape)) {
    throw new CheckpointError(`checkpoint ${path}: not a GAN run's checkpoint (its extra has no epoch, history and imageShape)`)
  }
  if (pair) {
    try {
      pair.loadStateDict(checkpoint.tensors)
    } catch (error) {
      throw new CheckpointError(`checkpoint ${path}: ${(error as Error).message}`)
    }
  }
  return { ...extra, tensors: checkpoint.tensors }
}

/** The settings a GAN run was made with, from its folder. */
export function readGanRunConfig(dir: string): GanRunConfig {
  return readSettings(dir, checkGanRunConfig)
}

/** Whether the run in `dir` is a GAN run (its settings name a GAN model), for commands that take any run. */
export function isGanRun(dir: string): boolean {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8')) as { model?: unknown }
    return GAN_KINDS.includes(parsed.model as GanKind)
  } catch {
    return false
  }
}

export interface OpenGanRun {
  config: GanRunConfig
  epoch: number
  history: GanEpochMetrics[]
  pair: GanPair
  generator: Generator
  discriminator: Discriminator
  /**
   * n images [n, C, H, W] with pixels in [0, 1], from noise drawn from rng; for the ACGAN the
   * labels asked for (by default 0, 1, ..., classes - 1, 0, 1, ...: every class as often).
   */
  generate(n: number, rng: Rng, labels?: ArrayLike<number>): { images: Tensor; labels: Int32Array | null }
}

/** A GAN run reopened from its folder, its generator in eval mode, for sampling and evaluation. */
export function openGanRun(dir: string): OpenGanRun {
  const config = readGanRunConfig(dir)
  const checkpoint = join(dir, CHECKPOINT_FILE)
  if (!existsSync(checkpoint)) throw new Error(`${dir} has no ${CHECKPOINT_FILE} yet: the run did not finish an epoch`)
  const saved = loadGanCheckpoint(checkpoint, null)
  const { pair } = createGanTraining(config, { imageShape: saved.imageShape, classes: saved.classes })
  try {
    pair.loadStateDict(saved.tensors)
  } catch (error) {
    throw new CheckpointError(`checkpoint ${checkpoint}: ${(error as Error).message}`)
  }
  pair.eval()
  const { generator } = pair
  const generate = (n: number, rng: Rng, labels?: ArrayLike<number>) => {
    if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`generate: n must be a positive integer, got ${n}`)
    const classes = generator.classes
    if (classes === null && labels !== undefined) throw new Error(`generate: ${config.model} is not conditional; it takes no labels`)
    let asked: Int32Array | null = null
    if (classes !== null) {
      if (labels !== undefined) {
        if (labels.length !== n) throw new Error(`generate: got ${labels.length} labels for ${n} images`)
        for (let i = 0; i < n; i++) {
          const v = labels[i]!
          if (!(Number.isInteger(v) && v >= 0 && v < classes)) throw new RangeError(`generate: label ${v} at position ${i} is not a class in [0, ${classes})`)
        }
      }
      asked = labels === undefined ? Int32Array.from({ length: n }, (_, i) => i % classes) : Int32Array.from(labels)
    }
    const images = noGrad(() => fromGanPixels(generator.generate(randn([n, generator.noise], { rng }), asked ?? undefined)))
    return { images, labels: asked }
  }
  return { config, epoch: saved.epoch, history: saved.history, pair, generator, discriminator: pair.discriminator, generate }
}
