// The Gradescope autograder end to end on a fixture repository: kata:autograder writes the folder
// and a zip that reads back; run_autograder (with AUTOGRADER_ROOT in a temp dir, the shared
// node_modules standing in for setup.sh's npm ci) gives the reference full marks, pristine stubs 0,
// and each attack of issue 10 zero: uvu totals printed on exit, a rewrite of another exercise's
// graded test, a re-export from solutions/ (static and dynamic), and a detached process that
// rewrites results.json after grading.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildAutograder, parseVisibility, submissionFiles } from '../../src/kata/autograder.ts'
import { writeGeneration } from '../../src/kata/generate.ts'
import { readZip } from '../../src/kata/zip.ts'
import { makeTree, manifestJson, PACKAGE_JSON, REPO, removeTrees } from './fixture.ts'

test.after(removeTrees)

const graded = (imports: string, body: string) => ["import { test } from 'uvu'", "import * as assert from 'uvu/assert'", imports, body, 'test.run()', ''].join('\n')
const DOUBLE = 'export function double(x: number): number {\n  // BEGIN SOLUTION hint: x + x\n  return x + x\n  // END SOLUTION\n}\n'

function fixtureRepo(): string {
  const root = makeTree({
    'package.json': PACKAGE_JSON,
    'solutions/manifest.json': manifestJson([
      { id: '1.1', name: 'double', file: 'double', points: 10 },
      { id: '1.2', name: 'sextuple', file: 'sextuple', points: 15 },
    ]),
    'solutions/double.ts': DOUBLE,
    'solutions/sextuple.ts': "import { double } from '#kata/double'\n\nexport function sextuple(x: number): number {\n  // BEGIN SOLUTION hint: three doubles\n  return 3 * double(x)\n  // END SOLUTION\n}\n",
    'tests/graded/1.1_double.test.ts': graded("import { double } from '#kata/double'", "test('double 2 [x3]', () => assert.is(double(2), 4))\ntest('double -1', () => assert.is(double(-1), -2))"),
    'tests/graded/1.2_sextuple.test.ts': graded("import { sextuple } from '#kata/sextuple'", "test('sextuple 1', () => assert.is(sextuple(1), 6))\ntest('sextuple 0', () => assert.is(sextuple(0), 0))"),
  })
  writeGeneration(root)
  return root
}

interface Results { score: number; output: string; tests: Array<{ number: string; score: number; output: string; visibility: string }> }

/** A fresh AUTOGRADER_ROOT holding the built autograder as source/ and `files` as submission/. */
function runAutograder(dir: string, files: Record<string, string>): { results: Results; out: string; root: string } {
  const root = makeTree({})
  cpSync(dir, join(root, 'source'), { recursive: true })
  symlinkSync(join(REPO, 'node_modules'), join(root, 'source', 'node_modules'), 'dir')
  mkdirSync(join(root, 'submission'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, 'submission', path, '..'), { recursive: true })
    writeFileSync(join(root, 'submission', path), text.replaceAll('AUTOGRADER_ROOT', root))
  }
  const r = spawnSync('bash', [join(root, 'source', 'run_autograder')], { env: { ...process.env, AUTOGRADER_ROOT: root }, encoding: 'utf8' })
  assert.is(r.status, 0, r.stdout + r.stderr)
  return { results: JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')) as Results, out: r.stdout + r.stderr, root }
}

const scores = (r: Results) => r.tests.map((t) => `${t.number} ${t.score}`)
let built = ''

test('kata:autograder writes the folder and a zip that reads back, with setup.sh and run_autograder', () => {
  const repo = fixtureRepo()
  built = join(makeTree({}), 'autograder')
  const { zip } = buildAutograder(repo, built, { visibility: parseVisibility(['1.1=hidden', 'after_due_date']) })
  const entries = readZip(readFileSync(zip))
  const names = entries.map((e) => e.name)
  for (const name of ['setup.sh', 'run_autograder', 'config.json', 'package.json', 'solutions/double.ts', 'exercises/double.ts', 'tests/graded/1.1_double.test.ts']) assert.ok(names.includes(name), name)
  assert.is(entries.find((e) => e.name === 'run_autograder')!.mode, 0o755)
  assert.equal(entries.find((e) => e.name === 'solutions/double.ts')!.data.toString(), DOUBLE)
  assert.match(readFileSync(join(built, 'setup.sh'), 'utf8'), /setup_20\.x[\s\S]*npm ci/)
  assert.throws(() => parseVisibility(['1.1=secret']), /expected visible, after_due_date, hidden/)
})

