// The experiments by name, and the runner.
import { betaExperiment } from './beta.ts'
import { cvaeExperiment } from './cvae.ts'
import { familiesExperiment } from './families.ts'
import { fcVsConvExperiment } from './fc_vs_conv.ts'
import { latentExperiment } from './latent.ts'
import type { Experiment } from './types.ts'

export const EXPERIMENTS: readonly Experiment[] = [latentExperiment, fcVsConvExperiment, betaExperiment, cvaeExperiment, familiesExperiment]
export const EXPERIMENT_NAMES = EXPERIMENTS.map((e) => e.name)

export function getExperiment(name: string): Experiment {
  const found = EXPERIMENTS.find((e) => e.name === name)
  if (!found) throw new Error(`experiment: unknown experiment '${name}': choose one of ${EXPERIMENT_NAMES.join(', ')}`)
  return found
}

export { DEFAULT_EPOCHS } from './arms.ts'
export { defaultExperimentDir, runExperiment, type ExperimentResult, type RunExperimentOptions } from './runner.ts'
export type * from './types.ts'
