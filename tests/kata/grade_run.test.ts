// The grader end to end on a fixture repository: real child processes, import conditions,
// isolation, a crash, a hang killed at the timeout, and the CLI's exit codes and results.json.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { writeGeneration } from '../../src/kata/generate.ts'
import { grade, gradeExercise, type Mode, runTestFile } from '../../src/kata/grade.ts'
import { type Exercise, loadManifest } from '../../src/kata/manifest.ts'
import { makeTree, manifestJson, PACKAGE_JSON, REPO, removeTrees, writeTree } from './fixture.ts'

test.after(removeTrees)

const graded = (imports: string, body: string) => [
  "import { test } from 'uvu'",
  "import * as assert from 'uvu/assert'",
  imports,
  body,
  'test.run()',
  '',
].join('\n')

/** Two exercises, the second built on the first through #kata, and one whose test file crashes. */
function fixtureRepo(): string {
  const root = makeTree({
    'package.json': PACKAGE_JSON,
    'solutions/manifest.json': manifestJson([
      { id: '1.1', name: 'double', file: 'double', points: 10 },
      { id: '1.2', name: 'sextuple', file: 'sextuple', points: 15 },
      { id: '1.3', name: 'crash', file: 'crash', points: 5 },
    ]),
    'solutions/double.ts': 'export function double(x: number): number {\n  // BEGIN SOLUTION hint: x + x\n  return x + x\n  // END SOLUTION\n}\n',
    'solutions/sextuple.ts': "import { double } from '#kata/double'\n\nexport function sextuple(x: number): number {\n  // BEGIN SOLUTION hint: three doubles\n  return 3 * double(x)\n  // END SOLUTION\n}\n",
    'solutions/crash.ts': 'export function crash(): void {\n  // BEGIN SOLUTION hint: nothing\n  // END SOLUTION\n}\n',
    'tests/graded/1.1_double.test.ts': graded("import { double } from '#kata/double'", "test('double 2', () => assert.is(double(2), 4))\ntest('double -1', () => assert.is(double(-1), -2))"),
    'tests/graded/1.2_sextuple.test.ts': graded("import { sextuple } from '#kata/sextuple'", "test('sextuple 1', () => assert.is(sextuple(1), 6))\ntest('sextuple 0', () => assert.is(sextuple(0), 0))"),
    'tests/graded/1.3_crash.test.ts': graded("import { nope } from '#kata/crash'", "test('never runs', () => assert.ok(nope))"),
  })
  writeGeneration(root)
  return root
}

const summary = async (root: string, mode: Mode) => {
  const report = await grade({ root, manifest: loadManifest(root), mode, timeoutSeconds: 30 })
  return report.results.map((r) => `${r.id} ${r.score}/${r.maxScore} ${r.status}`)
}

test('reference: full marks; pristine exercises: zero with the stub message; a crash scores 0', async () => {
  const root = fixtureRepo()
  assert.equal(await summary(root, 'reference'), ['1.1 10/10 passed', '1.2 15/15 passed', '1.3 0/5 crashed (exit 1)'])
  const report = await grade({ root, manifest: loadManifest(root), mode: 'isolated', timeoutSeconds: 30 })
  assert.equal(report.results.map((r) => `${r.id} ${r.score} ${r.status}`), ['1.1 0 not started', '1.2 0 not started', '1.3 0 crashed (exit 1)'])
  // An untouched exercise shows no hint: the stub has it, the table says "not started".
  assert.is(report.results[0]!.detail, '')
  assert.match(report.results[2]!.detail, /SyntaxError: .*nope/)
})

