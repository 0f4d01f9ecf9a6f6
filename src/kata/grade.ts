// The grader's core: run each exercise's graded uvu file in its own child process (with the import
// condition that picks which tree each #kata/* file comes from) on a throwaway copy of the tree,
// score it from what the harness reports over its private channel (never from what the child
// prints), and report as a table and as Gradescope's results.json. scripts/kata/grade.ts is the CLI.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { oneLine } from './format.ts'
import { forbiddenImports } from './imports_check.ts'
import { type Exercise, type Manifest, conditionFor } from './manifest.ts'
import { type ChannelReport, parseChannel } from './protocol.ts'
import { CHILD_HARNESS_DIR, canDropPrivileges, freshUid, killAll, makeChildTree, pidsOfUid, pidsWithEnvMarker, removeChildTree, type Snapshot, snapshotTree } from './sandbox.ts'
import { firstErrorLine } from './uvu_output.ts'

/**
 * isolated: each exercise's own file from exercises/, everything else from solutions/ (default);
 * all: everything from exercises/ (the capstone, and the student edition, which has no solutions/);
 * reference: everything from solutions/.
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
  /** What the harness reported over its channel (the only thing scores come from). */
  channel: ChannelReport
}

export interface RunOptions {
  /** Working directory: the child's tree, whose package.json "imports" resolves #kata/*. */
  root: string
  /** Test file, relative to root or absolute. */
  testFile: string
  conditions: string[]
  timeoutSeconds: number
  /** Output kept per stream; a test that prints forever must not exhaust the grader's memory. */
  maxOutputBytes?: number
  /** Run the child as this uid and gid (the grader must be root); every process left with it is killed. */
  uid?: number
}

// tsx resolved from here, not from the child's cwd, so fixture trees without node_modules work.
const TSX_LOADER = import.meta.resolve('tsx')
const HARNESS = fileURLToPath(new URL('./harness/child.ts', import.meta.url))

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

/**
 * Runs one graded test file in a child process through the harness (src/kata/harness/child.ts):
 * a fresh secret on its stdin, its reports on fd 3. Resolves once the child, its process group and
 * (as root) every process of its uid are gone, so nothing it started can act after grading.
 */
export function runTestFile(opts: RunOptions): Promise<ChildResult> {
  const max = opts.maxOutputBytes ?? 1 << 20
  const secret = randomBytes(24).toString('hex')
  const marker = `GENKATA_GRADE_RUN=${randomBytes(8).toString('hex')}`
  const own = join(opts.root, CHILD_HARNESS_DIR, 'harness', 'child.ts')
  const args = [...opts.conditions.map((c) => `--conditions=${c}`), '--import', TSX_LOADER, existsSync(own) ? own : HARNESS, resolve(opts.root, opts.testFile)]
  const env = { ...childEnv(), [marker.split('=')[0]!]: marker.split('=')[1]! }
  if (opts.uid !== undefined) env.HOME = '/nonexistent'
  const started = performance.now()
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd: opts.root,
      env,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    })
    running.add(child)
    let stdout = ''
    let stderr = ''
    let channel = ''
    let timedOut = false
    child.stdin!.on('error', () => {})
    child.stdin!.end(`${secret}\n`)
    child.stdout!.on('data', (chunk: Buffer) => {
      if (stdout.length < max) stdout += chunk.toString()
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < max) stderr += chunk.toString()
    })
    const report = child.stdio[3] as NodeJS.ReadableStream
    report.on('data', (chunk: Buffer) => {
      if (channel.length < 4 * max) channel += chunk.toString()
    })
    report.on('error', () => {})
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child)
    }, opts.timeoutSeconds * 1000)
    let exited: { code: number | null; signal: NodeJS.Signals | null; error?: Error } | null = null
    let finished = false
    let swept = false
    let closed = false
    const finish = () => {
      if (finished || !exited || !swept) return
      finished = true
      clearTimeout(timer)
      running.delete(child)
      for (const stream of [child.stdout, child.stderr, report]) (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.()
      if (exited.error) stderr += `\n${exited.error.name}: ${exited.error.message}`
      done({ code: exited.code, signal: exited.signal, stdout, stderr, timedOut, seconds: (performance.now() - started) / 1000, channel: parseChannel(channel, secret) })
    }
    const onExit = async (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (exited) return
      exited = { code, signal, ...(error ? { error } : {}) }
      // Whatever the child left running goes before anything is scored or written.
      killGroup(child)
      await killAll(() => (opts.uid !== undefined ? pidsOfUid(opts.uid) : pidsWithEnvMarker(marker)))
      swept = true
      // The pipes close once every holder is gone; a stray holder cannot keep grading waiting.
      if (closed) finish()
      else setTimeout(finish, 2000).unref()
    }
    child.on('error', (err) => void onExit(null, null, err))
    child.on('exit', (code, signal) => void onExit(code, signal))
    child.on('close', () => {
      closed = true
      finish()
    })
  })
}

