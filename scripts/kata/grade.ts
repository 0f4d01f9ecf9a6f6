// npm run grade [-- options]   grade the exercises; prints a table and writes Gradescope's results.json
//   (default)            isolated: each exercise's file from exercises/, the rest from solutions/
//   --all                everything from exercises/ (the capstone)
//   --reference          everything from solutions/ (CI: --reference --expect full)
//   --only <id|name>     grade only these (repeatable)
//   --timeout <seconds>  per exercise (default 20)
//   --jobs <n>           child processes at once (default 2)
//   --results <path>     where to write results.json (default results.json)
//   --expect full|zero   exit 1 unless every graded exercise scored full marks / zero
//   --root <dir>         the repository to grade (default: the one this script is in; tests use it)
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  DEFAULT_JOBS, DEFAULT_TIMEOUT_SECONDS, formatTable, grade, killRunningChildren, type Mode, toGradescope, unmetExpectation,
} from '../../src/kata/grade.ts'
import { loadManifest } from '../../src/kata/manifest.ts'

const USAGE = 'usage: npm run grade -- [--all | --reference] [--only <id|name>]... [--timeout <s>] [--jobs <n>] [--results <path>] [--expect full|zero] [--root <dir>]'

function fail(message: string): never {
  console.error(`grade: ${message}\n${USAGE}`)
  process.exit(2)
}

let root = fileURLToPath(new URL('../..', import.meta.url))
let mode: Mode = 'isolated'
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
    if (mode !== 'isolated') fail('--all and --reference exclude each other')
    mode = arg === '--all' ? 'all' : 'reference'
  } else if (arg === '--only') only.push(...value().split(',').filter(Boolean))
  else if (arg === '--timeout') timeoutSeconds = positive(value())
  else if (arg === '--jobs') jobs = Math.floor(positive(value()))
  else if (arg === '--results') resultsPath = value()
  else if (arg === '--root') root = resolve(value())
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

let report
try {
  const manifest = loadManifest(root)
  const from = { isolated: 'each exercise alone from exercises/', all: 'everything from exercises/', reference: 'solutions/ (reference)' }[mode]
  console.log(`grading ${only.length ? only.join(', ') : `${manifest.exercises.length} exercises`}: ${from}, ${jobs} at a time, ${timeoutSeconds}s each\n`)
  report = await grade({ root, manifest, mode, only, timeoutSeconds, jobs })
} catch (err) {
  console.error(`grade: ${(err as Error).message}`)
  process.exit(1)
}

console.log(formatTable(report.results))
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
