// genkata train vae|conv-vae|cvae|conv-cvae [options]: train into a run folder, or resume one.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { defineCommand, helpText, parseCommand } from '../args.ts'
import { setBackend } from '../../backend/index.ts'
import { VAE_KINDS, type VaeKind } from '../../models/index.ts'
import { CHECKPOINT_FILE, readRunConfig, trainVae, type VaeRunConfig } from '../../train/vae_trainer.ts'
import type { OptimizerName } from '../../train/optimizers.ts'
import { datasetName } from './shared.ts'

export const trainSpec = defineCommand({
  usage: 'genkata train <model>',
  description: `train a VAE into a run folder, or resume one; model: ${VAE_KINDS.join(', ')}`,
  positionals: ['model'],
  options: {
    dataset: { type: 'string', value: 'fashion|mnist', default: 'fashion', description: 'the data set' },
    sample: { type: 'boolean', description: 'train on the embedded 3000-image Fashion-MNIST sample' },
    'data-dir': { type: 'string', value: 'DIR', description: 'where the data set lies (default: the usual places)' },
    limit: { type: 'number', value: 'N', description: 'only the first N training images' },
    latent: { type: 'number', value: 'N', default: '20; 32 for conv models', description: 'the size of z' },
    hidden: { type: 'number', value: 'N', default: '400', description: 'hidden units of the fully connected models' },
    beta: { type: 'number', value: 'X', default: '1', description: 'the weight of the KL term' },
    epochs: { type: 'number', value: 'N', default: '10', description: 'train up to this many epochs' },
    batch: { type: 'number', value: 'N', default: '128', description: 'images per step' },
    optimizer: { type: 'string', value: 'adam|sgd|rmsprop', default: 'adam', description: 'the optimizer' },
    lr: { type: 'number', value: 'X', default: '0.001', description: 'the learning rate' },
    seed: { type: 'number', value: 'N', default: '1', description: 'the seed of every random draw' },
    'log-every': { type: 'number', value: 'N', default: 'about 300 rows a run', description: 'log the step\'s losses to metrics-steps.csv/.json every N steps' },
    'snapshot-every': { type: 'number', value: 'N', description: 'write a sample grid to snapshots/ every N steps (off by default)' },
    backend: { type: 'string', value: 'NAME', description: 'the backend to run on (see genkata doctor)' },
    mine: { type: 'boolean', description: 'the capstone: run on your own exercises/ (every #kata import) on the reference backend built from your kernels' },
    out: { type: 'string', value: 'DIR', default: 'runs/<model>-<dataset>-z<latent>-s<seed>', description: 'the run folder' },
    resume: { type: 'string', value: 'DIR', description: 'continue the run in DIR up to --epochs (its other settings are kept)' },
  },
  notes: [
    'other models: genkata train gan|dcgan|acgan --help, genkata train classifier-cnn --help, genkata train classifier --help',
  ],
})

export const trainUsage = helpText(trainSpec)

export function train(argv: string[]): void {
  const { flags, positionals } = parseCommand(argv, trainSpec)
  const kind = positionals[0]
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
    logEvery: flags['log-every'] as number | undefined,
    snapshotEvery: flags['snapshot-every'] as number | undefined,
  }
  const dir = (flags.out as string | undefined) ?? join('runs', `${model}-${config.sample ? 'sample' : dataset}-z${config.latent}-s${config.seed}`)
  if (existsSync(join(dir, CHECKPOINT_FILE))) {
    throw new Error(`${dir} already holds a trained run: continue it with --resume ${dir}, or choose another --out`)
  }
  trainVae(config, dir)
}
