// The grader's core: run each exercise's graded uvu file in its own child process (with the import
// condition that picks which tree each #kata/* file comes from), score it from uvu's totals, and
// report as a table and as Gradescope's results.json. scripts/kata/grade.ts is the CLI around it.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { type Exercise, type Manifest, conditionFor } from './manifest.ts'
import { firstErrorLine, oneLine, parseUvuOutput } from './uvu_output.ts'

/**
 * isolated: each exercise's own file from exercises/, everything else from solutions/ (default);
 * all: everything from exercises/ (the capstone); reference: everything from solutions/.
 */
export type Mode = 'isolated' | 'all' | 'reference'

export const DEFAULT_TIMEOUT_SECONDS = 20
/** The machines this runs on have 2 cores; more children at once only makes timeouts likelier. */
export const DEFAULT_JOBS = 2

/** The --conditions a child runs with in each mode. */
export function conditionsFor(ex: Exercise, mode: Mode): string[] {
  if (mode === 'isolated') return [conditionFor(ex)]
  if (mode === 'all') return ['exercises']
  return []
}

export interface ChildResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: boolean
  seconds: number
}

export interface RunOptions {
  /** Working directory: the repository root, whose package.json "imports" resolves #kata/*. */
  root: string
  /** Test file, relative to root or absolute. */
  testFile: string
  conditions: string[]
  timeoutSeconds: number
  /** Output kept per stream; a test that prints forever must not exhaust the grader's memory. */
  maxOutputBytes?: number
}

// tsx resolved from here, not from the child's cwd, so fixture trees without node_modules work.
const TSX_LOADER = import.meta.resolve('tsx')

const running = new Set<ChildProcess>()

function killGroup(child: ChildProcess): void {
  // The child leads its own process group (detached), so this also ends anything it spawned.
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/** Kills every child still running (the CLI calls this on Ctrl-C: detached children miss it). */
export function killRunningChildren(): void {
  for (const child of running) killGroup(child)
}

/** A clean environment: no NODE_OPTIONS, coverage hooks or colours leak in from the caller. */
export function childEnv(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'SYSTEMROOT']) {
    if (from[key] !== undefined) env[key] = from[key]
  }
  // genkata's own settings (e.g. the backend choice) are meant to reach the library under test.
  for (const [key, value] of Object.entries(from)) if (key.startsWith('GENKATA_')) env[key] = value
  // Grading runs on the reference backend unless told otherwise: it is the one built from the
  // student's kernels (exercises 1.3, 4.1, 4.2); the fast cpu backend has kernels of its own.
  env.GENKATA_BACKEND ??= 'reference'
  env.FORCE_COLOR = '0'
  return env
}

/** Runs one uvu test file in a child process under the given import conditions and time limit. */
export function runTestFile(opts: RunOptions): Promise<ChildResult> {
  const max = opts.maxOutputBytes ?? 1 << 20
  const args = [...opts.conditions.map((c) => `--conditions=${c}`), '--import', TSX_LOADER, resolve(opts.root, opts.testFile)]
  const started = performance.now()
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd: opts.root,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    running.add(child)
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout!.on('data', (chunk: Buffer) => {
      if (stdout.length < max) stdout += chunk.toString()
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < max) stderr += chunk.toString()
    })
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child)
    }, opts.timeoutSeconds * 1000)
    const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      clearTimeout(timer)
      running.delete(child)
      if (error) stderr += `\n${error.name}: ${error.message}`
      done({ code, signal, stdout, stderr, timedOut, seconds: (performance.now() - started) / 1000 })
    }
    child.on('error', (err) => finish(null, null, err))
    child.on('close', (code, signal) => finish(code, signal))
  })
}

export interface ExerciseResult {
  id: string
  name: string
  title: string
  score: number
  maxScore: number
  /** passed | N of M failed | timed out after Ns | crashed (...) | no tests */
  status: string
  /** The same, as a value to branch on: did the tests run, and did they all pass? */
  outcome: 'passed' | 'failed' | 'timed out' | 'crashed' | 'no tests'
  /** The first failure (or crash line) in one line; '' when everything passed. */
  detail: string
  seconds: number
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}

/** Scores one child run: points * passed / (tests that ran + tests skipped). */
export function scoreResult(ex: Exercise, child: ChildResult, timeoutSeconds: number): ExerciseResult {
  const base = { id: ex.id, name: ex.name, title: ex.title, maxScore: ex.points, seconds: child.seconds }
  const zero = (outcome: ExerciseResult['outcome'], status: string, detail: string): ExerciseResult => ({ ...base, score: 0, status, outcome, detail })
  if (child.timedOut) {
    const summary = parseUvuOutput(child.stdout)
    return zero('timed out', `timed out after ${timeoutSeconds}s`, summary?.firstFailure ?? 'the test file did not finish: an infinite loop, or a promise that never settles?')
  }
  const summary = parseUvuOutput(child.stdout)
  const exit = child.signal ? `signal ${child.signal}` : `exit ${child.code}`
  if (!summary) {
    return zero('crashed', `crashed (${exit})`, firstErrorLine(child.stderr) ?? 'the test file ended without uvu totals (missing test.run()?)')
  }
  const { total, passed, skipped, firstFailure } = summary
  // Skipped tests earn nothing: a graded file with test.skip/test.only must not inflate a score.
  const all = total + skipped
  if (all === 0) return zero('no tests', 'no tests', 'the graded test file declares no tests')
  const failed = total - passed
  if (child.code !== 0 && failed === 0) {
    // Every test passed yet the process failed (say an unhandled rejection after the run).
    return zero('crashed', `crashed after the tests (${exit})`, firstErrorLine(child.stderr) ?? `all ${total} tests passed but the process ended with ${exit}`)
  }
  const score = round2((ex.points * passed) / all)
  const parts: string[] = []
  if (failed) parts.push(`${failed} of ${all} failed`)
  if (skipped) parts.push(`${skipped} of ${all} skipped`)
  const outcome = parts.length ? 'failed' : 'passed'
  return { ...base, score, status: parts.length ? parts.join(', ') : 'passed', outcome, detail: firstFailure ?? '' }
}

