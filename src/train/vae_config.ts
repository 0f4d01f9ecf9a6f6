// A VAE run's settings, their checks, and the model they build: what training (vae_trainer.ts) and
// reopening a run (reopen.ts) share.
import { Rng } from '../tensor/random.ts'
import { createVae, VAE_KINDS, type VaeKind } from '../models/index.ts'
import type { VaeModel } from '../models/vae.ts'
import type { DataChoice } from './data.ts'
import { checkWatchSettings } from './run_watch.ts'
import { OPTIMIZER_NAMES, type OptimizerName } from './optimizers.ts'

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
  /** Log every this many steps to metrics-steps.csv/.json (--log-every); unset: about 300 rows over the run. */
  logEvery?: number
  /** A sample grid into snapshots/ every this many steps and at step 0 (--snapshot-every); unset or 0: none. */
  snapshotEvery?: number
}

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
  checkWatchSettings(config)
}

/** The model a config makes, for images of `rows` x `cols` in `classes` classes (used by the conditional models). */
export function createVaeModel(config: VaeRunConfig, data: { rows: number; cols: number; classes: readonly string[] }): VaeModel {
  const classes = config.model.includes('cvae') ? data.classes.length : undefined
  return createVae(config.model, { latent: config.latent, hidden: config.hidden, classes, imageShape: [1, data.rows, data.cols], rng: new Rng(config.seed) })
}
