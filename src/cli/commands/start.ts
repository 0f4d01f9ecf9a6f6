// genkata start (npm start): the first thing a newcomer runs. Trains the ConvVAE on Fashion-MNIST,
// the full set where it is installed, the embedded sample otherwise, and says where the pictures are.
import { join } from 'node:path'
import { parseFlags } from '../args.ts'
import { setBackend } from '../../backend/index.ts'
import { surveyDataset } from '../../data/index.ts'
import { trainVae, type VaeRunConfig } from '../../train/vae_trainer.ts'

// About two minutes on two cores either way: every image of the sample five times, or a tenth of
// the full training set twice (genkata train conv-vae trains on all of it).
export const START = { sample: { epochs: 5, limit: undefined }, full: { epochs: 2, limit: 6000 } }

export const startUsage = `genkata start [--epochs N] [--limit N] [--sample] [--backend NAME] [--out DIR (runs/start, replaced)]
  trains the ConvVAE (latent 32) for a couple of minutes on Fashion-MNIST: ${START.full.limit} images of the
  full set, ${START.full.epochs} epochs, where it is installed; else the embedded sample, ${START.sample.epochs} epochs`

export function start(argv: string[]): void {
  const flags = parseFlags(argv, { epochs: 'number', limit: 'number', sample: 'boolean', backend: 'string', out: 'string' })
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
  if (!sample && flags.limit === undefined) console.log(`npm start uses the first ${config.limit} of the full training set to keep to a couple of minutes; genkata train conv-vae trains on all of it.`)
  const dir = (flags.out as string | undefined) ?? join('runs', 'start')
  trainVae(config, dir)
}