export interface GradeOptions {
  root: string
  manifest: Manifest
  mode: Mode
  /** Exercise ids or names; all exercises when empty or absent. */
  only?: string[]
  timeoutSeconds?: number
  jobs?: number
  /** Called as each exercise finishes (in completion order), e.g. for progress output. */
  onResult?: (result: ExerciseResult) => void
}

export interface GradeReport {
  mode: Mode
  results: ExerciseResult[]
  seconds: number
}

/** The exercises --only picks (by id or name), in manifest order; throws on an unknown one. */
export function selectExercises(manifest: Manifest, only: string[] = []): Exercise[] {
  if (only.length === 0) return manifest.exercises
  const unknown = only.filter((o) => !manifest.exercises.some((ex) => ex.id === o || ex.name === o))
  if (unknown.length) {
    const known = manifest.exercises.map((ex) => `${ex.id} ${ex.name}`).join(', ')
    throw new Error(`no exercise ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known: ${known}`)
  }
  return manifest.exercises.filter((ex) => only.includes(ex.id) || only.includes(ex.name))
}

/** Grades one exercise in a child process. */
export async function gradeExercise(ex: Exercise, opts: { root: string; mode: Mode; timeoutSeconds?: number }): Promise<ExerciseResult> {
  const timeoutSeconds = opts.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS
  if (!existsSync(resolve(opts.root, ex.test))) {
    return scoreResult(ex, { code: null, signal: null, stdout: '', stderr: `Error: graded test file ${ex.test} not found`, timedOut: false, seconds: 0 }, timeoutSeconds)
  }
  const child = await runTestFile({ root: opts.root, testFile: ex.test, conditions: conditionsFor(ex, opts.mode), timeoutSeconds })
  return scoreResult(ex, child, timeoutSeconds)
}

/** Grades the selected exercises, at most `jobs` child processes at once. */
export async function grade(opts: GradeOptions): Promise<GradeReport> {
  const started = performance.now()
  const exercises = selectExercises(opts.manifest, opts.only)
  const results: ExerciseResult[] = new Array(exercises.length)
  let next = 0
  const worker = async () => {
    while (next < exercises.length) {
      const i = next++
      results[i] = await gradeExercise(exercises[i]!, opts)
      opts.onResult?.(results[i]!)
    }
  }
  const jobs = Math.max(1, Math.min(opts.jobs ?? DEFAULT_JOBS, exercises.length))
  await Promise.all(Array.from({ length: jobs }, worker))
  return { mode: opts.mode, results, seconds: (performance.now() - started) / 1000 }
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2)
}

/** The table the CLI prints: id, exercise, points, status, first failure. */
export function formatTable(results: ExerciseResult[]): string {
  const rows = results.map((r) => [r.id, r.name, `${fmt(r.score)}/${fmt(r.maxScore)}`, r.status, r.detail])
  const score = results.reduce((s, r) => s + r.score, 0)
  const max = results.reduce((s, r) => s + r.maxScore, 0)
  const all = [['id', 'exercise', 'points', 'status', 'first failure'], ...rows, ['', 'total', `${fmt(round2(score))}/${fmt(max)}`, '', '']]
  const widths = [0, 1, 2, 3].map((c) => Math.max(...all.map((row) => row[c]!.length)))
  return all.map((row) => row.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell)).join('  ').trimEnd()).join('\n')
}

export interface GradescopeTest {
  name: string
  number: string
  score: number
  max_score: number
  status: 'passed' | 'failed'
  output: string
  visibility: 'visible'
}

export interface GradescopeResults {
  score: number
  tests: GradescopeTest[]
  execution_time: number
}

/** Gradescope's results.json (https://gradescope-autograders.readthedocs.io, "Output format"). */
export function toGradescope(report: GradeReport): GradescopeResults {
  return {
    score: round2(report.results.reduce((s, r) => s + r.score, 0)),
    tests: report.results.map((r) => {
      const full = r.outcome === 'passed'
      return {
        name: `${r.id} ${r.name}: ${r.title}`,
        number: r.id,
        score: r.score,
        max_score: r.maxScore,
        status: full ? 'passed' : 'failed',
        output: full ? 'all tests passed' : oneLine(`${r.status}. ${r.detail ? `First failure: ${r.detail}` : ''}`, 1000),
        visibility: 'visible',
      }
    }),
    execution_time: Math.round(report.seconds),
  }
}

/**
 * The exercises that break an expectation (--expect full|zero), one line each; [] when met.
 * "zero" also wants the tests to have run and failed: a crash or a timeout scores zero too, but
 * says nothing about whether the tests can fail on a stub (say, exercises/ was never generated).
 */
export function unmetExpectation(results: ExerciseResult[], expect: 'full' | 'zero'): string[] {
  return results
    .filter((r) => (expect === 'full' ? r.outcome !== 'passed' : r.outcome !== 'failed' || r.score !== 0))
    .map((r) => `${r.id} ${r.name}: scored ${fmt(r.score)}/${fmt(r.maxScore)} (${r.status})${r.detail ? `: ${r.detail}` : ''}`)
}
