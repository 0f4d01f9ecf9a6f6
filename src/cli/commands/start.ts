// genkata start (npm start): the first thing a newcomer runs. Trains the ConvVAE on Fashion-MNIST,
// the full set where it is installed, the embedded sample otherwise, and says where the pictures are.
import { join } from 'node:path'
import { parseFlags } from '../args.ts'
import { setBackend } from '../../backend/index.ts'
import { surveyDataset } from '../../data/index.ts'
import { trainVae, type VaeRunConfig } from '../../train/vae_trainer.ts'

export const START_EPOCHS = { sample: 5, full: 1 }

export const startUsage = `genkata start [--epochs N] [--sample] [--backend NAME] [--out DIR (runs/start)]
  trains the ConvVAE (latent 32) on Fashion-MNIST: the full set where it is installed
  (${START_EPOCHS.full} epoch), else the embedded sample (${START_EPOCHS.sample} epochs)`

export function start(argv: string[]): void {
  const flags = parseFlags(argv, { epochs: 'number', sample: 'boolean', backend: 'string', out: 'string' })
  if (flags.backend !== undefined) setBackend(flags.backend as string)
  const installed = surveyDataset({ name: 'fashion-mnist', split: 'train' }).found !== null && surveyDataset({ name: 'fashion-mnist', split: 'test' }).found !== null
  const sample = (flags.sample as boolean | undefined) || !installed
  if (!installed) console.log('Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist), so this trains on the embedded sample.')
  const config: VaeRunConfig = {
    model: 'conv-vae', dataset: 'fashion-mnist', sample,
    latent: 32, hidden: 400, beta: 1, batch: 128, optimizer: 'adam', lr: 1e-3, seed: 1,
    epochs: (flags.epochs as number | undefined) ?? (sample ? START_EPOCHS.sample : START_EPOCHS.full),
  }
  const dir = (flags.out as string | undefined) ?? join('runs', 'start')
  trainVae(config, dir)
}
