// genkata train classifier: the MLP classifier that judges generated images by class.
import { defineCommand, helpText, parseCommand } from '../args.ts'
import { setBackend } from '../../backend/index.ts'
import { trainClassifier } from '../../train/classifier_trainer.ts'

export const classifierSpec = defineCommand({
  usage: 'genkata train classifier',
  description: 'train the MLP classifier that judges generated images by class',
  options: {
    epochs: { type: 'number', value: 'N', default: '8', description: 'epochs to train' },
    batch: { type: 'number', value: 'N', default: '64', description: 'images per step' },
    lr: { type: 'number', value: 'X', default: '0.001', description: 'the learning rate' },
    hidden: { type: 'number', value: 'N', default: '128', description: 'hidden units' },
    seed: { type: 'number', value: 'N', default: '1', description: 'the seed of every random draw' },
    'log-every': { type: 'number', value: 'N', default: 'about 300 rows a run', description: 'log the step\'s losses to metrics-steps.csv/.json every N steps' },
    full: { type: 'boolean', description: 'the full Fashion-MNIST instead of the embedded sample' },
    'data-dir': { type: 'string', value: 'DIR', description: 'where the data set lies (default: the usual places)' },
    backend: { type: 'string', value: 'NAME', description: 'the backend to run on (see genkata doctor)' },
    out: { type: 'string', value: 'DIR', default: 'runs/classifier', description: 'the run folder' },
  },
})

export const classifierUsage = helpText(classifierSpec)

export function trainClassifierCommand(argv: string[]): void {
  const { flags } = parseCommand(argv, classifierSpec)
  if (flags.backend !== undefined) setBackend(flags.backend as string)
  trainClassifier({
    epochs: (flags.epochs as number) ?? 8,
    batchSize: (flags.batch as number) ?? 64,
    lr: (flags.lr as number) ?? 1e-3,
    hidden: (flags.hidden as number) ?? 128,
    seed: (flags.seed as number) ?? 1,
    out: (flags.out as string) ?? 'runs/classifier',
    full: (flags.full as boolean) ?? false,
    dataDir: flags['data-dir'] as string | undefined,
    logEvery: flags['log-every'] as number | undefined,
  })
}
