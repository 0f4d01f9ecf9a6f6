// solutions/manifest.json: the list of exercises. Every kata tool (generator, grader) reads it
// through loadManifest, which checks its shape so a typo fails with a message, not a crash later.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Exercise {
  /** "1.1": chapter.number, also the Gradescope test number. */
  id: string
  /** "strides": short name, also the per-exercise import condition `ex-<name>`. */
  name: string
  chapter: number
  /** Path relative to solutions/ (and exercises/) without ".ts", e.g. "tensor/strides". */
  file: string
  title: string
  points: number
  /** Graded uvu test file, relative to the repository root. */
  test: string
}

export interface Manifest {
  exercises: Exercise[]
}

export const MANIFEST_PATH = 'solutions/manifest.json'
/** Where the student edition (which has no solutions/) keeps its copy of the manifest. */
export const STUDENT_MANIFEST_PATH = 'exercises/manifest.json'

/** A missing or malformed manifest: the CLIs print its message alone, without a stack trace. */
export class ManifestError extends Error {
  override name = 'ManifestError'
}

/** The import condition that takes this one exercise's file from exercises/. */
export function conditionFor(ex: Exercise): string {
  return `ex-${ex.name}`
}

export function loadManifest(root: string): Manifest {
  const path = join(root, existsSync(join(root, MANIFEST_PATH)) || !existsSync(join(root, STUDENT_MANIFEST_PATH)) ? MANIFEST_PATH : STUDENT_MANIFEST_PATH)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new ManifestError(`cannot read the exercise manifest ${path}: ${(err as Error).message}`)
  }
  return parseManifest(raw, path)
}

export function parseManifest(raw: unknown, where = MANIFEST_PATH): Manifest {
  const problems: string[] = []
  const list = (raw as { exercises?: unknown } | null)?.exercises
  if (!Array.isArray(list)) throw new ManifestError(`${where}: expected { "exercises": [...] }`)
  const seen = { id: new Set<string>(), name: new Set<string>(), file: new Set<string>() }
  const exercises: Exercise[] = list.map((item: Record<string, unknown>, i) => {
    const at = `${where}: exercises[${i}]`
    const str = (key: string, pattern: RegExp, what: string): string => {
      const v = item?.[key]
      if (typeof v !== 'string' || !pattern.test(v)) {
        problems.push(`${at}.${key}: expected ${what}, got ${JSON.stringify(v)}`)
        return ''
      }
      return v
    }
    const num = (key: string): number => {
      const v = item?.[key]
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        problems.push(`${at}.${key}: expected a non-negative number, got ${JSON.stringify(v)}`)
        return 0
      }
      return v
    }
    const ex: Exercise = {
      id: str('id', /^\d+(\.\d+)*$/, 'an id like "1.2"'),
      // The name becomes an import condition and part of a file name: keep it to safe characters.
      name: str('name', /^[a-z0-9][a-z0-9-]*$/, 'a lowercase name like "map-zip-reduce"'),
      chapter: num('chapter'),
      file: str('file', /^[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*$/, 'a path like "tensor/strides" (no ".ts")'),
      title: str('title', /\S/, 'a non-empty title'),
      points: num('points'),
      test: str('test', /^[^\s]+\.ts$/, 'a test file path ending in .ts'),
    }
    for (const key of ['id', 'name', 'file'] as const) {
      if (ex[key] && seen[key].has(ex[key])) problems.push(`${at}.${key}: duplicate ${key} ${JSON.stringify(ex[key])}`)
      seen[key].add(ex[key])
    }
    return ex
  })
  if (problems.length) throw new ManifestError(`invalid exercise manifest:\n  ${problems.join('\n  ')}`)
  return { exercises }
}
