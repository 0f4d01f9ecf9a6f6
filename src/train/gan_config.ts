// A GAN run's settings (gan, dcgan, acgan), their defaults and checks, and the figures its steps
// and epochs report: what the trainer, the players and reopening a run share.
import { defaultGanWidth, GAN_KINDS, type GanKind } from '../models/gan_kinds.ts'
import type { DataChoice } from './data.ts'
import { checkWatchSettings } from './run_watch.ts'

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
  /** Log every this many steps to metrics-steps.csv/.json (--log-every); unset: about 300 rows over the run. */
  logEvery?: number
  /** A sample grid into snapshots/ every this many steps and at step 0 (--snapshot-every); unset or 0: none. */
  snapshotEvery?: number
}

/** The defaults of `genkata train gan|dcgan|acgan`. */
export function defaultGanRunConfig(model: GanKind): GanRunConfig {
  return {
    model, dataset: 'fashion-mnist', sample: false, noise: 100, width: defaultGanWidth(model), epochs: 10, batch: 64,
    lr: 2e-4, smoothing: 0, clip: null, gSteps: 1, seed: 1,
    // Only the ACGAN has a class head; its default trains it on real images alone (exercise 9.1).
    ...(model === 'acgan' ? { fakeClassWeight: 0 } : {}),
  }
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
  checkWatchSettings(config)
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

/** One epoch's figures (means of the steps' figures over the epoch's images) and its speed. */
export interface GanEpochMetrics extends GanStepStats {
  epoch: number
  images_per_second: number
}

/** Samples per epoch kept for progress.png: the first this many of the fixed noise batch. */
export const PROGRESS_COLUMNS = 10
