#!/usr/bin/env -S node --import tsx
// The genkata command line.
import { parseFlags } from './args.ts'
import { start } from './start.ts'

const usage = `genkata <command> [options]

commands:
  start    train an MLP classifier on Fashion-MNIST and print its test accuracy
           --epochs N (8)  --batch N (64)  --lr X (0.001)  --hidden N (128)  --seed N (1)
           --out DIR (runs/start)  --full (the full data set instead of the embedded sample)
           --data-dir DIR (where the full data set is)
environment:
  GENKATA_BACKEND  the backend to run on (default: reference)`

function main(argv: string[]): void {
  const [command, ...rest] = argv
  if (command === 'start') {
    const flags = parseFlags(rest, { epochs: 'number', batch: 'number', lr: 'number', hidden: 'number', seed: 'number', out: 'string', full: 'boolean', 'data-dir': 'string' })
    start({
      epochs: (flags.epochs as number) ?? 8,
      batchSize: (flags.batch as number) ?? 64,
      lr: (flags.lr as number) ?? 1e-3,
      hidden: (flags.hidden as number) ?? 128,
      seed: (flags.seed as number) ?? 1,
      out: (flags.out as string) ?? 'runs/start',
      full: (flags.full as boolean) ?? false,
      dataDir: flags['data-dir'] as string | undefined,
    })
  } else if (command === undefined || command === 'help' || command === '--help') {
    console.log(usage)
  } else {
    throw new Error(`unknown command '${command}'\n\n${usage}`)
  }
}

try {
  main(process.argv.slice(2))
} catch (error) {
  console.error(`genkata: ${(error as Error).message}`)
  process.exit(1)
}
