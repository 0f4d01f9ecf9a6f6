// genkata train gan|dcgan|acgan [options]: train a GAN into a run folder, or resume one.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { defineCommand, helpText, parseCommand } from '../args.ts'
import { setBackend } from '../../backend/index.ts'
import { GAN_KINDS, type GanKind } from '../../models/gan_kinds.ts'
import { CHECKPOINT_FILE, defaultGanRunConfig, readGanRunConfig, trainGan as trainGanRun, type GanRunConfig, type GanRunResult } from '../../train/gan_trainer.ts'
import { datasetName } from './shared.ts'

export const trainGanSpec = defineCommand({
  usage: 'genkata train <gan-model>',
  description: `train a GAN into a run folder, or resume one; gan-model: ${GAN_KINDS.join(', ')}`,
  positionals: ['gan-model'],
  options: {
    dataset: { type: 'string', value: 'fashion|mnist', default: 'fashion', description: 'the data set' },
    sample: { type: 'boolean', description: 'train on the embedded 3000-image Fashion-MNIST sample' },
    'data-dir': { type: 'string', value: 'DIR', description: 'where the data set lies (default: the usual places)' },
    limit: { type: 'number', value: 'N', description: 'only the first N training images' },
    epochs: { type: 'number', value: 'N', default: '10', description: 'train up to this many epochs' },
    batch: { type: 'number', value: 'N', default: '64', description: 'images per step' },
    lr: { type: 'number', value: 'X', default: '0.0002', description: 'the learning rate (Adam with betas 0.5, 0.999)' },
    seed: { type: 'number', value: 'N', default: '1', description: 'the seed of every random draw' },
    'log-every': { type: 'number', value: 'N', default: 'about 300 rows a run', description: 'log the step\'s losses to metrics-steps.csv/.json every N steps' },
    'snapshot-every': { type: 'number', value: 'N', description: 'write a sample grid to snapshots/ every N steps (off by default)' },
    noise: { type: 'number', value: 'N', default: '100', description: 'the size of z' },
    width: { type: 'number', value: 'N', default: '256 for gan, 64 for dcgan and acgan', description: 'the players\' width' },
    smoothing: { type: 'number', value: 'X', default: '0', description: 'one-sided label smoothing: real images aim at 1 - X' },
    clip: { type: 'number', value: 'X', description: 'clip each player\'s gradient norm to X (default: no clipping)' },
    'g-steps': { type: 'number', value: 'K', default: '1', description: 'generator steps per discriminator step' },
    'fake-class-weight': { type: 'number', value: 'X', default: '0', description: 'acgan: weight of the fakes\' class loss in D\'s loss; 1 is the paper\'s' },
    backend: { type: 'string', value: 'NAME', description: 'the backend to run on (see genkata doctor)' },
    mine: { type: 'boolean', description: 'the capstone: run on your own exercises/ (every #kata import) on the reference backend built from your kernels' },
    out: { type: 'string', value: 'DIR', default: 'runs/<model>-<dataset>-s<seed>', description: 'the run folder' },
    resume: { type: 'string', value: 'DIR', description: 'continue the run in DIR up to --epochs (its other settings are kept)' },
  },
})

export const trainGanUsage = helpText(trainGanSpec)

/** argv after "train": the model first (optional with --resume), then the options. */
export function trainGan(argv: string[], options: { log?: (line: string) => void } = {}): GanRunResult {
  const { flags, positionals } = parseCommand(argv, trainGanSpec)
  const kind = positionals[0]
  if (flags.backend !== undefined) setBackend(flags.backend as string)

  if (flags.resume !== undefined) {
    const dir = flags.resume as string
    const saved = readGanRunConfig(dir)
    if (kind !== undefined && kind !== saved.model) throw new Error(`--resume ${dir}: that run trains ${saved.model}, not ${kind}`)
    const allowed = new Set(['resume', 'epochs', 'backend'])
    const other = Object.keys(flags).filter((k) => !allowed.has(k))
    if (other.length > 0) throw new Error(`--resume keeps the run's settings; only --epochs and --backend may change, got ${other.map((k) => `--${k}`).join(', ')}`)
    return trainGanRun({ ...saved, epochs: (flags.epochs as number | undefined) ?? saved.epochs }, dir, { resume: true, log: options.log })
  }

  if (kind === undefined) throw new Error(`train: which model? one of ${GAN_KINDS.join(', ')}\n\n${trainGanUsage}`)
  if (!GAN_KINDS.includes(kind as GanKind)) throw new Error(`train: unknown model '${kind}': choose one of ${GAN_KINDS.join(', ')}`)
  const model = kind as GanKind
  if (flags['fake-class-weight'] !== undefined && model !== 'acgan') throw new Error(`--fake-class-weight weighs the ACGAN's class loss; ${model} has no class head`)
  const defaults = defaultGanRunConfig(model)
  const config: GanRunConfig = {
    ...defaults,
    dataset: datasetName((flags.dataset as string | undefined) ?? 'fashion'),
    sample: (flags.sample as boolean | undefined) ?? false,
    dataDir: flags['data-dir'] as string | undefined,
    limit: flags.limit as number | undefined,
    epochs: (flags.epochs as number | undefined) ?? defaults.epochs,
    batch: (flags.batch as number | undefined) ?? defaults.batch,
    lr: (flags.lr as number | undefined) ?? defaults.lr,
    seed: (flags.seed as number | undefined) ?? defaults.seed,
    noise: (flags.noise as number | undefined) ?? defaults.noise,
    width: (flags.width as number | undefined) ?? defaults.width,
    smoothing: (flags.smoothing as number | undefined) ?? defaults.smoothing,
    clip: (flags.clip as number | undefined) ?? defaults.clip,
    gSteps: (flags['g-steps'] as number | undefined) ?? defaults.gSteps,
    fakeClassWeight: (flags['fake-class-weight'] as number | undefined) ?? defaults.fakeClassWeight,
    logEvery: flags['log-every'] as number | undefined,
    snapshotEvery: flags['snapshot-every'] as number | undefined,
  }
  const dir = (flags.out as string | undefined) ?? join('runs', `${model}-${config.sample ? 'sample' : config.dataset}-s${config.seed}`)
  if (existsSync(join(dir, CHECKPOINT_FILE))) {
    throw new Error(`${dir} already holds a trained run: continue it with --resume ${dir}, or choose another --out`)
  }
  return trainGanRun(config, dir, { log: options.log })
}
