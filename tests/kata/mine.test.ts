// `genkata train ... --mine`: the flag is stripped, node re-runs the command under
// --conditions=exercises on the reference backend, and says so. On the untouched stubs of this
// repository the run stops at exercise 1.1: proof that it runs the student's code.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { MINE_NOTICE, mineReexec } from '../../src/kata/mine.ts'
import { REPO } from './fixture.ts'

test('mineReexec: null without --mine; with it, the condition, the backend and the other arguments', () => {
  assert.is(mineReexec(['train', 'vae'], {}, '/m.ts', 'file:///tsx'), null)
  const r = mineReexec(['train', 'vae', '--mine', '--epochs', '2'], { GENKATA_BACKEND: 'cpu', PATH: '/bin' }, '/m.ts', 'file:///tsx')!
  assert.equal(r.nodeArgs, ['--conditions=exercises', '--import', 'file:///tsx', '/m.ts', 'train', 'vae', '--epochs', '2'])
  assert.equal(r.env, { GENKATA_BACKEND: 'reference', PATH: '/bin' })
})

test('genkata train vae --mine runs on exercises/ (here: the untouched stubs) and says so', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'train', 'vae', '--mine', '--sample', '--epochs', '1'], { cwd: REPO, encoding: 'utf8', timeout: 120_000 })
  assert.is(r.status, 1, r.stdout + r.stderr)
  assert.ok(r.stdout.startsWith(`${MINE_NOTICE}\n`), r.stdout)
  assert.match(r.stderr, /exercise 1\.1 is not implemented yet/)
})

test.run()
