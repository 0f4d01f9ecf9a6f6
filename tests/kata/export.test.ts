// The student edition, exported from this repository: no solution code anywhere in it, no
// solutions/ and no git history, #kata/* on exercises/, its own README and Classroom workflow; with
// the shared node_modules linked in (standing in for `npm install`) the pristine tree scores 0, a
// later exercise names the unfinished earlier one, and the reference copied in scores full marks.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { exportStudentEdition } from '../../src/kata/export.ts'
import { scanForSolutionLines, solutionLines } from '../../src/kata/leak_scan.ts'
import { loadManifest } from '../../src/kata/manifest.ts'
import { REPO } from './fixture.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-export-'))
const dest = join(dir, 'student')
test.after(() => rmSync(dir, { recursive: true, force: true }))


const grade = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/kata/grade.ts', '--results', join(dir, 'results.json'), ...args], { cwd: dest, encoding: 'utf8' })
  return { status: r.status, out: `${r.stdout}${r.stderr}` }
}

test('the export holds no solutions/, no git history and no line of reference solution code', () => {
  exportStudentEdition(REPO, dest)
  const all: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else all.push(p.slice(dest.length + 1))
    }
  }
  walk(dest)
  assert.ok(!existsSync(join(dest, 'solutions')), 'solutions/ was exported')
  assert.ok(!existsSync(join(dest, '.git')), '.git was exported')
  assert.ok(all.every((p) => !p.split('/').includes('solutions')), 'a path names solutions/')
  assert.ok(solutionLines(REPO).size > 100, 'the scan looks for the solutions\' lines')
  const leaks = scanForSolutionLines(REPO, dest)
  assert.equal(leaks, [], 'a file repeats a line of reference solution code')
  assert.throws(() => exportStudentEdition(REPO, dest), /is not empty/)
})

test('the export: #kata/* on exercises/, its README, manifest, hints and Classroom workflow', () => {
  const pkg = JSON.parse(readFileSync(join(dest, 'package.json'), 'utf8'))
  assert.equal(pkg.imports, { '#kata/*': './exercises/*.ts' })
  assert.is(pkg.scripts.grade, 'tsx scripts/kata/grade.ts')
  assert.equal(pkg.dependencies, JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).dependencies)
  const [first, second] = readFileSync(join(dest, 'README.md'), 'utf8').split('\n')
  assert.match(first!, /^\s+npm install\b/)
  assert.match(second!, /^\s+npm run grade\b/)
  assert.match(readFileSync(join(dest, 'README.md'), 'utf8'), /## Submitting/)
  const manifest = loadManifest(REPO)
  assert.equal(loadManifest(dest), manifest)
  assert.equal(Object.keys(JSON.parse(readFileSync(join(dest, 'exercises/hints.json'), 'utf8'))), manifest.exercises.map((e) => e.id))
  const workflow = readFileSync(join(dest, '.github/workflows/classroom.yml'), 'utf8')
  assert.is(workflow.match(/uses: classroom-resources\/autograding-command-grader@v1/g)!.length, manifest.exercises.length)
  assert.match(workflow, /command: npm run grade -- --only 1\.1 --expect full/)
  assert.match(workflow, /runners: ex-1-1,ex-1-2,/)
  assert.match(workflow, /EX-1-1_RESULTS: "\$\{\{steps\.ex-1-1\.outputs\.result\}\}"/)
  for (const p of ['src/kata/generate.ts', 'scripts/kata/generate.ts', 'src/kata/autograder.ts']) assert.ok(!existsSync(join(dest, p)), `${p} was exported`)
})

test('graded there: pristine 0 (naming the unfinished earlier exercise), the reference copied in full marks', () => {
  symlinkSync(join(REPO, 'node_modules'), join(dest, 'node_modules'), 'dir')
  let r = grade('--only', '1.1,2.2', '--expect', 'zero', '--no-typecheck')
  assert.is(r.status, 0, r.out)
  assert.match(r.out, /everything from exercises\//)
  assert.match(r.out, /1\.1\s+strides\s+0\/10\s+not started/)
  assert.match(r.out, /2\.2\s+backward-arith\s+0\/15\s+\d+ of \d+ failed\s+.*needs exercise 1\.1 \(strides\) first/)
  for (const e of loadManifest(REPO).exercises) cpSync(join(REPO, 'solutions', `${e.file}.ts`), join(dest, 'exercises', `${e.file}.ts`))
  r = grade('--only', '1.1,2.2', '--expect', 'full')
  assert.is(r.status, 0, r.out)
  assert.not.match(r.out, /type errors/)
  const hint = spawnSync('npm', ['run', '--silent', 'grade', '--', '--hint', '1.1'], { cwd: dest, encoding: 'utf8' })
  assert.is(hint.status, 0, hint.stdout + hint.stderr)
  assert.match(hint.stdout, /^1\.1 strides/)
})

test.run()
