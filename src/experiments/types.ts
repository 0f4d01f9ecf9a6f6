// What an experiment is: a list of named arms (each one VAE or GAN run, its settings derived from
// the options the user gave) and how their evaluations become one table and its figures. The
// runner (runner.ts) trains, reuses or resumes each arm, evaluates it (evaluate.ts) and writes the
// table (table.ts); the definitions (latent.ts, beta.ts, ...) only say what to train and show.
import type { DatasetName } from '../data/catalog.ts'
import type { ImageDataset } from '../data/datasets.ts'
import type { Image } from '../report/canvas.ts'
import type { VaeModel } from '../models/vae.ts'
import type { VaeRunConfig } from '../train/vae_config.ts'
import type { GanRunConfig } from '../train/gan_config.ts'
import type { OpenGanRun } from '../train/reopen.ts'
import type { ClassAccuracy } from '../eval/class_accuracy.ts'
import type { LabelUse } from '../eval/label_use.ts'

/** The options every experiment takes (the command line's, after parsing). */
export interface ExperimentOptions {
  dataset: DatasetName
  sample: boolean
  dataDir?: string
  limit?: number
  /** Every arm's epochs; each arm's own default when unset. */
  epochs?: number
  seed: number
}

export type Arm =
  | { name: string; label: string; family: 'vae'; config: VaeRunConfig }
  | { name: string; label: string; family: 'gan'; config: GanRunConfig }

/** A trained arm, reopened for evaluation and figures. */
export type TrainedModel = { family: 'vae'; model: VaeModel } | { family: 'gan'; run: OpenGanRun }

/** The figures of one arm, on the experiment's test set. */
export interface ArmEvaluation {
  fid: number
  /** VAE family: the negative ELBO per test image and its terms, and the MSE per pixel. */
  loss?: number
  reconstruction?: number
  kl?: number
  mse?: number
  /** Conditional models (cvae, acgan): the classifier's verdict on samples of each class. */
  classAccuracy?: ClassAccuracy
  /** Conditional VAEs: whether the decoder takes the class from the label or from z (eval/label_use.ts). */
  labelUse?: LabelUse
}

export interface ArmResult {
  arm: Arm
  dir: string
  /** What the runner did with the arm's folder. */
  action: 'trained' | 'resumed' | 'reused'
  /** The epochs the evaluated checkpoint was trained for. */
  epoch: number
  /** The backend the arm's last training ran on (from its settings.json). */
  trainedOn: string
  trained: TrainedModel
  evaluation: ArmEvaluation
}

export interface Column {
  key: string
  title: string
  /** Digits after the point in the markdown table (numbers); strings are shown as they are. */
  digits?: number
  /** Show as a percentage (x 100). */
  percent?: boolean
}

export type Cell = string | number | boolean | null

export interface Table {
  columns: Column[]
  rows: Record<string, Cell>[]
}

export interface Figure {
  file: string
  caption: string
  image: Image
}

/** What the definitions get besides the arms' results, for tables and figures. */
export interface ExperimentContext {
  test: ImageDataset
  classNames: readonly string[]
  seed: number
  /** FID of the test set against itself (one half against the other): the floor. */
  floor: number
  /** The classifier's own per-class accuracy on the real test images: the ceiling for samples. */
  realClassAccuracy: ClassAccuracy
}

export interface Experiment {
  name: string
  title: string
  /** One paragraph for the top of table.md: what is compared, and the per-arm default epochs. */
  about: string
  arms(options: ExperimentOptions): Arm[]
  /** One row per arm, or a table of its own (the CVAE's row per class). */
  table(results: ArmResult[], context: ExperimentContext): Table
  figures(results: ArmResult[], context: ExperimentContext): Figure[]
}
