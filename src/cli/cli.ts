// The genkata command line, as a function: which command a line of arguments names, the list of
// commands, and help (genkata help, genkata <command> --help). main.ts runs it on process.argv and
// turns an error into exit status 1; tests call it directly.
import { HelpRequested, summaryLine, type CommandSpec } from './args.ts'
import { start, startSpec } from './commands/start.ts'
import { train, trainSpec } from './commands/train.ts'
import { sample, sampleSpec } from './commands/sample.ts'
import { evaluate, evalSpec } from './commands/eval.ts'
import { data, dataFetchSpec, dataSpec } from './commands/data.ts'
import { trainClassifierCommand, classifierSpec } from './commands/classifier.ts'
import { doctor, doctorSpec } from './commands/doctor.ts'
import { trainGan, trainGanSpec } from './commands/train_gan.ts'
import { isGanRun } from '../train/gan_trainer.ts'
import { GAN_KINDS } from '../models/gan_kinds.ts'
import { trainClassifierCnnCommand, classifierCnnSpec } from './commands/classifier_cnn.ts'
import { experiment, experimentSpec } from './commands/experiment.ts'

/** Every command, in the order the help lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  startSpec, trainSpec, trainGanSpec, classifierCnnSpec, classifierSpec, sampleSpec, evalSpec, experimentSpec, dataSpec, dataFetchSpec, doctorSpec,
]

export const usage = `genkata <command> [options]

commands:
${COMMAND_SPECS.map(summaryLine).join('\n')}

genkata <command> --help (or -h, or genkata help <command>) lists a command's options.

environment:
  GENKATA_BACKEND       the backend to run on, as --backend
  GENKATA_MAX_ELEMENTS  the largest tensor allowed, in elements (default 2^28)`

/** The run folder a `train` line resumes, if any: --resume DIR or --resume=DIR. */
function resumed(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('--resume')
  if (at !== -1) return argv[at + 1]
  return argv.find((arg) => arg.startsWith('--resume='))?.slice('--resume='.length)
}

function resumesGanRun(argv: readonly string[]): boolean {
  const dir = resumed(argv)
  return dir !== undefined && isGanRun(dir)
}

async function dispatch(command: string, rest: string[]): Promise<void> {
  if (command === 'start') start(rest)
  else if (command === 'train' && rest[0] === 'classifier') trainClassifierCommand(rest.slice(1))
  else if (command === 'train' && rest[0] === 'classifier-cnn') trainClassifierCnnCommand(rest.slice(1))
  else if (command === 'train' && (GAN_KINDS.includes(rest[0] as never) || (rest[0]?.startsWith('-') && resumesGanRun(rest)))) trainGan(rest)
  else if (command === 'train') train(rest)
  else if (command === 'sample') sample(rest)
  else if (command === 'eval') evaluate(rest)
  else if (command === 'experiment') experiment(rest)
  else if (command === 'data') await data(rest)
  else if (command === 'doctor') doctor(rest)
  else throw new Error(`unknown command '${command}'\n\n${usage}`)
}

/** Run one command line (without "genkata"); help goes to `log`, errors are thrown. */
export async function runCli(argv: readonly string[], options: { log?: (text: string) => void } = {}): Promise<void> {
  const log = options.log ?? ((text: string) => console.log(text))
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || (command === 'help' && rest.length === 0)) {
    log(usage)
    return
  }
  try {
    if (command === 'help') await dispatch(rest[0]!, [...rest.slice(1), '--help'])
    else await dispatch(command, rest)
  } catch (error) {
    if (!(error instanceof HelpRequested)) throw error
    log(error.text)
  }
}
