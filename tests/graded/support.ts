// Small assertions shared by the graded tests: messages a student can act on.
import * as assert from 'uvu/assert'
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