test('isolation: an exercise is graded on the reference for everything but its own file', async () => {
  const root = fixtureRepo()
  // The student finished 1.2 but not 1.1 (which 1.2 calls), and half-did 1.1's job wrong.
  writeTree(root, { 'exercises/sextuple.ts': "import { double } from '#kata/double'\nexport function sextuple(x: number): number {\n  return 3 * double(x)\n}\n" })
  assert.equal(await summary(root, 'isolated'), ['1.1 0/10 not started', '1.2 15/15 passed', '1.3 0/5 crashed (exit 1)'])
  // The capstone mode takes 1.1 from exercises/ too, so 1.2 fails there, naming 1.1.
  assert.equal(await summary(root, 'all'), ['1.1 0/10 not started', '1.2 0/15 2 of 2 failed', '1.3 0/5 crashed (exit 1)'])
  const all = await grade({ root, manifest: loadManifest(root), mode: 'all', only: ['1.2'] })
  assert.is(all.results[0]!.detail, '"sextuple 1": needs exercise 1.1 (double) first: it is not implemented yet')
  // Half right: 1 of 2 tests, half the points.
  writeTree(root, { 'exercises/double.ts': 'export function double(x: number): number {\n  return x > 0 ? 2 * x : 0\n}\n' })
  const [double] = (await grade({ root, manifest: loadManifest(root), mode: 'isolated', only: ['double'] })).results
  assert.equal([double!.score, double!.status, double!.detail], [5, '1 of 2 failed', '"double -1": Expected values to be strictly equal: expected -2, got 0'])
})

// Prints, starts a grandchild that would outlive it, then never finishes.
const HANG = [
  "import { spawn } from 'node:child_process'",
  "const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' })",
  "console.log('grandchild ' + g.pid)",
  'setInterval(() => {}, 1000)',
  'await new Promise(() => {})',
  '',
].join('\n')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A killed process not yet reaped by its new parent is a zombie: dead for our purpose.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}

test('a hanging test file is killed at the timeout, with its whole process group', async () => {
  const root = makeTree({ 'package.json': PACKAGE_JSON, 'tests/hang.ts': HANG })
  writeTree(root, { 'tests/hang.ts': `${HANG.replace("console.log('grandchild ' + g.pid)", "writeFileSync('grandchild.pid', String(g.pid))")}`.replace("import { spawn } from 'node:child_process'", "import { spawn } from 'node:child_process'\nimport { writeFileSync } from 'node:fs'") })
  const child = await runTestFile({ root, testFile: 'tests/hang.ts', conditions: ['ex-anything'], timeoutSeconds: 5 })
  assert.ok(child.timedOut)
  assert.is(child.signal, 'SIGKILL')
  assert.ok(child.seconds >= 4.9 && child.seconds < 10, `took ${child.seconds}s`)
  assert.ok(existsSync(join(root, 'grandchild.pid')), child.stdout + child.stderr)
  const pid = Number(readFileSync(join(root, 'grandchild.pid'), 'utf8'))
  assert.ok(pid > 0, child.stdout + child.stderr)
  let gone = false
  for (let i = 0; i < 40 && !(gone = !alive(pid)); i++) await new Promise((r) => setTimeout(r, 50))
  assert.ok(gone, `grandchild ${pid} survived`)

  // Graded, the child runs over a read-only copy: the version that writes its grandchild's pid would
  // crash there at once (or, on a loaded machine, only after the timeout), so the plain hang is graded.
  writeTree(root, { 'tests/hang.ts': HANG })
  const ex: Exercise = { id: '9.9', name: 'hang', chapter: 9, file: 'hang', title: 'hangs', points: 7, test: join(root, 'tests/hang.ts') }
  const result = await gradeExercise(ex, { root, mode: 'isolated', timeoutSeconds: 1 })
  assert.equal([result.score, result.maxScore, result.status], [0, 7, 'timed out after 1s'])
})

test('without root: rewriting a later exercise\'s test on disk, or a process left behind, changes nothing', async () => {
  const root = fixtureRepo()
  const target = join(root, 'tests', 'graded', '1.2_sextuple.test.ts')
  writeTree(root, {
    'exercises/double.ts': [
      "import { spawn } from 'node:child_process'",
      "import { writeFileSync } from 'node:fs'",
      // Spelled in pieces: the static check would refuse the literal path before anything runs.
      `writeFileSync(${JSON.stringify(target.replace('/tests/graded/', '/tests/@/'))}.replace('@', 'gra' + 'ded'), "import { test } from 'uvu'\\ntest('free', () => {})\\ntest.run()\\n")`,
      `const late = ${JSON.stringify(`setTimeout(() => require('fs').writeFileSync(${JSON.stringify(join(root, 'late.txt'))}, 'x'), 1500); setTimeout(() => {}, 4000)`)}`,
      "spawn(process.execPath, ['-e', late], { detached: true, stdio: 'ignore' }).unref()",
      'export const double = (x: number) => x + x',
    ].join('\n'),
  })
  const report = await grade({ root, manifest: loadManifest(root), mode: 'isolated', only: ['1.1', '1.2'], jobs: 1, dropPrivileges: false })
  assert.equal(report.results.map((r) => `${r.id} ${r.score} ${r.status}`), ['1.1 10 passed', '1.2 0 not started'])
  assert.match(readFileSync(target, 'utf8'), /free/, 'the attack did rewrite the file on disk')
  await new Promise((r) => setTimeout(r, 2000))
  assert.not.ok(existsSync(join(root, 'late.txt')), 'the detached process outlived grading')
})

