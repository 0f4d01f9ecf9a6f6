// genkata train gan|dcgan|acgan [options]: train a GAN into a run folder, or resume one.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseFlags } from '../args.ts'
import { setBackend } from '../../backend/index.ts'
import { GAN_KINDS, type GanKind } from '../../models/gan_kinds.ts'
import { CHECKPOINT_FILE, defaultGanRunConfig, readGanRunConfig, trainGan as trainGanRun, type GanRunConfig, type GanRunResult } from '../../train/gan_trainer.ts'
import { datasetName } from './shared.ts'

export const trainGanUsage = `genkata train <gan-model> [options]    gan-model: ${GAN_KINDS.join(', ')}
  --dataset fashion|mnist (fashion)   --sample (the embedded 3000-image Fashion-MNIST sample)
  --data-dir DIR   --limit N (only the first N training images)
  --epochs N (10)  --batch N (64)  --lr X (0.0002, Adam with betas 0.5, 0.999)  --seed N (1)
  --noise N (100, the size of z)   --width N (256 for gan, 64 for dcgan and acgan)
  --smoothing X (0: one-sided label smoothing, real images aim at 1 - X)
  --clip X (none: clip each player's gradient norm to X)   --g-steps K (1 generator step per discriminator step)
  --fake-class-weight X (acgan, 0: weight of the fakes' class loss in D's loss; 1 is the paper's)
  --backend NAME   --out DIR (runs/<model>-<dataset>-s<seed>)
  --resume DIR     continue the run in DIR up to --epochs (its other settings are kept)`

const flagSpec = {
  dataset: 'string', sample: 'boolean', 'data-dir': 'string', limit: 'number', epochs: 'number', batch: 'number', lr: 'number', seed: 'number',
  noise: 'number', width: 'number', smoothing: 'number', clip: 'number', 'g-steps': 'number', 'fake-class-weight': 'number', backend: 'string', out: 'string', resume: 'string',
} as const

/** argv after "train": the model first (optional with --resume), then the options. */
export function trainGan(argv: string[], options: { log?: (line: string) => void } = {}): GanRunResult {
  const positional = argv[0] !== undefined && !argv[0].startsWith('--')
  const kind = positional ? argv[0] : undefined
  const flags = parseFlags(positional ? argv.slice(1) : argv, flagSpec)
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
  }
  const dir = (flags.out as string | undefined) ?? join('runs', `${model}-${config.sample ? 'sample' : config.dataset}-s${config.seed}`)
  if (existsSync(join(dir, CHECKPOINT_FILE))) {
    throw new Error(`${dir} already holds a trained run: continue it with --resume ${dir}, or choose another --out`)
  }
  return trainGanRun(config, dir, { log: options.log })
}