export interface ExerciseResult {
  id: string
  name: string
  title: string
  score: number
  maxScore: number
  /** passed | not started | N of M failed | blocked | timed out after Ns | crashed (...) | no tests | refused */
  status: string
  /** The same, as a value to branch on: did the tests run, and did they all pass? */
  outcome: 'passed' | 'failed' | 'not started' | 'timed out' | 'crashed' | 'no tests' | 'refused'
  /** The first failure (or crash line) in one line; '' when everything passed or nothing started. */
  detail: string
  /** Every failure in full (multi-line): what results.json shows. */
  output: string
  seconds: number
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}

/** A test named "... [x3]" weighs 3; any other weighs 1. */
export function testWeight(name: string): number {
  const m = /\s\[x([1-9]\d*)\]$/.exec(name)
  return m ? Number(m[1]) : 1
}

export interface ScoreContext {
  timeoutSeconds: number
  /** id -> name of every exercise, to name the unfinished one a test tripped over. */
  names?: Map<string, string>
}

/**
 * Scores one child run from its channel report: points * (weight of passed tests) / (weight of
 * all tests, skipped ones included). A run that did not report "done" (a crash, process.exit in
 * the code under test, a timeout) scores 0.
 */
export function scoreResult(ex: Exercise, child: ChildResult, ctx: ScoreContext): ExerciseResult {
  const base = { id: ex.id, name: ex.name, title: ex.title, maxScore: ex.points, seconds: child.seconds }
  const zero = (outcome: ExerciseResult['outcome'], status: string, detail: string, output = detail): ExerciseResult => ({ ...base, score: 0, status, outcome, detail: oneLine(detail), output })
  const { channel } = child
  const exit = child.signal ? `signal ${child.signal}` : `exit ${child.code}`
  const label = (t: { suite: string; name: string }) => (t.suite ? `${t.suite} > "${t.name}"` : `"${t.name}"`)
  const needs = (id: string) => `exercise ${id}${ctx.names?.get(id) ? ` (${ctx.names.get(id)})` : ''}`
  const errorText = (t: { error?: string | undefined; notImplemented?: string | undefined }) =>
    t.notImplemented === undefined ? t.error ?? '' : t.notImplemented === ex.id ? `exercise ${ex.id} is not implemented yet (its stub still throws)` : `needs ${needs(t.notImplemented)} first: it is not implemented yet`
  if (child.timedOut) {
    const failed = channel.tests.find((t) => t.outcome === 'failed')
    return zero('timed out', `timed out after ${ctx.timeoutSeconds}s`, failed ? `${label(failed)}: ${errorText(failed)}` : 'the test file did not finish: an infinite loop, or a promise that never settles?')
  }
  if (channel.crash) {
    const c = channel.crash
    // A stub that throws while the graded file loads: untouched (its own) or blocked (another's).
    if (c.notImplemented === ex.id) return { ...zero('not started', 'not started', ''), output: 'not started: the graded file stopped at the stub while loading' }
    if (c.notImplemented !== undefined) return zero('failed', 'blocked', `the graded file could not load: needs ${needs(c.notImplemented)} first`)
    return zero('crashed', `crashed (${exit})`, `the graded file could not load: ${c.error}`)
  }
  if (!channel.done) {
    const why = firstErrorLine(child.stderr) ?? 'the tests did not finish: does the code under test call process.exit?'
    return zero('crashed', `crashed (${exit})`, why, `${why}\n${child.stderr.slice(-2000)}`)
  }
  const tests = channel.tests
  const all = tests.reduce((s, t) => s + testWeight(t.name), 0)
  if (all === 0) return zero('no tests', 'no tests', 'the graded test file declares no tests')
  const passed = tests.filter((t) => t.outcome === 'passed')
  const failed = tests.filter((t) => t.outcome === 'failed')
  const skipped = tests.filter((t) => t.outcome === 'skipped')
  const notes = channel.ignored.length ? [`ignored ${channel.ignored.length} test declaration(s) made outside the graded file: ${channel.ignored.slice(0, 3).join(', ')}`] : []
  // Untouched: nothing passed and every failure is this exercise's own stub.
  if (passed.length === 0 && failed.length > 0 && failed.every((t) => t.notImplemented === ex.id)) {
    return { ...zero('not started', 'not started', ''), output: ['not started: every test stopped at the stub', ...notes].join('\n') }
  }
  const score = round2((ex.points * passed.reduce((s, t) => s + testWeight(t.name), 0)) / all)
  const parts: string[] = []
  if (failed.length) parts.push(`${failed.length} of ${tests.length} failed`)
  if (skipped.length) parts.push(`${skipped.length} of ${tests.length} skipped`)
  // Tripping over another unfinished exercise says so first: that is the one to fix.
  const blocked = failed.find((t) => t.notImplemented !== undefined && t.notImplemented !== ex.id)
  const first = blocked ?? failed[0]
  const detail = first ? `${label(first)}: ${errorText(first)}` : ''
  const output = [
    parts.length ? parts.join(', ') : 'all tests passed',
    ...failed.map((t) => `FAILED ${label(t)}: ${errorText(t)}`),
    ...skipped.map((t) => `SKIPPED ${label(t)}`),
    ...notes,
  ].join('\n')
  return { ...base, score, status: parts.length ? parts.join(', ') : 'passed', outcome: parts.length ? 'failed' : 'passed', detail: oneLine(detail), output }
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
  /** Run children as a uid of their own when the grader is root (default: whenever possible). */
  dropPrivileges?: boolean
  /** Repository-relative path -> text laid over every child's copy (a submission's files). */
  overrides?: Map<string, string>
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

export interface GradeExerciseOptions {
  /** The trusted tree: repository root (or the autograder's source). */
  root: string
  mode: Mode
  timeoutSeconds?: number
  /** Repository-relative path -> text written over the child's copy (a mutant's exercise file). */
  overrides?: Map<string, string>
  /** Run children as a uid of their own when the grader is root (default: whenever possible). */
  dropPrivileges?: boolean
  names?: Map<string, string>
  /** The trusted tree as read before the first child ran (grade() shares one among all). */
  snapshot?: Snapshot
}

/** The folders of the graded test files that lie inside root, for the snapshot. */
function testFolders(exercises: Exercise[], root: string): string[] {
  const base = `${resolve(root)}/`
  return exercises.map((ex) => resolve(root, ex.test)).filter((p) => p.startsWith(base)).map((p) => p.slice(base.length, p.lastIndexOf('/')))
}

/**
 * Grades one exercise in a child process, on a fresh copy of the tree that lacks the exercise's
 * own reference solution (in isolated mode), after refusing an exercise file that imports from
 * solutions/ or tests/.
 */
export async function gradeExercise(ex: Exercise, opts: GradeExerciseOptions): Promise<ExerciseResult> {
  const timeoutSeconds = opts.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS
  const ctx = { timeoutSeconds, names: opts.names }
  const noRun = (stderr: string): ChildResult => ({ code: null, signal: null, stdout: '', stderr, timedOut: false, seconds: 0, channel: parseChannel('', '-') })
  if (!existsSync(resolve(opts.root, ex.test))) return scoreResult(ex, noRun(`Error: graded test file ${ex.test} not found`), ctx)
  if (opts.mode !== 'reference') {
    const bad = forbiddenImports(opts.root, `exercises/${ex.file}.ts`, opts.overrides)
    if (bad.length) {
      const why = `refused: ${bad[0]} (an exercise may import only your own files, the library and '#kata/...'; solutions/ and tests/ are off limits)`
      return { id: ex.id, name: ex.name, title: ex.title, score: 0, maxScore: ex.points, status: 'refused', outcome: 'refused', detail: oneLine(why), output: [why, ...bad.slice(1)].join('\n'), seconds: 0 }
    }
  }
  const drop = (opts.dropPrivileges ?? true) && canDropPrivileges()
  const testPath = resolve(opts.root, ex.test)
  const inside = testPath.startsWith(`${resolve(opts.root)}/`)
  const tree = makeChildTree({
    snapshot: opts.snapshot ?? snapshotTree(resolve(opts.root), testFolders([ex], opts.root)),
    // The child resolves this exercise from exercises/, so its reference is never needed there.
    omit: opts.mode === 'isolated' ? [`solutions/${ex.file}.ts`] : [],
    ...(opts.overrides ? { overrides: opts.overrides } : {}),
    readOnlyForOthers: drop,
  })
  try {
    const child = await runTestFile({
      root: tree, testFile: inside ? testPath.slice(resolve(opts.root).length + 1) : testPath, conditions: conditionsFor(ex, opts.mode), timeoutSeconds,
      ...(drop ? { uid: freshUid() } : {}),
    })
    return scoreResult(ex, child, ctx)
  } finally {
    removeChildTree(tree)
  }
}

/** Grades the selected exercises, at most `jobs` child processes at once. */
export async function grade(opts: GradeOptions): Promise<GradeReport> {
  const started = performance.now()
  const exercises = selectExercises(opts.manifest, opts.only)
  const names = new Map(opts.manifest.exercises.map((e) => [e.id, e.name]))
  const snapshot = snapshotTree(resolve(opts.root), testFolders(exercises, opts.root))
  const results: ExerciseResult[] = new Array(exercises.length)
  let next = 0
  const worker = async () => {
    while (next < exercises.length) {
      const i = next++
      results[i] = await gradeExercise(exercises[i]!, { ...opts, names, snapshot })
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

export type Visibility = 'visible' | 'after_due_date' | 'hidden' | 'after_published'
export const VISIBILITIES: readonly Visibility[] = ['visible', 'after_due_date', 'hidden', 'after_published']

export interface GradescopeTest {
  name: string
  number: string
  score: number
  max_score: number
  status: 'passed' | 'failed'
  output: string
  visibility: Visibility
}

export interface GradescopeResults {
  score: number
  /** The table, as the student sees it on top of the results page. */
  output: string
  tests: GradescopeTest[]
  execution_time: number
}

export interface GradescopeOptions {
  /** Visibility per exercise id or name; `default` for the rest (default: 'visible'). */
  visibility?: Record<string, Visibility>
}

/** Gradescope's results.json (https://gradescope-autograders.readthedocs.io, "Output format"). */
export function toGradescope(report: GradeReport, opts: GradescopeOptions = {}): GradescopeResults {
  const vis = opts.visibility ?? {}
  return {
    score: round2(report.results.reduce((s, r) => s + r.score, 0)),
    output: formatTable(report.results),
    tests: report.results.map((r) => {
      const full = r.outcome === 'passed'
      return {
        name: `${r.id} ${r.name}: ${r.title}`,
        number: r.id,
        score: r.score,
        max_score: r.maxScore,
        status: full ? 'passed' : 'failed',
        output: full ? 'all tests passed' : r.output.slice(0, 20_000),
        visibility: vis[r.id] ?? vis[r.name] ?? vis.default ?? 'visible',
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
    .filter((r) => (expect === 'full' ? r.outcome !== 'passed' : !(r.outcome === 'failed' || r.outcome === 'not started') || r.score !== 0))
    .map((r) => `${r.id} ${r.name}: scored ${fmt(r.score)}/${fmt(r.maxScore)} (${r.status})${r.detail ? `: ${r.detail}` : ''}`)
}
