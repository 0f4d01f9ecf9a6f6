// genkata start (npm start): the first thing a newcomer runs. Trains the ConvVAE on Fashion-MNIST,
// the full set where it is installed, the embedded sample otherwise, and says where the pictures are.
import { join } from 'node:path'
import { defineCommand, helpText, parseCommand } from '../args.ts'
import { setBackend } from '../../backend/index.ts'
import { surveyDataset } from '../../data/index.ts'
import { trainVae, type VaeRunConfig } from '../../train/vae_trainer.ts'

// About a minute or two on two idle cores (the ConvVAE trains at about 950 images/s there): the
// sample's 3000 images twenty times, or one epoch of the full 60000.
export const START = { sample: { epochs: 20, limit: undefined }, full: { epochs: 1, limit: undefined } }

export const startSpec = defineCommand({
  usage: 'genkata start',
  description: `train the ConvVAE (latent 32) for a minute or two: one epoch of the full Fashion-MNIST where it is installed, else ${START.sample.epochs} epochs of the embedded sample`,
  options: {
    epochs: { type: 'number', value: 'N', description: `epochs to train (default ${START.full.epochs} on the full set, ${START.sample.epochs} on the sample)` },
    limit: { type: 'number', value: 'N', description: 'only the first N training images' },
    sample: { type: 'boolean', description: 'the embedded sample even where the full set is installed' },
    backend: { type: 'string', value: 'NAME', description: 'the backend to run on (see genkata doctor)' },
    mine: { type: 'boolean', description: 'the capstone: run on your own exercises/ (every #kata import) on the reference backend built from your kernels' },
    out: { type: 'string', value: 'DIR', default: 'runs/start', description: 'the run folder (replaced)' },
  },
})

export const startUsage = helpText(startSpec)

export function start(argv: string[]): void {
  const { flags } = parseCommand(argv, startSpec)
  if (flags.backend !== undefined) setBackend(flags.backend as string)
  const installed = surveyDataset({ name: 'fashion-mnist', split: 'train' }).found !== null && surveyDataset({ name: 'fashion-mnist', split: 'test' }).found !== null
  const sample = (flags.sample as boolean | undefined) || !installed
  if (!installed) console.log('Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist), so this trains on the embedded sample.')
  const config: VaeRunConfig = {
    model: 'conv-vae', dataset: 'fashion-mnist', sample,
    latent: 32, hidden: 400, beta: 1, batch: 128, optimizer: 'adam', lr: 1e-3, seed: 1,
    epochs: (flags.epochs as number | undefined) ?? START[sample ? 'sample' : 'full'].epochs,
    limit: (flags.limit as number | undefined) ?? START[sample ? 'sample' : 'full'].limit,
  }
  const dir = (flags.out as string | undefined) ?? join('runs', 'start')
  trainVae(config, dir, { replace: true })
}
