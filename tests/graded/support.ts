// Assertions shared by the graded tests, written for a student reading the grader's table: each
// failure is one line that names what was checked, the value expected, the value got and, for
// arrays, the index of the first element that differs. Numbers print as JavaScript writes them
// (Infinity, -Infinity, NaN; JSON would print null). Failures are thrown as GradedAssertion, not
// uvu's AssertionError, so uvu adds no operator tag and no multi-line diff the table cannot show.
import fc from 'fast-check'
import { fileURLToPath } from 'node:url'
import { sep } from 'node:path'
import { gradcheck } from '../../src/index.ts'
import type { Tensor } from '../../src/index.ts'

/** A failed graded assertion; its message is the one line the grader shows. */
export class GradedAssertion extends Error {
  override name = 'GradedAssertion'
}

function fail(message: string): never {
  throw new GradedAssertion(message)
}

const MAX_SHOWN = 160

function clip(text: string, max = MAX_SHOWN): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v)
}

/** A value as a student would write it: numbers with Infinity/-Infinity/NaN/-0, nested arrays, typed arrays, tensors by shape. */
export function show(v: unknown, max = MAX_SHOWN): string {
  const text = (x: unknown, depth: number): string => {
    if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x)
    if (typeof x === 'string') return JSON.stringify(x)
    if (typeof x === 'bigint') return `${x}n`
    if (x === null || x === undefined || typeof x === 'boolean') return String(x)
    if (typeof x === 'function') return `[function ${x.name || 'anonymous'}]`
    if (depth > 4) return '...'
    if (isArrayLike(x)) {
      const items = Array.from(x as ArrayLike<unknown>, (e) => text(e, depth + 1))
      const prefix = Array.isArray(x) ? '' : `${x.constructor.name} `
      return `${prefix}[${items.join(', ')}]`
    }
    const ctor = (x as object).constructor?.name
    if (ctor === 'Tensor' && Array.isArray((x as { shape?: unknown }).shape)) {
      const t = x as Tensor
      return `Tensor shape [${t.shape.join(', ')}] ${text(t.toArray(), depth + 1)}`
    }
    if (x instanceof Error) return `${x.name}: ${x.message}`
    const entries = Object.entries(x as Record<string, unknown>).map(([k, e]) => `${k}: ${text(e, depth + 1)}`)
    return `{ ${entries.join(', ')} }`
  }
  return clip(text(v, 0), max)
}

function where(path: string): string {
  return path === '' ? '' : ` at ${path}`
}

function prefix(what: string | undefined): string {
  return what ? `${what}: ` : ''
}

/** The first place two nested values differ, or null; `same` decides for two numbers. */
function firstDifference(actual: unknown, expected: unknown, same: (a: number, e: number) => boolean, path = ''): { path: string; actual: unknown; expected: unknown; why: string } | null {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return { path, actual, expected, why: 'not a number' }
    return same(actual, expected) ? null : { path, actual, expected, why: '' }
  }
  if (isArrayLike(expected)) {
    if (!isArrayLike(actual)) return { path, actual, expected, why: 'not an array' }
    if (actual.length !== expected.length) {
      return { path, actual, expected, why: `length ${actual.length} where ${expected.length} was expected` }
    }
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(actual[i], expected[i], same, `${path}[${i}]`)
      if (d) return d
    }
    return null
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return { path, actual, expected, why: 'not an object' }
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)])
    for (const key of keys) {
      const d = firstDifference((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], same, `${path}.${key}`)
      if (d) return d
    }
    return null
  }
  return Object.is(actual, expected) ? null : { path, actual, expected, why: '' }
}

function describe(what: string | undefined, d: NonNullable<ReturnType<typeof firstDifference>>, actual: unknown, expected: unknown, extra = ''): string {
  const difference = d.path === '' ? `expected ${show(d.expected, 60)}, got ${show(d.actual, 60)}` : `first difference${where(d.path)}: expected ${show(d.expected, 60)}, got ${show(d.actual, 60)}`
  const head = `${prefix(what)}${d.why ? `${d.why}${where(d.path)}` : difference}${extra}`
  // The whole values too, when the difference is inside them.
  return d.path === '' && !d.why ? head : `${head}; expected ${show(expected, 100)}, got ${show(actual, 100)}`
}

/**
 * Numbers or nested arrays (typed arrays too) equal within `tol` relative to max(1, |expected|).
 * NaN matches only NaN and an infinity only the same infinity. `what` names the value checked.
 */
export function assertClose(actual: unknown, expected: unknown, tol = 1e-5, what?: string): void {
  const same = (a: number, e: number) => {
    if (Number.isNaN(e) || !Number.isFinite(e)) return Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))
    return Math.abs(a - e) <= tol * Math.max(1, Math.abs(e))
  }
  const d = firstDifference(actual, expected, same)
  if (d) fail(describe(what, d, actual, expected, d.why ? '' : ` (tolerance ${tol})`))
}

