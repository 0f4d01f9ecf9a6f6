// The command line as a user runs it: a child process through bin/genkata.js.
import { spawnSync } from 'node:child_process'
import { test } from 'uvu'
import * as assert from 'uvu/assert'

const genkata = (...args: string[]) => spawnSync(process.execPath, ['bin/genkata.js', ...args], { encoding: 'utf8' })

test('help lists the commands', () => {
  const r = genkata('help')
  assert.is(r.status, 0, r.stderr)
  assert.match(r.stdout, /genkata <command> \[options\]/)
  assert.match(r.stdout, /start/)
})

test('an unknown command or option exits 1 with a message naming it', () => {
  const unknown = genkata('trian')
  assert.is(unknown.status, 1)
  assert.match(unknown.stderr, /genkata: unknown command 'trian'/)
  const badFlag = genkata('start', '--epoch', '1')
  assert.is(badFlag.status, 1)
  assert.match(badFlag.stderr, /unknown option --epoch/)
})

test.run()