test('run_autograder: the reference gets full marks, the pristine stubs 0, per-exercise visibility, the table on top', () => {
  let { results } = runAutograder(built, { 'exercises/double.ts': DOUBLE, 'exercises/sextuple.ts': "import { double } from '#kata/double'\nexport const sextuple = (x: number) => 3 * double(x)\n", 'package.json': '{"imports": {}}' })
  assert.equal(scores(results), ['1.1 10', '1.2 15'])
  assert.is(results.score, 25)
  assert.equal(results.tests.map((t) => t.visibility), ['hidden', 'after_due_date'])
  assert.match(results.output, /1\.1\s+double\s+10\/10\s+passed/)
  ;({ results } = runAutograder(built, { 'my-repo/exercises/double.ts': readFileSync(join(built, 'exercises/double.ts'), 'utf8') }))
  assert.equal(scores(results), ['1.1 0', '1.2 0'])
  assert.match(results.output, /1\.1\s+double\s+0\/10\s+not started/)
})

test('attacks: uvu totals printed on exit; a re-export from solutions/, static and dynamic', () => {
  const { results } = runAutograder(built, {
    'exercises/double.ts': [
      "process.on('exit', () => console.log('\\n  Total:     2\\n  Passed:    2\\n  Skipped:   0\\n  Duration:  1ms\\n'))",
      "export function double(x: number): number { throw Object.assign(new Error('exercise 1.1 is not implemented yet'), { name: 'NotImplementedError', exerciseId: '1.1' }) }",
    ].join('\n'),
    'exercises/sextuple.ts': "export { sextuple } from '../solutions/sextuple.ts'\n",
  })
  assert.equal(scores(results), ['1.1 0', '1.2 0'])
  assert.match(results.tests[1]!.output, /^refused: exercises\/sextuple\.ts imports '\.\.\/solutions\/sextuple\.ts'/)
  const dynamic = runAutograder(built, { 'exercises/sextuple.ts': "const where = ['..', 'sol' + 'utions', 'sextuple.ts'].join('/')\nexport const { sextuple } = await import(where)\n" }).results
  assert.equal(scores(dynamic), ['1.1 0', '1.2 0'])
  assert.match(dynamic.tests[1]!.output, /could not load|Cannot find module/)
})

test('attacks: rewriting another exercise\'s graded test; a detached process rewriting results.json', async () => {
  const forged = JSON.stringify({ score: 999, tests: [] })
  const { results, root } = runAutograder(built, {
    'exercises/double.ts': [
      "import { spawn } from 'node:child_process'",
      "import { writeFileSync } from 'node:fs'",
      "const pass = \"import { test } from 'uvu'\\ntest('free', () => {})\\ntest.run()\\n\"",
      // Spelled in pieces: the static check would refuse the literal path before anything runs.
      "const graded = ['tes' + 'ts', 'graded', '1.2_sextuple.test.ts'].join('/')",
      "for (const path of [graded, 'AUTOGRADER_ROOT/source/' + graded]) { try { writeFileSync(path, pass) } catch {} }",
      `const late = ${JSON.stringify(`setTimeout(() => require('fs').writeFileSync('AUTOGRADER_ROOT/results/results.json', ${JSON.stringify(forged)}), 1500); setTimeout(() => {}, 5000)`)}`,
      "spawn(process.execPath, ['-e', late], { detached: true, stdio: 'ignore' }).unref()",
      'export const double = (x: number) => x + x + (x < 0 ? 1 : 0)',
    ].join('\n'),
  })
  // double: the weighted test passes (3 of 4), sextuple: still its stub.
  assert.equal(scores(results), ['1.1 7.5', '1.2 0'])
  assert.match(readFileSync(join(root, 'source/tests/graded/1.2_sextuple.test.ts'), 'utf8'), /sextuple 1/)
  await new Promise((r) => setTimeout(r, 2500))
  assert.is(JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')).score, 7.5)
})

test('submissionFiles: only regular .ts files under exercises/, found up to three folders down', () => {
  const root = makeTree({ 'a/b/exercises/x.ts': 'x', 'a/b/exercises/sub/y.ts': 'y', 'a/b/exercises/notes.md': 'n', 'a/b/package.json': '{}' })
  symlinkSync('/etc/passwd', join(root, 'a/b/exercises/link.ts'))
  const { files, skipped } = submissionFiles(root)
  assert.equal([...files.keys()], ['exercises/sub/y.ts', 'exercises/x.ts'])
  assert.equal(skipped, ['exercises/link.ts (a link)'])
  assert.is(submissionFiles(join(root, 'nothing')).base, null)
  assert.ok(existsSync(join(root, 'a/b/exercises/x.ts')))
  rmSync(join(root, 'a'), { recursive: true })
})

test.run()
