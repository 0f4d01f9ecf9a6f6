// The arms' run settings, built from the experiment's options: the train commands' defaults
// (Adam 1e-3, batch 128, hidden 400 for the VAEs; defaultGanRunConfig for the GANs), the data and
// seed the user chose, and each arm's default epochs unless --epochs sets them all (N) or by arm (dcgan=2).
import type { VaeKind } from '../models/index.ts'
import type { GanKind } from '../models/gan_kinds.ts'
import { defaultGanRunConfig } from '../train/gan_config.ts'
import type { Arm, ExperimentOptions } from './types.ts'

/**
 * Default epochs per arm: the VAEs 10 (the README's results), the CVAE 20 (its label takes the
 * class over from z only slowly: see cvae.ts), the MLP GAN 20 (an epoch is cheap and it learns
 * slowly), DCGAN and ACGAN 5 (an epoch takes about 8 minutes on 2 cores).
 */
export const DEFAULT_EPOCHS = { vae: 10, cvae: 20, gan: 20, dcgan: 5, acgan: 5 } as const

/** One-sided label smoothing for the experiments' GANs: real images aim at 0.9 (Salimans et al., 2016). */
export const EXPERIMENT_SMOOTHING = 0.1

const dataOf = (o: ExperimentOptions) => ({ dataset: o.dataset, sample: o.sample, dataDir: o.dataDir, limit: o.limit })

export function vaeArm(name: string, label: string, o: ExperimentOptions, settings: { model: VaeKind; latent: number; beta?: number; epochs?: number }): Arm {
  return {
    name,
    label,
    family: 'vae',
    config: {
      model: settings.model, ...dataOf(o), latent: settings.latent, hidden: 400, beta: settings.beta ?? 1,
      epochs: o.epochs ?? settings.epochs ?? DEFAULT_EPOCHS.vae, batch: 128, optimizer: 'adam', lr: 1e-3, seed: o.seed,
    },
  }
}

export function ganArm(name: string, label: string, o: ExperimentOptions, model: GanKind): Arm {
  return { name, label, family: 'gan', config: { ...defaultGanRunConfig(model), ...dataOf(o), smoothing: EXPERIMENT_SMOOTHING, epochs: o.epochs ?? DEFAULT_EPOCHS[model], seed: o.seed } }
}

/** The arm's model name as the train commands spell it. */
export const armModel = (arm: Arm): string => arm.config.model
