// --help everywhere (issue 12): every command and subcommand answers --help and -h with its
// options, one described line each, and exits 0; an unknown option lists the known ones and
// exits 1. The tables in src/cli/commands are what both the parser and the help read.
import { spawnSync } from 'node:child_process'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { COMMAND_SPECS, runCli, usage } from '../../src/cli/cli.ts'
import { HelpRequested, helpText, parseCommand, type CommandSpec } from '../../src/cli/args.ts'
import { startSpec } from '../../src/cli/commands/start.ts'
import { trainSpec } from '../../src/cli/commands/train.ts'
import { trainGanSpec } from '../../src/cli/commands/train_gan.ts'
import { classifierCnnSpec } from '../../src/cli/commands/classifier_cnn.ts'
import { classifierSpec } from '../../src/cli/commands/classifier.ts'
import { sampleSpec } from '../../src/cli/commands/sample.ts'
import { evalSpec } from '../../src/cli/commands/eval.ts'
import { experimentSpec } from '../../src/cli/commands/experiment.ts'
import { dataFetchSpec, dataSpec } from '../../src/cli/commands/data.ts'
import { doctorSpec } from '../../src/cli/commands/doctor.ts'

/** Every command line that names a command, and the table its help must show. */
const LINES: [string[], CommandSpec][] = [
  [['start'], startSpec],
  [['train'], trainSpec],
  ...['vae', 'conv-vae', 'cvae', 'conv-cvae'].map((m): [string[], CommandSpec] => [['train', m], trainSpec]),
  ...['gan', 'dcgan', 'acgan'].map((m): [string[], CommandSpec] => [['train', m], trainGanSpec]),
  [['train', 'classifier-cnn'], classifierCnnSpec],
  [['train', 'classifier'], classifierSpec],
  [['sample'], sampleSpec],
  [['sample', 'runs/somewhere'], sampleSpec],
  [['eval'], evalSpec],
  [['eval', 'runs/somewhere'], evalSpec],
  [['experiment'], experimentSpec],
  [['experiment', 'families'], experimentSpec],
  [['data'], dataSpec],
  [['data', 'show'], dataSpec],
  [['data', 'fetch'], dataFetchSpec],
  [['doctor'], doctorSpec],
]

async function captured(argv: string[]): Promise<string> {
  const out: string[] = []
  await runCli(argv, { log: (text) => out.push(text) })
  return out.join('\n')
}

test('every command and subcommand answers --help, -h and "help <command>" with each of its options described', async () => {
  const covered = new Set(LINES.map(([, spec]) => spec))
  for (const spec of COMMAND_SPECS) assert.ok(covered.has(spec), `a help test for ${spec.usage}`)
  for (const [line, spec] of LINES) {
    for (const argv of [[...line, '--help'], [...line, '-h'], ['help', ...line], [...line, '--bogus', '--help']]) {
      const text = await captured(argv)
      const what = `genkata ${argv.join(' ')}`
      assert.is(text, helpText(spec), what)
      assert.ok(text.startsWith(`${spec.usage} [options]\n  ${spec.description}`), what)
      for (const [name, option] of Object.entries(spec.options)) {
        assert.ok(option.description.length > 0, `--${name} has a description`)
        assert.match(text, new RegExp(`^  --${name}\\b.*  ${option.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'), `${what}: --${name}`)
      }
      assert.match(text, /^ {2}-h, --help +show this help and exit$/m, what)
    }
  }
})

test('genkata, genkata help, --help and -h list every command with its description', async () => {
  for (const argv of [[], ['help'], ['--help'], ['-h']]) assert.is(await captured(argv), usage)
  for (const spec of COMMAND_SPECS) assert.ok(usage.includes(`  ${spec.usage}\n      ${spec.description}`), spec.usage)
})

test('an unknown option on any command is an error listing every known option', async () => {
  for (const [line, spec] of LINES) {
    const known = [...Object.keys(spec.options).map((k) => `--${k}`), '--help'].join(', ')
    let message = ''
    try {
      await runCli([...line, '--bogus', '1'])
    } catch (error) {
      message = (error as Error).message
    }
    assert.is(message, `unknown option --bogus; known options: ${known} (${spec.usage} --help describes each)`, line.join(' '))
  }
})

test('the command itself: help exits 0 on stdout, an unknown option exits 1 on stderr', () => {
  const genkata = (...args: string[]) => spawnSync(process.execPath, ['bin/genkata.js', ...args], { encoding: 'utf8' })
  const help = genkata('train', 'dcgan', '--help')
  assert.is(help.status, 0, help.stderr)
  assert.is(help.stdout.trim(), helpText(trainGanSpec))
  const unknown = genkata('train', 'dcgan', '--help-me')
  assert.is(unknown.status, 1)
  assert.match(unknown.stderr, /^genkata: unknown option --help-me; known options: --dataset, .*--g-steps, .*--resume, --help/)
})

test('parseCommand: numbers checked, switches bare or =true/=false, positionals counted, -- ends the options', () => {
  const spec: CommandSpec = {
    usage: 'genkata thing <name>',
    description: 'a test command',
    positionals: ['name'],
    options: { epochs: { type: 'number', description: 'epochs' }, full: { type: 'boolean', description: 'all of it' }, out: { type: 'string', value: 'DIR', description: 'where' } },
  }
  assert.equal(parseCommand(['x', '--epochs', '3', '--out=a=b', '--full'], spec), { flags: { epochs: 3, out: 'a=b', full: true }, positionals: ['x'] })
  assert.equal(parseCommand(['--full=false', 'x'], spec).flags, { full: false })
  assert.equal(parseCommand(['--', '--help'], spec).positionals, ['--help'], 'after --, --help is an argument')
  assert.throws(() => parseCommand(['x', 'y'], spec), /unexpected argument 'y': genkata thing <name> takes <name>/)
  assert.throws(() => parseCommand(['--epochs', 'ten'], spec), /option --epochs needs a number, got 'ten'/)
  assert.throws(() => parseCommand(['--epochs'], spec), /option --epochs needs a value/)
  assert.equal(parseCommand(['--epochs', '-3'], spec).flags, { epochs: -3 }, 'a negative number is a value')
  assert.equal(parseCommand(['--epochs=-3'], spec).flags, { epochs: -3 })
  assert.throws(() => parseCommand(['--out', '-d'], spec), /option --out needs a value; to give one that starts with '-', write --out=<value>/)
  assert.throws(() => parseCommand(['--full=yes'], spec), /option --full takes no value/)
  assert.throws(() => parseCommand(['-x'], spec), /unknown option -x; known options: --epochs, --full, --out, --help/)
  assert.throws(() => parseCommand(['-h'], spec), (e: Error) => e instanceof HelpRequested && e.message === helpText(spec))
  assert.is(helpText(spec), [
    'genkata thing <name> [options]',
    '  a test command',
    '',
    'options:',
    '  --epochs N  epochs',
    '  --full      all of it',
    '  --out DIR   where',
    '  -h, --help  show this help and exit',
  ].join('\n'))
})

test.run()
