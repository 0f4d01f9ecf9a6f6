// The CI invariants, on the real repository: exercises/ is generated from solutions/, the
// reference gets full marks, and the pristine exercises get zero on every exercise (a graded test
// that cannot fail on a stub is a defect). These run the real CLIs, as CI does.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { REPO } from './fixture.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-ci-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

function tsx(script: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, script), ...args], { cwd: REPO, encoding: 'utf8' })
  return { status: r.status, out: `${r.stdout}${r.stderr}` }
}

test('exercises/ and package.json "imports" are up to date (npm run kata:check)', () => {
  const r = tsx('scripts/kata/generate.ts', '--check')
  assert.is(r.status, 0, r.out)
})

test('the reference gets full marks (npm run grade -- --reference --expect full)', () => {
  const results = join(dir, 'reference.json')
  const r = tsx('scripts/kata/grade.ts', '--reference', '--expect', 'full', '--results', results)
  assert.is(r.status, 0, r.out)
  const json = JSON.parse(readFileSync(results, 'utf8'))
  assert.ok(json.tests.length > 0)
})

test('the pristine exercises get zero on every exercise (npm run grade -- --expect zero)', () => {
  const r = tsx('scripts/kata/grade.ts', '--expect', 'zero', '--results', join(dir, 'pristine.json'))
  assert.is(r.status, 0, r.out)
})

test.run()
