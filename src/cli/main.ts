#!/usr/bin/env -S node --import tsx
// The genkata command line: one file per command under commands/.
// First, before any other module runs: --mine re-runs the command on the student's own code.
import '../kata/mine.ts'
import { start, startUsage } from './commands/start.ts'
import { train, trainUsage } from './commands/train.ts'
import { sample, sampleUsage } from './commands/sample.ts'
import { evaluate, evalUsage } from './commands/eval.ts'
import { data, dataUsage } from './commands/data.ts'
import { trainClassifierCommand, classifierUsage } from './commands/classifier.ts'
import { doctor, doctorUsage } from './commands/doctor.ts'
import { trainGan, trainGanUsage } from './commands/train_gan.ts'
import { isGanRun } from '../train/gan_trainer.ts'
import { GAN_KINDS } from '../models/gan_kinds.ts'
import { trainClassifierCnnCommand, classifierCnnUsage } from './commands/classifier_cnn.ts'
import { experiment, experimentUsage } from './commands/experiment.ts'

const usage = `genkata <command> [options]

commands:
${[startUsage, trainUsage, trainGanUsage, classifierCnnUsage, classifierUsage, sampleUsage, evalUsage, experimentUsage, dataUsage, doctorUsage].join('\n\n')}

environment:
  GENKATA_BACKEND  the backend to run on, as --backend`

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  if (command === 'start') start(rest)
  else if (command === 'train' && rest[0] === 'classifier') trainClassifierCommand(rest.slice(1))
  else if (command === 'train' && rest[0] === 'classifier-cnn') trainClassifierCnnCommand(rest.slice(1))
  else if (command === 'train' && (GAN_KINDS.includes(rest[0] as never) || (rest[0] === '--resume' && rest[1] !== undefined && isGanRun(rest[1])))) trainGan(rest)
  else if (command === 'train') train(rest)
  else if (command === 'sample') sample(rest)
  else if (command === 'eval') evaluate(rest)
  else if (command === 'experiment') experiment(rest)
  else if (command === 'data') await data(rest)
  else if (command === 'doctor') doctor(rest)
  else if (command === undefined || command === 'help' || command === '--help') console.log(usage)
  else throw new Error(`unknown command '${command}'\n\n${usage}`)
}

try {
  await main(process.argv.slice(2))
} catch (error) {
  console.error(`genkata: ${(error as Error).message}`)
  process.exit(1)
}
