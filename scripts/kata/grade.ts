// npm run grade [-- options]   grade the exercises; prints a table and writes Gradescope's results.json
//   (default)            isolated: each exercise's file from exercises/, the rest from solutions/
//                        (in the student edition, which has no solutions/: --all)
//   --all                everything from exercises/ (the capstone)
//   --reference          everything from solutions/ (CI: --reference --expect full)
//   --only <id|name>     grade only these (repeatable)
//   --timeout <seconds>  per exercise (default 20)
//   --jobs <n>           child processes at once (default 2)
//   --results <path>     where to write results.json (default results.json)
//   --expect full|zero   exit 1 unless every graded exercise scored full marks / zero
//   --hint <id|name>     print the exercise's second hints and stop
//   --no-typecheck       skip the type check that runs first (its errors are shown, never scored)
//   --root <dir>         the repository to grade (default: the one this script is in; tests use it)
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  DEFAULT_JOBS, DEFAULT_TIMEOUT_SECONDS, formatTable, grade, killRunningChildren, type Mode, toGradescope, unmetExpectation,
} from '../../src/kata/grade.ts'
import { loadManifest, MANIFEST_PATH } from '../../src/kata/manifest.ts'
import { typecheck } from '../../src/kata/typecheck.ts'

const USAGE = 'usage: npm run grade -- [--all | --reference] [--only <id|name>]... [--hint <id|name>] [--timeout <s>] [--jobs <n>] [--results <path>] [--expect full|zero] [--no-typecheck] [--root <dir>]'

function fail(message: string): never {
  console.error(`grade: ${message}\n${USAGE}`)
  process.exit(2)
}

let root = fileURLToPath(new URL('../..', import.meta.url))
let mode: Mode | undefined
let hint: string | undefined
let check = true
const only: string[] = []
let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS
let jobs = DEFAULT_JOBS
let resultsPath = 'results.json'
let expect: 'full' | 'zero' | undefined

const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!
  const value = () => args[++i] ?? fail(`${arg} needs a value`)
  const positive = (v: string) => {
    const n = Number(v)
    return Number.isFinite(n) && n > 0 ? n : fail(`${arg} needs a positive number, got ${v}`)
  }
  if (arg === '--all' || arg === '--reference') {
    if (mode !== undefined) fail('--all and --reference exclude each other')
    mode = arg === '--all' ? 'all' : 'reference'
  } else if (arg === '--only') only.push(...value().split(',').filter(Boolean))
  else if (arg === '--timeout') timeoutSeconds = positive(value())
  else if (arg === '--jobs') jobs = Math.floor(positive(value()))
  else if (arg === '--results') resultsPath = value()
  else if (arg === '--root') root = resolve(value())
  else if (arg === '--hint') hint = value()
  else if (arg === '--no-typecheck') check = false
  else if (arg === '--expect') {
    const v = value()
    if (v !== 'full' && v !== 'zero') fail(`--expect takes full or zero, got ${v}`)
    expect = v
  } else if (arg === '--help' || arg === '-h') {
    console.log(USAGE)
    process.exit(0)
  } else fail(`unknown argument ${arg}`)
}

// Children lead their own process groups, so Ctrl-C would not reach them: pass it on.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killRunningChildren()
    process.exit(130)
  })
}

if (hint !== undefined) {
  try {
    const manifest = loadManifest(root)
    const ex = manifest.exercises.find((e) => e.id === hint || e.name === hint)
    if (!ex) fail(`no exercise ${JSON.stringify(hint)}; known: ${manifest.exercises.map((e) => e.id).join(', ')}`)
    const file = join(root, 'exercises', 'hints.json')
    const hints = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>)[ex.id] ?? []) : []
    if (hints.length === 0) console.log(`${ex.id} ${ex.name} has no second hint: its first hint is the TODO comment in exercises/${ex.file}.ts`)
    else console.log(`${ex.id} ${ex.name}, second hint${hints.length > 1 ? 's' : ''}:\n${hints.map((h) => `  - ${h}`).join('\n')}`)
    process.exit(0)
  } catch (err) {
    console.error(`grade: ${(err as Error).message}`)
    process.exit(1)
  }
}

// Without solutions/ (the student edition) there is no reference to grade against: the whole tree.
const gradeMode: Mode = mode ?? (existsSync(join(root, MANIFEST_PATH)) ? 'isolated' : 'all')

let report
let typeErrors: Awaited<ReturnType<typeof typecheck>> = null
try {
  const manifest = loadManifest(root)
  const from = { isolated: 'each exercise alone from exercises/', all: 'everything from exercises/', reference: 'solutions/ (reference)' }[gradeMode]
  console.log(`grading ${only.length ? only.join(', ') : `${manifest.exercises.length} exercises`}: ${from}, ${jobs} at a time, ${timeoutSeconds}s each\n`)
  // The type check runs beside the grading: it takes seconds and only adds lines to read.
  const checked = check && gradeMode !== 'reference' ? typecheck(root) : Promise.resolve(null)
  report = await grade({ root, manifest, mode: gradeMode, only, timeoutSeconds, jobs })
  const graded = new Set(report.results.map((r) => `exercises/${manifest.exercises.find((e) => e.id === r.id)!.file}.ts`))
  typeErrors = await checked
  if (typeErrors) for (const file of [...typeErrors.keys()]) if (!graded.has(file)) typeErrors.delete(file)
} catch (err) {
  console.error(`grade: ${(err as Error).message}`)
  process.exit(1)
}

console.log(formatTable(report.results))
if (typeErrors?.size) {
  console.log('\ntype errors (shown, not scored; the first in each file):')
  for (const e of typeErrors.values()) console.log(`  ${e.file}:${e.line}:${e.column}: ${e.message}`)
}
writeFileSync(resultsPath, `${JSON.stringify(toGradescope(report), null, 2)}\n`)
console.log(`\nwrote ${resultsPath} (${report.seconds.toFixed(1)}s)`)

if (expect) {
  const unmet = unmetExpectation(report.results, expect)
  if (unmet.length) {
    console.error(`\nexpected ${expect === 'full' ? 'full marks' : 'zero'} on every exercise; these did not:\n  ${unmet.join('\n  ')}`)
    process.exit(1)
  }
  console.log(`every exercise scored ${expect === 'full' ? 'full marks' : 'zero'}, as expected`)
}
