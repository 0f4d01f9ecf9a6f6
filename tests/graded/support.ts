// Small assertions shared by the graded tests: messages a student can act on.
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { gradcheck } from '../../src/index.ts'
import type { Tensor } from '../../src/index.ts'

/** Nested arrays (or numbers) equal within `tol`, with the first differing position in the message. */
export function assertClose(actual: unknown, expected: unknown, tol = 1e-5, path = ''): void {
  if (typeof expected === 'number') {
    assert.type(actual, 'number', `expected a number at ${path || 'the top level'}`)
    const ok = Math.abs((actual as number) - expected) <= tol * Math.max(1, Math.abs(expected))
    assert.ok(ok, `element ${path || "(scalar)"}: expected ${expected}, got ${actual}`)
    return
  }
  const exp = expected as unknown[]
  assert.ok(Array.isArray(actual), `expected an array at ${path || 'the top level'}, got ${JSON.stringify(actual)}`)
  const act = actual as unknown[]
  assert.is(act.length, exp.length, `length at ${path || 'the top level'}`)
  exp.forEach((e, i) => assertClose(act[i], e, tol, `${path}[${i}]`))
}

/** backward() agrees with central differences for fn at inputs. */
export function assertGradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const report = gradcheck(fn, inputs)
  assert.ok(report.ok, `gradcheck failed:\n${report.summary}`)
}

/** fn throws an error whose message matches `pattern`; an unfinished exercise's own error is passed on. */
export function assertThrowsMatching(fn: () => unknown, pattern: RegExp): void {
  try {
    fn()
  } catch (error) {
    if (error instanceof Error && error.name === 'NotImplementedError') throw error
    assert.match(String((error as Error).message), pattern)
    return
  }
  assert.unreachable(`expected an error matching ${pattern}`)
}

// Minimal stand-in (kata-content2's lane) for kata-content's assertProperty; the lead keeps theirs at merge.
function propertySeed(label: string): number {
  let h = 2166136261
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619)
  return h | 0
}

function printValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}[${Array.from(value as unknown as ArrayLike<number>, printValue).join(', ')}]`
  if (Array.isArray(value)) return `[${value.map(printValue).join(', ')}]`
  if (value !== null && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${printValue(v)}`).join(', ')} }`
  return String(value)
}

/** fc.assert with a fixed seed derived from `label` (so a score never changes between runs); on failure throws an Error naming the label, the seed, the counterexample and the inner assertion message, with Infinity/-Infinity/NaN printed as themselves. */
export function assertProperty<Ts>(label: string, property: fc.IRawProperty<Ts>, params?: { numRuns?: number }): void {
  const seed = propertySeed(label)
  const details = fc.check(property, { seed, numRuns: params?.numRuns ?? 100 }) as fc.RunDetails<Ts>
  if (!details.failed) return
  if (details.errorInstance instanceof Error && details.errorInstance.name === 'NotImplementedError') throw details.errorInstance
  const inner = details.errorInstance instanceof Error ? details.errorInstance.message : 'the property returned false'
  throw new Error(`property "${label}" failed (seed ${seed}) on ${printValue(details.counterexample)}: ${inner}`)
}
