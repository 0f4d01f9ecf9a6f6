// The Gradescope autograder: `npm run kata:autograder -- DIR` writes DIR (setup.sh, run_autograder,
// config.json and the trusted source: library, reference, pristine stubs, graded tests, grader)
// and DIR.zip. At grading time (autogradeSubmission, run by run_autograder) only the submission's
// exercises/**/*.ts are taken, laid over the trusted tree in each child's throwaway copy, and each
// exercise is graded alone on the reference for everything else. Nothing else the student sent is
// read: not their tests, not their package.json.
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import { planGeneration } from './generate.ts'
import { formatTable, grade, type GradeReport, toGradescope, type Visibility, VISIBILITIES } from './grade.ts'
import { loadManifest } from './manifest.ts'
import { writeZip, type ZipEntry } from './zip.ts'

const GRADER_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The trusted source the autograder carries (besides the freshly generated exercises/). */
const SOURCE = ['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'solutions', 'tests/graded', 'tests/helpers', 'scripts/kata/autograde.ts']

export interface AutograderConfig {
  /** Per exercise id or name, and `default`: 'visible' | 'after_due_date' | 'hidden' | 'after_published'. */
  visibility: Record<string, Visibility>
  timeoutSeconds: number
  jobs: number
}

export const DEFAULT_CONFIG: AutograderConfig = { visibility: { default: 'visible' }, timeoutSeconds: 60, jobs: 2 }

export function parseVisibility(specs: string[]): Record<string, Visibility> {
  const out: Record<string, Visibility> = { default: 'visible' }
  for (const spec of specs) {
    const [key, value] = spec.includes('=') ? spec.split('=', 2) as [string, string] : ['default', spec]
    if (!VISIBILITIES.includes(value as Visibility)) throw new Error(`--visibility ${spec}: expected ${VISIBILITIES.join(', ')}, optionally after "<id>="`)
    out[key] = value as Visibility
  }
  return out
}

export const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once, in /autograder/source, to build the image: Node 20 and the locked
# dependencies (npm ci installs exactly package-lock.json's versions).
set -euo pipefail
apt-get update
apt-get install -y ca-certificates curl gnupg
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
apt-get install -y nodejs
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
`

export const RUN_AUTOGRADER = `#!/usr/bin/env bash
# Gradescope runs this for each submission (it copies it to /autograder/run_autograder). It grades
# /autograder/submission's exercises/**/*.ts only and writes /autograder/results/results.json.
# AUTOGRADER_ROOT stands in for /autograder (tests run it in a temp dir).
set -euo pipefail
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
cd "$ROOT/source"
exec node --import tsx scripts/kata/autograde.ts --autograder-root "$ROOT"
`

export interface BuildReport {
  dir: string
  zip: string
  files: number
}

/** Writes the autograder folder `dir` and `dir`.zip from the repository at `root`. */
export function buildAutograder(root: string, dir: string, config: Partial<AutograderConfig> = {}): BuildReport {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`kata:autograder: ${dir} is not empty; give a new directory`)
  const plan = planGeneration(root)
  mkdirSync(dir, { recursive: true })
  for (const entry of SOURCE) {
    const from = join(root, entry)
    if (!existsSync(from)) continue
    mkdirSync(dirname(join(dir, entry)), { recursive: true })
    cpSync(from, join(dir, entry), { recursive: true, filter: (src) => !src.split('/').includes('node_modules') })
  }
  // The grader itself comes from here (the repository this code is in), whatever `root` holds.
  for (const entry of ['src/kata', 'scripts/kata/autograde.ts']) cpSync(join(GRADER_ROOT, entry), join(dir, entry), { recursive: true })
  for (const [path, text] of plan.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify({ ...DEFAULT_CONFIG, ...config }, null, 2)}\n`)
  writeFileSync(join(dir, 'setup.sh'), SETUP_SH)
  writeFileSync(join(dir, 'run_autograder'), RUN_AUTOGRADER)
  chmodSync(join(dir, 'setup.sh'), 0o755)
  chmodSync(join(dir, 'run_autograder'), 0o755)
  const entries: ZipEntry[] = []
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name
      const st = lstatSync(join(dir, path))
      if (st.isDirectory()) walk(path)
      else if (st.isFile()) entries.push({ name: path, data: readFileSync(join(dir, path)), mode: st.mode & 0o777 })
    }
  }
  walk('')
  const zip = `${dir.replace(/\/+$/, '')}.zip`
  writeFileSync(zip, writeZip(entries))
  return { dir, zip, files: entries.length }
}

