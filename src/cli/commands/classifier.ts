// genkata train classifier: the MLP classifier that judges generated images by class.
import { parseFlags } from '../args.ts'
import { setBackend } from '../../backend/index.ts'
import { trainClassifier } from '../../train/classifier_trainer.ts'

export const classifierUsage = `genkata train classifier [--epochs N (8)] [--batch N (64)] [--lr X (0.001)] [--hidden N (128)] [--seed N (1)]
  [--full (the full Fashion-MNIST instead of the sample)] [--data-dir DIR] [--backend NAME] [--out DIR (runs/classifier)]`

export function trainClassifierCommand(argv: string[]): void {
  const flags = parseFlags(argv, { epochs: 'number', batch: 'number', lr: 'number', hidden: 'number', seed: 'number', out: 'string', full: 'boolean', 'data-dir': 'string', backend: 'string' })
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
  })
}