/** Exact deep equality (numbers compared with Object.is, except that 0 equals -0). */
export function assertEqual(actual: unknown, expected: unknown, what?: string): void {
  const d = firstDifference(actual, expected, (a, e) => a === e || (Number.isNaN(a) && Number.isNaN(e)))
  if (d) fail(describe(what, d, actual, expected))
}

/** actual === expected (for identities: the same tensor, null). */
export function assertSame(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) fail(`${what}: expected ${show(expected, 80)}, got ${show(actual, 80)}`)
}

/** A condition, with the message to show when it is false. */
export function assertTrue(condition: boolean, message: string): asserts condition {
  if (!condition) fail(message)
}

/** backward() agrees with central differences for fn at inputs; the failure names the worst element and the first op that disagrees. */
export function assertGradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], what = 'gradcheck'): void {
  let report
  try {
    report = gradcheck(fn, inputs)
  } catch (error) {
    if (error instanceof Error && error.name === 'NotImplementedError') throw error
    fail(`${what}: forward or backward threw ${show(error)}`)
  }
  if (report.ok) return
  const lines = report.summary.split('\n')
  // The culprit line (the op to look at) first: it is the one a student can act on.
  const culprit = lines.filter((l) => l.startsWith('the first op'))
  const bad = report.inputs.filter((r) => r.worstError > 1e-5).map((r) => lines[r.index]!)
  fail(`${what} failed: ${[...culprit, ...bad].join('; ')}`)
}

/** fn throws an error whose message matches `pattern`; an unfinished exercise's own error is passed on. */
export function assertThrowsMatching(fn: () => unknown, pattern: RegExp, what = 'expected an error'): void {
  let result: unknown
  try {
    result = fn()
  } catch (error) {
    if (error instanceof Error && error.name === 'NotImplementedError') throw error
    const message = error instanceof Error ? error.message : String(error)
    if (!pattern.test(message)) fail(`${what} whose message matches ${pattern}, got the message ${JSON.stringify(clip(message, 120))}`)
    return
  }
  fail(`${what} matching ${pattern}, but nothing was thrown (the call returned ${show(result, 80)})`)
}

/** A 32-bit seed from the label (FNV-1a), so each property test always draws the same cases. */
export function seedFor(label: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h | 0
}

/** fc.assert with a fixed seed derived from `label` (so a score never changes between runs); on failure throws an Error naming the label, the seed, the counterexample and the inner assertion message, with Infinity/-Infinity/NaN printed as themselves. */
export function assertProperty<Ts>(label: string, property: fc.IRawProperty<Ts>, params?: { numRuns?: number }): void {
  const seed = seedFor(label)
  const details = fc.check(property, { seed, numRuns: params?.numRuns ?? 100 })
  if (details instanceof Promise) throw new Error(`assertProperty(${JSON.stringify(label)}): the property is async; use a synchronous one`)
  if (!details.failed) return
  const inner = details.errorInstance
  if (inner instanceof Error && inner.name === 'NotImplementedError') throw inner
  const message = inner instanceof Error ? inner.message.split('\n')[0] : String(inner)
  const example = details.counterexample as unknown
  const counterexample = Array.isArray(example) ? example.map((v) => show(v, 120)).join(', ') : show(example, 120)
  fail(`property "${label}" failed (seed ${seed}, after ${details.numRuns} case(s)): ${message}; counterexample: ${counterexample}`)
}

const BANNER_KEY = Symbol.for('genkata.graded.referenceBanner')

/**
 * Call once at the top of each graded file. When `specifier` (the exercise's #kata import) resolves
 * to solutions/, the file is testing the reference, not the student's exercise: say so on stderr,
 * loudly, once per process (run it with `--conditions=ex-<name>`, or through `npm run grade`).
 */
export function gradedFile(id: string, specifier: string): void {
  const resolved = fileURLToPath(import.meta.resolve(specifier))
  if (!resolved.includes(`${sep}solutions${sep}`)) return
  const g = globalThis as Record<symbol, unknown>
  if (g[BANNER_KEY]) return
  g[BANNER_KEY] = true
  const line = '='.repeat(78)
  process.stderr.write(
    `${line}\n  NOTE: exercise ${id}'s graded test is testing the REFERENCE SOLUTIONS (solutions/),\n` +
      `  not your exercises/ file: ${specifier} resolved to ${resolved}.\n` +
      '  To test your own code: npm run grade -- --only ' + id + '\n' +
      `  (or run this file with node --conditions=ex-<name> --import tsx).\n${line}\n`,
  )
}