const MAX_FILE_BYTES = 1 << 20

/**
 * The submission's exercise files, as repository-relative path -> text: regular .ts files under
 * its exercises/ folder (found at the top or up to three folders down, as a zip of the repository
 * may nest it). Links, other files and anything over 1 MiB are left out.
 */
export function submissionFiles(submission: string): { files: Map<string, string>; base: string | null; skipped: string[] } {
  const files = new Map<string, string>()
  const skipped: string[] = []
  const find = (dir: string, depth: number): string | null => {
    const candidate = join(dir, 'exercises')
    if (existsSync(candidate) && lstatSync(candidate).isDirectory()) return candidate
    if (depth === 0) return null
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (name === 'node_modules' || name.startsWith('.') || !lstatSync(path).isDirectory()) continue
      const found = find(path, depth - 1)
      if (found) return found
    }
    return null
  }
  const base = existsSync(submission) ? find(submission, 3) : null
  if (!base) return { files, base, skipped }
  const walk = (rel: string) => {
    for (const name of readdirSync(join(base, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name
      const st = lstatSync(join(base, path))
      if (st.isSymbolicLink()) skipped.push(`exercises/${path} (a link)`)
      else if (st.isDirectory()) walk(path)
      else if (!name.endsWith('.ts')) continue
      else if (st.size > MAX_FILE_BYTES) skipped.push(`exercises/${path} (over 1 MiB)`)
      else if (posix.normalize(path).startsWith('..')) skipped.push(`exercises/${path}`)
      else files.set(`exercises/${path}`, readFileSync(join(base, path), 'utf8'))
    }
  }
  walk('')
  return { files, base, skipped }
}

export interface AutogradeOptions {
  /** AUTOGRADER_ROOT: holds source/, submission/ and results/. */
  autograderRoot: string
  /** Progress and the table go here (Gradescope shows it to the instructor). */
  log?: (line: string) => void
}

/** Grades AUTOGRADER_ROOT/submission and writes AUTOGRADER_ROOT/results/results.json. */
export async function autogradeSubmission(opts: AutogradeOptions): Promise<GradeReport> {
  const log = opts.log ?? ((line: string) => console.log(line))
  const source = join(opts.autograderRoot, 'source')
  const configPath = join(source, 'config.json')
  const config: AutograderConfig = { ...DEFAULT_CONFIG, ...(existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) as Partial<AutograderConfig> : {}) }
  const manifest = loadManifest(source)
  const { files, base, skipped } = submissionFiles(join(opts.autograderRoot, 'submission'))
  log(base ? `submission: ${files.size} file(s) from ${base}` : 'submission: no exercises/ folder found; every exercise is graded as its untouched stub')
  for (const s of skipped) log(`  left out ${s}`)
  const report = await grade({ root: source, manifest, mode: 'isolated', timeoutSeconds: config.timeoutSeconds, jobs: config.jobs, overrides: files })
  const table = formatTable(report.results)
  log(table)
  // Written only now: every child, its process group and (as root) every process of its uid is gone.
  const results = toGradescope(report, { visibility: config.visibility })
  if (!base) results.output = `No exercises/ folder was found in the submission.\n\n${results.output}`
  mkdirSync(join(opts.autograderRoot, 'results'), { recursive: true })
  writeFileSync(join(opts.autograderRoot, 'results', 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  return report
}
