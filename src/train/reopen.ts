// Reopening a run folder for sampling and evaluation: its settings and its trained model, in eval
// mode. src/eval, src/experiments and the commands import runs from here, never from the trainers.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { noGrad } from '../autograd/grad_mode.ts'
import { randn } from '../tensor/creation.ts'
import type { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { CheckpointError, loadCheckpoint } from '../nn/checkpoint.ts'
import { GAN_KINDS, type GanKind } from '../models/gan_kinds.ts'
import { fromGanPixels, type Discriminator, type GanPair, type Generator } from '../models/gan.ts'
import type { VaeModel } from '../models/vae.ts'
import { loadRunData } from './data.ts'
import type { EpochMetrics } from './metrics.ts'
import { CHECKPOINT_FILE, readSettings, SETTINGS_FILE } from './run_folder.ts'
import { checkRunConfig, createVaeModel, type VaeRunConfig } from './vae_config.ts'
import { checkGanRunConfig, type GanEpochMetrics, type GanRunConfig } from './gan_config.ts'
import { createGanTraining } from './gan_players.ts'
import { readGanCheckpoint } from './gan_checkpoint.ts'
import {
  buildClassifier, checkClassifierConfig, CLASSIFIER_KIND, type ClassifierEpoch, type ClassifierRun, type ClassifierSettings,
} from './classifier_cnn_model.ts'

function requireCheckpoint(dir: string, what: string): string {
  const checkpoint = join(dir, CHECKPOINT_FILE)
  if (!existsSync(checkpoint)) throw new Error(`${dir} has no ${CHECKPOINT_FILE} yet: ${what} did not finish an epoch`)
  return checkpoint
}

// ---- VAE runs --------------------------------------------------------------------------------

/** The settings a VAE run was made with, from its folder (for resume, sample and eval). */
export function readRunConfig(dir: string): VaeRunConfig {
  return readSettings(dir, checkRunConfig)
}

/** A finished (or interrupted) VAE run, reopened from its folder: its settings and trained model. */
export function openRun(dir: string): { config: VaeRunConfig; model: VaeModel; epoch: number; history: EpochMetrics[] } {
  const config = readRunConfig(dir)
  const checkpoint = requireCheckpoint(dir, 'the run')
  const { train } = loadRunData({ ...config, limit: undefined })
  const model = createVaeModel(config, train)
  const extra = loadCheckpoint(checkpoint, model) as { epoch: number; history: EpochMetrics[] }
  model.eval()
  return { config, model, epoch: extra.epoch, history: extra.history }
}

// ---- GAN runs --------------------------------------------------------------------------------

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
  const checkpoint = requireCheckpoint(dir, 'the run')
  const saved = readGanCheckpoint(checkpoint)
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

// ---- the evaluation classifier -----------------------------------------------------------------

/** A trained classifier, reopened from its run folder (in eval mode). */
export function loadClassifierRun(dir: string): ClassifierRun {
  const file = join(dir, SETTINGS_FILE)
  if (!existsSync(file)) throw new Error(`${dir} is not a classifier run folder: ${SETTINGS_FILE} is missing (train one with genkata train classifier-cnn)`)
  let settings: ClassifierSettings
  try {
    settings = JSON.parse(readFileSync(file, 'utf8')) as ClassifierSettings
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`)
  }
  if (settings.kind !== CLASSIFIER_KIND) throw new Error(`${dir} is not a classifier run folder: its ${SETTINGS_FILE} says kind ${JSON.stringify(settings.kind)}, expected "${CLASSIFIER_KIND}"`)
  checkClassifierConfig(settings)
  const checkpoint = requireCheckpoint(dir, 'the classifier')
  const model = buildClassifier(settings, settings.imageShape, settings.classNames.length)
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
