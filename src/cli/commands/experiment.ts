// genkata experiment NAME [options]: reproduce one of the course projects' comparisons (see
// src/experiments): train (or reuse, or resume) every arm into OUT/<arm>, evaluate each with the
// classifier, and write OUT/table.md, OUT/table.json and the figures.
import { defineCommand, helpText, parseCommand } from '../args.ts'
import { setBackend } from '../../backend/index.ts'
import { DEFAULT_EPOCHS, EXPERIMENT_NAMES, getExperiment, runExperiment, type ExperimentResult } from '../../experiments/index.ts'
import { datasetName } from './shared.ts'

export const experimentSpec = defineCommand({
  usage: 'genkata experiment <name> --classifier DIR',
  description: `reproduce one of the course projects' comparisons; name: ${EXPERIMENT_NAMES.join(', ')}`,
  positionals: ['name'],
  options: {
    classifier: { type: 'string', value: 'DIR', description: 'required: the evaluation classifier, from genkata train classifier-cnn on the same --dataset' },
    dataset: { type: 'string', value: 'fashion|mnist', default: 'fashion', description: 'the data set' },
    sample: { type: 'boolean', description: 'the embedded Fashion-MNIST sample' },
    'data-dir': { type: 'string', value: 'DIR', description: 'where the data set lies (default: the usual places)' },
    limit: { type: 'number', value: 'N', description: 'only the first N training images' },
    epochs: { type: 'string', value: 'N|ARM=N,...', description: `epochs of every arm, or of the arms named (dcgan=2,acgan=2; both: 5,dcgan=2) (default: VAEs ${DEFAULT_EPOCHS.vae}, the CVAE ${DEFAULT_EPOCHS.cvae}, gan ${DEFAULT_EPOCHS.gan}, dcgan and acgan ${DEFAULT_EPOCHS.dcgan})` },
    seed: { type: 'number', value: 'N', default: '1', description: 'the seed of every random draw' },
    samples: { type: 'number', value: 'N', default: '5000', description: 'generated images per arm for FID' },
    backend: { type: 'string', value: 'NAME', description: 'the backend to run on (see genkata doctor)' },
    out: { type: 'string', value: 'DIR', default: 'runs/experiments/<name>-<dataset>-s<seed>', description: 'where the arms go: one already trained there is reused, one trained for fewer epochs resumed' },
  },
  // From the definitions themselves, so the help cannot drift from what runs.
  notes: ['experiments:', ...EXPERIMENT_NAMES.map((name) => `  ${name}: ${getExperiment(name).title}`)],
})

export const experimentUsage = helpText(experimentSpec)

export function experiment(argv: string[], options: { log?: (line: string) => void } = {}): ExperimentResult {
  const { flags, positionals } = parseCommand(argv, experimentSpec)
  const name = positionals[0]
  if (name === undefined) throw new Error(`experiment: which one? one of ${EXPERIMENT_NAMES.join(', ')}\n\n${experimentUsage}`)
  const definition = getExperiment(name)
  if (flags.backend !== undefined) setBackend(flags.backend as string)
  const limit = flags.limit as number | undefined
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new RangeError(`--limit must be a positive integer, got ${limit}`)
  return runExperiment(definition, {
    dataset: datasetName((flags.dataset as string | undefined) ?? 'fashion'),
    sample: (flags.sample as boolean | undefined) ?? false,
    dataDir: flags['data-dir'] as string | undefined,
    limit,
    ...parseEpochs(flags.epochs as string | undefined),
    seed: (flags.seed as number | undefined) ?? 1,
    classifier: flags.classifier as string | undefined,
    samples: flags.samples as number | undefined,
    out: flags.out as string | undefined,
    command: ['genkata', 'experiment', ...argv].join(' '),
    log: options.log,
  })
}

/** --epochs: N for every arm, ARM=N for one, comma-separated (a bare N and named arms may mix). */
export function parseEpochs(text: string | undefined): { epochs?: number; armEpochs?: Record<string, number> } {
  if (text === undefined) return {}
  const out: { epochs?: number; armEpochs?: Record<string, number> } = {}
  const count = (v: string, what: string) => {
    const n = /^\d+$/.test(v.trim()) ? Number(v) : NaN
    if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`--epochs must be a positive integer${what}, got '${text}'`)
    return n
  }
  for (const part of text.split(',')) {
    const eq = part.indexOf('=')
    if (eq < 0) {
      if (out.epochs !== undefined) throw new RangeError(`--epochs gives every arm's epochs twice: '${text}'`)
      out.epochs = count(part, '')
    } else {
      const name = part.slice(0, eq).trim()
      if (name === '') throw new RangeError(`--epochs: an arm's name is missing before '=' in '${text}'`)
      out.armEpochs = { ...out.armEpochs, [name]: count(part.slice(eq + 1), ` for arm ${name}`) }
    }
  }
  return out
}
