// Running an experiment: check the classifier and the data first (an error before hours of
// training, not after), train or reuse or resume each arm into OUT/<arm>, evaluate every arm on the
// same test features, then write OUT/table.md, OUT/table.json and the figures.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { getBackend } from '../backend/index.ts'
import { readSettings } from '../train/run_folder.ts'
import { writePng } from '../report/png.ts'
import { evaluateArm, openArm, openClassifier, prepareJudge } from './evaluate.ts'
import { prepareArm } from './prepare.ts'
import { writeTable, type TableDocument } from './table.ts'
import type { Arm, ArmResult, Experiment, ExperimentOptions } from './types.ts'

export interface RunExperimentOptions extends ExperimentOptions {
  /** The evaluation classifier's run folder (genkata train classifier-cnn). */
  classifier?: string
  /** Generated images per arm for FID and the per-class accuracy (5000). */
  samples?: number
  /** The experiment's folder; runs/experiments/<name>-<dataset or sample>-s<seed> by default. */
  out?: string
  /** How the experiment was asked for, for the table (the command line). */
  command?: string
  /** Epochs of single arms by name (--epochs dcgan=2), over --epochs and the arms' defaults. */
  armEpochs?: Readonly<Record<string, number>>
  /** Changes each arm's settings before anything runs (tests shrink the models with it). */
  adjust?: (arm: Arm) => Arm
  log?: (line: string) => void
}

export interface ExperimentResult {
  dir: string
  results: ArmResult[]
  document: TableDocument
}

export function defaultExperimentDir(name: string, o: Pick<ExperimentOptions, 'dataset' | 'sample' | 'seed'>): string {
  return join('runs', 'experiments', `${name}-${o.sample ? 'sample' : o.dataset}-s${o.seed}`)
}

export function runExperiment(experiment: Experiment, options: RunExperimentOptions): ExperimentResult {
  const log = options.log ?? ((line: string) => console.log(line))
  if (!Number.isInteger(options.seed)) throw new RangeError(`--seed must be an integer, got ${options.seed}`)
  if (options.epochs !== undefined && !(Number.isInteger(options.epochs) && options.epochs > 0)) throw new RangeError(`--epochs must be a positive integer, got ${options.epochs}`)
  const classifier = openClassifier(options.classifier, options)
  const samples = options.samples ?? 5000
  const judge = prepareJudge(classifier, options, samples)
  const dir = options.out ?? defaultExperimentDir(experiment.name, options)
  const arms = withArmEpochs(experiment, experiment.arms(options), options.armEpochs).map((arm) => (options.adjust ? options.adjust(arm) : arm))
  mkdirSync(dir, { recursive: true })
  log(`experiment ${experiment.name}: ${arms.length} arm${arms.length === 1 ? '' : 's'} (${arms.map((a) => a.name).join(', ')}) into ${dir}; test set ${judge.test.source} (${judge.test.count} images); backend ${getBackend().name}`)

  const results: ArmResult[] = []
  for (const arm of arms) {
    const armDir = join(dir, arm.name)
    const prepared = prepareArm(arm, armDir, { experiment: experiment.name, log })
    const trained = openArm(arm, armDir)
    const evaluation = evaluateArm(trained, arm, judge)
    const trainedOn = String(readSettings<Record<string, unknown>>(armDir, () => {}).backend ?? 'unknown')
    log(`arm ${arm.name}: FID ${evaluation.fid.toFixed(2)}${evaluation.loss !== undefined ? `, test loss ${evaluation.loss.toFixed(2)}` : ''}${evaluation.classAccuracy ? `, per-class accuracy ${(100 * evaluation.classAccuracy.mean).toFixed(1)}%` : ''}`)
    results.push({ arm, dir: armDir, action: prepared.action, epoch: prepared.epoch, trainedOn, trained, evaluation })
  }

  const context = { test: judge.test, classNames: classifier.classNames, seed: options.seed, floor: judge.floor.fid, realClassAccuracy: judge.realClassAccuracy }
  const table = experiment.table(results, context)
  const figures = experiment.figures(results, context)
  for (const figure of figures) writePng(join(dir, figure.file), figure.image)
  const epochs = Object.fromEntries(results.map((r) => [r.arm.name, r.epoch]))
  const document: TableDocument = {
    experiment: experiment.name,
    title: experiment.title,
    about: experiment.about,
    command: options.command ?? `genkata experiment ${experiment.name}`,
    settings: {
      dataset: options.dataset, sample: options.sample, dataDir: options.dataDir, limit: options.limit, seed: options.seed, epochs,
      backend: getBackend().name, classifier: classifier.dir, samples, out: dir,
    },
    fid: {
      name: judge.floor.name, floor: judge.floor.fid, halves: judge.floor.halves, samples, testImages: judge.test.count,
      classifier: { run: classifier.dir, dataset: classifier.dataset, testAccuracy: classifier.testAccuracy },
    },
    table,
    figures: figures.map((f) => ({ file: f.file, caption: f.caption })),
  }
  writeTable(dir, document)
  log(`written: ${join(dir, 'table.md')}, ${join(dir, 'table.json')}${figures.map((f) => `, ${join(dir, f.file)}`).join('')}`)
  return { dir, results, document }
}

/** The arms with the epochs asked for by name; a name that is not an arm is an error listing them. */
function withArmEpochs(experiment: Experiment, arms: Arm[], epochs: Readonly<Record<string, number>> | undefined): Arm[] {
  if (!epochs) return arms
  const names = arms.map((a) => a.name)
  for (const [name, n] of Object.entries(epochs)) {
    if (!names.includes(name)) throw new Error(`--epochs ${name}=${n}: experiment ${experiment.name} has no arm '${name}'; its arms are ${names.join(', ')}`)
    if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`--epochs ${name}=${n}: epochs must be a positive integer`)
  }
  return arms.map((arm) => (epochs[arm.name] === undefined ? arm : ({ ...arm, config: { ...arm.config, epochs: epochs[arm.name]! } } as Arm)))
}
