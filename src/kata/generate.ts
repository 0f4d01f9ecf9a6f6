// The exercise generator's core: solutions/ (with BEGIN/END SOLUTION regions) -> exercises/ (each
// region replaced by a NotImplementedError throw), plus package.json's "imports" field that lets
// the same library code load either tree. Everything takes the repository root as an argument so
// the tests can run it on fixture trees; scripts/kata/generate.ts is the CLI around it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import { type Exercise, type Manifest, conditionFor, loadManifest, MANIFEST_PATH } from './manifest.ts'

export const NOT_IMPLEMENTED_MODULE = 'src/kata/not_implemented.ts'

/** Thrown with every problem found (not just the first), each as "file:line: message". */
export class GenerateError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`kata:generate found ${problems.length} problem(s):\n  ${problems.join('\n  ')}`)
    this.name = 'GenerateError'
    this.problems = problems
  }
}

// Markers must sit alone on their line; anything else that mentions them is reported as malformed
// rather than silently left in a student's file with the solution inside.
const BEGIN = /^(\s*)\/\/\s*BEGIN SOLUTION\b(.*)$/
const END = /^\s*\/\/\s*END SOLUTION\s*$/
const HINT = /^\s+hint:\s*(\S.*?)\s*$/
const MENTION = /\b(BEGIN|END) SOLUTION\b/
// A second hint, for a student who is stuck: the comment line right after a BEGIN SOLUTION line.
// It sits inside the region, so it never reaches the stub; `npm run grade -- --hint ID` shows it.
const HINT2 = /^\s*\/\/\s*HINT 2:\s*(\S.*?)\s*$/

/** Where kata:generate collects every exercise's second hints (the student edition carries it). */
export const HINTS_PATH = 'exercises/hints.json'

/** The second hints of one solution file, in order (one per region at most). */
export function secondHints(source: string): string[] {
  const lines = source.split(/\r?\n/)
  const hints: string[] = []
  lines.forEach((line, i) => {
    if (!BEGIN.test(line)) return
    const next = HINT2.exec(lines[i + 1] ?? '')
    if (next) hints.push(next[1]!)
  })
  return hints
}

export interface StubOptions {
  /** The exercise id every throw carries. */
  id: string
  /** The solution's repository-relative path, for the header and error messages. */
  solutionPath: string
  /** Specifier of not_implemented.ts as seen from the generated file. */
  importSpecifier: string
}

/** A single-quoted TypeScript string literal for any text (hints come from one source line). */
export function stringLiteral(s: string): string {
  const escapes: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\u2028': '\\u2028', '\u2029': '\\u2029' }
  return `'${s.replace(/[\\'\n\r\u2028\u2029]/g, (c) => escapes[c]!)}'`
}

// Where a top-level import statement starts, and the line on which it ends (the one carrying the
// module specifier); handles `import {\n a,\n} from 'x'` as well as one-line imports.
const IMPORT_START = /^import(\s|\{|\*|')/
const IMPORT_END = /['"][^'"]*['"]\s*(with\s*\{[^}]*\}\s*)?;?\s*(\/\/.*)?$/
const SPECIFIER = /(?:^import\s.*?from\s*|^import\s*|^export\s.*?from\s*|^\}\s*from\s*)['"]([^'"]+)['"]/

/**
 * Turns one solution file's text into the exercise file's text. Throws GenerateError naming
 * file:line for unbalanced or nested markers, a region without a hint, or a file with no region.
 */
