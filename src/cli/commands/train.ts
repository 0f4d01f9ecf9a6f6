// genkata train vae|conv-vae|cvae|conv-cvae [options]: train into a run folder, or resume one.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseFlags } from '../args.ts'
import { setBackend } from '../../backend/index.ts'
import { VAE_KINDS, type VaeKind } from '../../models/index.ts'
import { CHECKPOINT_FILE, readRunConfig, trainVae, type VaeRunConfig } from '../../train/vae_trainer.ts'
import type { OptimizerName } from '../../train/optimizers.ts'
import { datasetName } from './shared.ts'

export const trainUsage = `genkata train <model> [options]        model: ${VAE_KINDS.join(', ')}
  --dataset fashion|mnist (fashion)   --sample (the embedded 3000-image Fashion-MNIST sample)
  --data-dir DIR   --limit N (only the first N training images)
  --latent N (20; 32 for conv models)   --hidden N (400)   --beta X (1)
  --epochs N (10)  --batch N (128)  --optimizer adam|sgd|rmsprop (adam)  --lr X (0.001)  --seed N (1)
  --backend NAME   --out DIR (runs/<model>-<dataset>-z<latent>-s<seed>)
  --resume DIR     continue the run in DIR up to --epochs (its other settings are kept)`

const flagSpec = {
  dataset: 'string', sample: 'boolean', 'data-dir': 'string', limit: 'number', latent: 'number', hidden: 'number', beta: 'number',
  epochs: 'number', batch: 'number', optimizer: 'string', lr: 'number', seed: 'number', backend: 'string', out: 'string', resume: 'string',
} as const

export function train(argv: string[]): void {
  const positional = argv[0] !== undefined && !argv[0].startsWith('--')
  const kind = positional ? argv[0] : undefined
  const rest = positional ? argv.slice(1) : argv
  const flags = parseFlags(rest, flagSpec)
  if (flags.backend !== undefined) setBackend(flags.backend as string)

  if (flags.resume !== undefined) {
    const dir = flags.resume as string
    const saved = readRunConfig(dir)
    if (kind !== undefined && kind !== saved.model) throw new Error(`--resume ${dir}: that run trains ${saved.model}, not ${kind}`)
    const allowed = new Set(['resume', 'epochs', 'backend'])
    const other = Object.keys(flags).filter((k) => !allowed.has(k))
    if (other.length > 0) throw new Error(`--resume keeps the run's settings; only --epochs and --backend may change, got ${other.map((k) => `--${k}`).join(', ')}`)
    trainVae({ ...saved, epochs: (flags.epochs as number | undefined) ?? saved.epochs }, dir, { resume: true })
    return
  }

  if (kind === undefined) throw new Error(`train: which model? one of ${VAE_KINDS.join(', ')}\n\n${trainUsage}`)
  if (!VAE_KINDS.includes(kind as VaeKind)) throw new Error(`train: unknown model '${kind}': choose one of ${VAE_KINDS.join(', ')}`)
  const model = kind as VaeKind
  const dataset = datasetName((flags.dataset as string | undefined) ?? 'fashion')
  const config: VaeRunConfig = {
    model,
    dataset,
    sample: (flags.sample as boolean | undefined) ?? false,
    dataDir: flags['data-dir'] as string | undefined,
    limit: flags.limit as number | undefined,
    latent: (flags.latent as number | undefined) ?? (model.startsWith('conv') ? 32 : 20),
    hidden: (flags.hidden as number | undefined) ?? 400,
    beta: (flags.beta as number | undefined) ?? 1,
    epochs: (flags.epochs as number | undefined) ?? 10,
    batch: (flags.batch as number | undefined) ?? 128,
    optimizer: ((flags.optimizer as string | undefined) ?? 'adam') as OptimizerName,
    lr: (flags.lr as number | undefined) ?? 1e-3,
    seed: (flags.seed as number | undefined) ?? 1,
  }
  const dir = (flags.out as string | undefined) ?? join('runs', `${model}-${config.sample ? 'sample' : dataset}-z${config.latent}-s${config.seed}`)
  if (existsSync(join(dir, CHECKPOINT_FILE))) {
    throw new Error(`${dir} already holds a trained run: continue it with --resume ${dir}, or choose another --out`)
  }
  trainVae(config, dir)
}
