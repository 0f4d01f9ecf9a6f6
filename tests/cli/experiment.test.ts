// genkata experiment through bin/genkata.js: the help lists it, and a bad name or a missing
// --classifier exits 1 with the message a user needs.
import { spawnSync } from 'node:child_process'
import { test } from 'uvu'
import * as assert from 'uvu/assert'

const genkata = (...args: string[]) => spawnSync(process.execPath, ['bin/genkata.js', ...args], { encoding: 'utf8', env: { ...process.env, GENKATA_BACKEND: 'reference' } })

test('help lists the experiment command and its experiments', () => {
  const r = genkata('help')
  assert.is(r.status, 0, r.stderr)
  assert.ok(r.stdout.includes('experiment <name> --classifier DIR'))
  assert.ok(r.stdout.includes('latent, fc-vs-conv, beta, cvae, families'))
})

test('an unknown experiment, or none, or no classifier: exit 1 and a message that says what to do', () => {
  const cases: [string[], RegExp][] = [
    [['experiment', 'gans'], /genkata: experiment: unknown experiment 'gans': choose one of latent, fc-vs-conv, beta, cvae, families/],
    [['experiment', 'beta', '--sample'], /--classifier DIR is required.*`genkata train classifier-cnn --dataset fashion`/],
    [['experiment', 'beta', '--dataset', 'mnist'], /`genkata train classifier-cnn --dataset mnist`/],
  ]
  for (const [args, pattern] of cases) {
    const r = genkata(...args)
    assert.is(r.status, 1, args.join(' '))
    assert.match(r.stderr, pattern)
  }
})

test.run()