export function stubSource(source: string, opts: StubOptions): string {
  const lines = source.split(/\r?\n/)
  const out: string[] = []
  const problems: string[] = []
  const at = (i: number) => `${opts.solutionPath}:${i + 1}`
  let open: { line: number } | null = null
  let regions = 0
  let lastImportEnd = -1 // index in `out` after which the NotImplementedError import goes
  let inImport = false

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const begin = BEGIN.exec(line)
    if (begin) {
      if (open) problems.push(`${at(i)}: nested BEGIN SOLUTION (the region opened at line ${open.line + 1} is not closed)`)
      const hint = HINT.exec(begin[2]!)
      if (!hint) problems.push(`${at(i)}: BEGIN SOLUTION needs a one-line hint: "// BEGIN SOLUTION hint: <text>"`)
      const indent = begin[1]!
      const text = hint?.[1] ?? ''
      if (!open) {
        out.push(`${indent}// TODO(${opts.id}): ${text}`)
        out.push(`${indent}throw new NotImplementedError(${stringLiteral(opts.id)}, ${stringLiteral(text)})`)
      }
      open = { line: i }
      regions++
      continue
    }
    if (END.test(line)) {
      if (!open) problems.push(`${at(i)}: END SOLUTION without a matching BEGIN SOLUTION`)
      open = null
      continue
    }
    if (MENTION.test(line)) {
      problems.push(`${at(i)}: malformed marker; write "// BEGIN SOLUTION hint: <text>" or "// END SOLUTION" alone on the line`)
      continue
    }
    // A second hint anywhere else would be lost (inside a region) or shown in the stub (outside).
    if (HINT2.test(line) && !BEGIN.test(lines[i - 1] ?? '')) {
      problems.push(`${at(i)}: "// HINT 2: ..." must be the line right after a BEGIN SOLUTION line`)
      continue
    }
    if (open) continue // inside a region: the solution code is dropped

    // Track imports (outside regions only) to place ours after the last one, and refuse relative
    // imports into solutions/: in exercises/ they would load another exercise's stub directly,
    // bypassing the #kata/* indirection that grading relies on.
    if (IMPORT_START.test(line)) inImport = true
    if (inImport || /^export\s.*\sfrom\s/.test(line)) {
      const spec = SPECIFIER.exec(line)?.[1]
      if (spec?.startsWith('.')) {
        const target = posix.join(posix.dirname(opts.solutionPath), spec)
        if (target.startsWith('solutions/')) {
          problems.push(`${at(i)}: relative import '${spec}' reaches into solutions/; import exercise code through '#kata/...' instead`)
        }
      }
    }
    out.push(line)
    if (inImport && IMPORT_END.test(line)) {
      inImport = false
      lastImportEnd = out.length - 1
    }
  }
  if (open) problems.push(`${at(open.line)}: BEGIN SOLUTION has no matching END SOLUTION`)
  if (regions === 0 && problems.length === 0) {
    problems.push(`${opts.solutionPath}:1: no BEGIN SOLUTION region; every exercise file in ${MANIFEST_PATH} needs at least one`)
  }
  if (problems.length) throw new GenerateError(problems)

  const importLine = `import { NotImplementedError } from ${stringLiteral(opts.importSpecifier)}`
  if (lastImportEnd >= 0) {
    out.splice(lastImportEnd + 1, 0, importLine)
  } else {
    // No imports: after the file's leading comment block, so its doc comment stays on top.
    let k = 0
    while (k < out.length && /^\s*\/\//.test(out[k]!)) k++
    out.splice(k, 0, importLine, ...(out[k]?.trim() ? [''] : []))
  }
  const header = [
    `// GENERATED from ${opts.solutionPath} by \`npm run kata:generate\`: do not edit`,
    '// this file in the genkata repository (edit the solution, then regenerate).',
    '// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.',
    '',
  ]
  return [...header, ...out].join('\n')
}

/** package.json "imports": the #kata/* pattern plus one exact entry per exercise file. */
export function importsField(manifest: Manifest): Record<string, Record<string, string>> {
  const field: Record<string, Record<string, string>> = {
    '#kata/*': { exercises: './exercises/*.ts', default: './solutions/*.ts' },
  }
  for (const ex of manifest.exercises) {
    // Exact keys win over patterns in Node, so `--conditions=ex-<name>` swaps in only this file.
    field[`#kata/${ex.file}`] = {
      [conditionFor(ex)]: `./exercises/${ex.file}.ts`,
      exercises: `./exercises/${ex.file}.ts`,
      default: `./solutions/${ex.file}.ts`,
    }
  }
  return field
}

export interface Plan {
  manifest: Manifest
  /** Repository-relative path (exercises/...) -> generated text, HINTS_PATH included. */
  files: Map<string, string>
  imports: Record<string, Record<string, string>>
}

