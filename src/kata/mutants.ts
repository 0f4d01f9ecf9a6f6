// The mutant check (npm run kata:mutants): each plausible student bug listed in
// tests/kata/mutants/ch*.ts is applied to its exercise's reference solution and graded as the
// student's file for that exercise alone. A graded test file that gives a mutant full marks misses
// that bug; the check fails then, and the table says which.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { DEFAULT_JOBS, type ExerciseResult, gradeExercise } from './grade.ts'
import type { Manifest } from './manifest.ts'
import { snapshotTree } from './sandbox.ts'

/** The same shape as tests/kata/mutants/types.ts's Mutant (the content files import that one). */
export interface Mutant {
  exercise: string
  bug: string
  find: string
  replace: string
}

export const MUTANTS_DIR = 'tests/kata/mutants'

/** Every `mutants` export of MUTANTS_DIR/ch*.ts, in file order; throws naming a malformed entry. */
export async function loadMutants(root: string): Promise<Mutant[]> {
  const dir = join(root, MUTANTS_DIR)
  if (!existsSync(dir)) return []
  const files = readdirSync(dir).filter((f) => /^ch\d+\.ts$/.test(f)).sort((a, b) => Number(a.slice(2, -3)) - Number(b.slice(2, -3)))
  const all: Mutant[] = []
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { mutants?: unknown }
    if (!Array.isArray(mod.mutants)) throw new Error(`${MUTANTS_DIR}/${file}: expected \`export const mutants: Mutant[]\``)
    mod.mutants.forEach((m: Record<string, unknown>, i) => {
      for (const key of ['exercise', 'bug', 'find', 'replace']) {
        if (typeof m?.[key] !== 'string' || (key !== 'replace' && m[key] === '')) throw new Error(`${MUTANTS_DIR}/${file}: mutants[${i}].${key} must be a non-empty string`)
      }
      all.push(m as unknown as Mutant)
    })
  }
  return all
}

/** The solution file's text with the mutant applied; throws unless `find` occurs exactly once. */
export function applyMutant(root: string, manifest: Manifest, mutant: Mutant): { path: string; text: string } {
  const ex = manifest.exercises.find((e) => e.id === mutant.exercise)
  if (!ex) throw new Error(`mutant "${mutant.bug}": no exercise ${mutant.exercise} in the manifest`)
  const solution = `solutions/${ex.file}.ts`
  const text = readFileSync(join(root, solution), 'utf8')
  const count = text.split(mutant.find).length - 1
  if (count !== 1) throw new Error(`mutant "${mutant.bug}" of ${ex.id}: \`find\` occurs ${count} times in ${solution}; it must occur exactly once`)
  return { path: `exercises/${ex.file}.ts`, text: text.replace(mutant.find, () => mutant.replace) }
}

export interface MutantRow {
  mutant: Mutant
  result: ExerciseResult
  /** Caught: the mutant scored below full marks. */
  caught: boolean
}

export interface MutantOptions {
  root: string
  manifest: Manifest
  mutants: Mutant[]
  jobs?: number
  timeoutSeconds?: number
  onRow?: (row: MutantRow) => void
}

/** Grades every mutant (all applied first, so a bad `find` fails before anything runs). */
export async function runMutants(opts: MutantOptions): Promise<MutantRow[]> {
  const applied = opts.mutants.map((m) => ({ mutant: m, ...applyMutant(opts.root, opts.manifest, m) }))
  const snapshot = snapshotTree(opts.root, [...new Set(opts.manifest.exercises.map((e) => e.test.slice(0, e.test.lastIndexOf('/'))))])
  const rows: MutantRow[] = new Array(applied.length)
  let next = 0
  const worker = async () => {
    while (next < applied.length) {
      const i = next++
      const { mutant, path, text } = applied[i]!
      const ex = opts.manifest.exercises.find((e) => e.id === mutant.exercise)!
      const result = await gradeExercise(ex, { root: opts.root, mode: 'isolated', overrides: new Map([[path, text]]), snapshot, timeoutSeconds: opts.timeoutSeconds ?? 20 })
      rows[i] = { mutant, result, caught: result.score < result.maxScore }
      opts.onRow?.(rows[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs ?? DEFAULT_JOBS, applied.length)) }, worker))
  return rows
}

/** exercise, bug, score, and what caught it (or "MISSED"). */
export function formatMutantTable(rows: MutantRow[]): string {
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2))
  const all = [
    ['exercise', 'bug', 'score', 'caught by'],
    ...rows.map((r) => [`${r.result.id} ${r.result.name}`, r.mutant.bug, `${fmt(r.result.score)}/${fmt(r.result.maxScore)}`, r.caught ? r.result.detail || r.result.status : 'MISSED: full marks']),
  ]
  const widths = [0, 1, 2].map((c) => Math.max(...all.map((row) => row[c]!.length)))
  return all.map((row) => row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell)).join('  ').trimEnd()).join('\n')
}