test('code under test cannot turn failures into passes: a spy on fs.writeSync, patched built-ins, its own tests', async () => {
  const root = fixtureRepo()
  writeTree(root, {
    'exercises/double.ts': [
      "import fs from 'node:fs'",
      "import { syncBuiltinESMExports } from 'node:module'",
      "import { test } from 'uvu'",
      'const real = fs.writeSync',
      "fs.writeSync = ((fd: number, text: string) => real(fd, String(text).replace('\"failed\"', '\"passed\"'))) as typeof fs.writeSync",
      'syncBuiltinESMExports()',
      'try { Object.is = () => true } catch {}',
      "test('free points', () => {})",
      'export const double = (x: number) => x',
    ].join('\n'),
  })
  const [double] = (await grade({ root, manifest: loadManifest(root), mode: 'isolated', only: ['1.1'] })).results
  assert.equal([double!.score, double!.status], [0, '2 of 2 failed'])
  assert.match(double!.output, /ignored 1 test declaration\(s\) made outside the graded file: test "free points"/)
})

test('a missing graded test file scores 0 and says so', async () => {
  const root = makeTree({})
  const ex: Exercise = { id: '1.1', name: 'x', chapter: 1, file: 'x', title: 'x', points: 3, test: 'tests/graded/none.test.ts' }
  const result = await gradeExercise(ex, { root, mode: 'reference' })
  assert.equal([result.score, result.status], [0, 'crashed (exit null)'])
  assert.match(result.detail, /graded test file tests\/graded\/none\.test\.ts not found/)
})

test('the CLI: --expect, --only, results.json, exit codes', () => {
  const root = fixtureRepo()
  const results = join(root, 'out/results.json')
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts/kata/grade.ts'), '--root', root, '--results', results, ...args], { cwd: root, encoding: 'utf8' })
  writeTree(root, { 'out/.keep': '' })

  let r = cli('--reference', '--expect', 'full', '--only', '1.1', '--only', 'sextuple')
  assert.is(r.status, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /1\.1\s+double\s+10\/10\s+passed/)
  assert.match(r.stdout, /total\s+25\/25/)
  const json = JSON.parse(readFileSync(results, 'utf8'))
  assert.is(json.score, 25)
  assert.equal(json.tests.map((t: { number: string; status: string }) => `${t.number} ${t.status}`), ['1.1 passed', '1.2 passed'])
  assert.equal(Object.keys(json.tests[0]), ['name', 'number', 'score', 'max_score', 'status', 'output', 'visibility'])
  assert.is(typeof json.execution_time, 'number')

  r = cli('--reference', '--expect', 'full')
  assert.is(r.status, 1)
  assert.match(r.stderr, /expected full marks.*\n\s+1\.3 crash: scored 0\/5 \(crashed \(exit 1\)\)/)

  r = cli('--expect', 'zero', '--only', '1.1,1.2')
  assert.is(r.status, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /1\.1\s+double\s+0\/10\s+not started\n/)
  // A crash scores zero but proves nothing about the tests: --expect zero rejects it.
  r = cli('--expect', 'zero')
  assert.is(r.status, 1)
  assert.match(r.stderr, /expected zero.*\n\s+1\.3 crash: scored 0\/5 \(crashed \(exit 1\)\)/)

  r = cli('--expect', 'full', '--only', 'double')
  assert.is(r.status, 1)
  assert.match(r.stderr, /1\.1 double: scored 0\/10 \(not started\)/)

  for (const bad of [['--only', 'nope'], ['--bogus'], ['--timeout', '-1'], ['--all', '--reference'], ['--expect', 'most']]) {
    r = cli(...bad)
    assert.ok(r.status === 1 || r.status === 2, `${bad.join(' ')} exited ${r.status}`)
    assert.match(r.stderr, /^grade: /, bad.join(' '))
  }
})

test.run()