function exercisePath(ex: Exercise): string {
  return `exercises/${ex.file}.ts`
}

/** Computes everything the generator would write, without writing; throws GenerateError. */
export function planGeneration(root: string): Plan {
  const manifest = loadManifest(root)
  const files = new Map<string, string>()
  const hints: Record<string, string[]> = {}
  const problems: string[] = []
  for (const ex of manifest.exercises) {
    const solutionPath = `solutions/${ex.file}.ts`
    const full = join(root, solutionPath)
    if (!existsSync(full)) {
      problems.push(`${solutionPath}:1: missing (listed in ${MANIFEST_PATH} for exercise ${ex.id} ${ex.name})`)
      continue
    }
    const target = exercisePath(ex)
    let specifier = posix.relative(posix.dirname(target), NOT_IMPLEMENTED_MODULE)
    if (!specifier.startsWith('.')) specifier = `./${specifier}`
    try {
      const source = readFileSync(full, 'utf8')
      files.set(target, stubSource(source, { id: ex.id, solutionPath, importSpecifier: specifier }))
      hints[ex.id] = secondHints(source)
    } catch (err) {
      if (err instanceof GenerateError) problems.push(...err.problems)
      else throw err
    }
  }
  if (problems.length) throw new GenerateError(problems)
  files.set(HINTS_PATH, `${JSON.stringify(hints, null, 2)}\n`)
  return { manifest, files, imports: importsField(manifest) }
}

/** Every .ts file under exercises/, repository-relative. */
function existingExerciseFiles(root: string): string[] {
  const found: string[] = []
  const walk = (rel: string) => {
    const dir = join(root, rel)
    if (!existsSync(dir)) return
    for (const name of readdirSync(dir).sort()) {
      const child = `${rel}/${name}`
      if (statSync(join(root, child)).isDirectory()) walk(child)
      else if (name.endsWith('.ts')) found.push(child)
    }
  }
  walk('exercises')
  return found
}

function readPackageJson(root: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>
}

/** What --check reports: one line per stale, missing or extra file, and a stale imports field. */
export function checkGeneration(root: string): string[] {
  const plan = planGeneration(root)
  const problems: string[] = []
  for (const [path, text] of plan.files) {
    const full = join(root, path)
    if (!existsSync(full)) problems.push(`missing: ${path}`)
    else if (readFileSync(full, 'utf8') !== text) problems.push(`stale: ${path}`)
  }
  for (const path of existingExerciseFiles(root)) {
    if (!plan.files.has(path)) problems.push(`extra: ${path} (not generated from ${MANIFEST_PATH})`)
  }
  if (JSON.stringify(readPackageJson(root).imports) !== JSON.stringify(plan.imports)) {
    problems.push('stale: package.json "imports" field')
  }
  return problems
}

export interface WriteReport {
  written: string[]
  removed: string[]
  importsUpdated: boolean
}

/** Regenerates exercises/ and package.json "imports"; writes only files whose text changes. */
export function writeGeneration(root: string): WriteReport {
  const plan = planGeneration(root)
  const report: WriteReport = { written: [], removed: [], importsUpdated: false }
  for (const [path, text] of plan.files) {
    const full = join(root, path)
    if (existsSync(full) && readFileSync(full, 'utf8') === text) continue
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, text)
    report.written.push(path)
  }
  for (const path of existingExerciseFiles(root)) {
    if (plan.files.has(path)) continue
    rmSync(join(root, path))
    report.removed.push(path)
    // Drop directories the removal left empty, up to exercises/ itself.
    for (let dir = posix.dirname(path); dir !== 'exercises' && dir !== '.'; dir = posix.dirname(dir)) {
      if (readdirSync(join(root, dir)).length) break
      rmdirSync(join(root, dir))
    }
  }
  const pkg = readPackageJson(root)
  if (JSON.stringify(pkg.imports) !== JSON.stringify(plan.imports)) {
    // Assigning keeps "imports" where it is in key order; the file keeps npm's 2-space format.
    pkg.imports = plan.imports
    writeFileSync(join(root, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
    report.importsUpdated = true
  }
  return report
}
