// The graded tests' assertions (tests/graded/support.ts): the messages a student reads must carry the
// values, the first differing index, Infinity/NaN as themselves, and property failures their seed.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { tensor } from '../../src/index.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'
import {
  assertClose, assertEqual, assertGradcheck, assertProperty, assertSame, assertThrowsMatching, assertTrue, gradedFile, seedFor, show,
} from '../graded/support.ts'

/** The message fn fails with (it must fail). */
function failure(fn: () => void): string {
  try {
    fn()
  } catch (error) {
    assert.is((error as Error).name, 'GradedAssertion', `not a GradedAssertion: ${String(error)}`)
    return (error as Error).message
  }
  throw new Error('expected the assertion to fail')
}

test('show prints numbers as JavaScript writes them, typed arrays and tensors with their values', () => {
  assert.is(show([Infinity, -Infinity, NaN, -0, 1.5]), '[Infinity, -Infinity, NaN, -0, 1.5]')
  assert.is(show(Float32Array.of(1, 2)), 'Float32Array [1, 2]')
  assert.is(show({ a: [1, [2]], b: null }), '{ a: [1, [2]], b: null }')
  assert.is(show(tensor([[1, 2]])), 'Tensor shape [1, 2] [[1, 2]]')
  assert.ok(show(new Array(500).fill(1)).endsWith('...'), 'long values are clipped')
})

test('assertClose: the first differing index, both values, and the whole arrays, on one line', () => {
  const message = failure(() => assertClose([[1, 2], [3, 4]], [[1, 2], [3, 5]], 1e-5, 'f(x)'))
  assert.is(message, 'f(x): first difference at [1][1]: expected 5, got 4 (tolerance 0.00001); expected [[1, 2], [3, 5]], got [[1, 2], [3, 4]]')
  assert.not.match(message, /\n/)
  assert.match(failure(() => assertClose([100, Infinity], [100, 100])), /at \[1\]: expected 100, got Infinity/)
  assert.match(failure(() => assertClose([NaN], [0])), /expected 0, got NaN/)
  assert.match(failure(() => assertClose([1, 2, 3], [1, 2])), /^length 3 where 2 was expected; expected \[1, 2\], got \[1, 2, 3\]$/)
  assert.match(failure(() => assertClose(2.5, [0, 2.5])), /^not an array; expected \[0, 2.5\], got 2.5$/)
  assert.is(failure(() => assertClose(3, 4, 1e-5, 'x')), 'x: expected 4, got 3 (tolerance 0.00001)')
  assertClose([NaN, Infinity, -Infinity, 1 + 1e-7], [NaN, Infinity, -Infinity, 1])
  assertClose(Float32Array.of(0.1), [0.1], 1e-6)
  assert.match(failure(() => assertClose([Infinity], [-Infinity])), /expected -Infinity, got Infinity/)
})

test('assertEqual is exact; assertSame, assertTrue and assertThrowsMatching say what was wrong', () => {
  assert.match(failure(() => assertEqual([1, 2], [1, 3], 'g()')), /^g\(\): first difference at \[1\]: expected 3, got 2/)
  assert.match(failure(() => assertEqual(['c', 'x'], ['c', 'b'])), /at \[1\]: expected "b", got "x"/)
  assertEqual([0, NaN], [-0, NaN])
  assert.is(failure(() => assertSame(tensor([1]), null, 'the gradient of a')), 'the gradient of a: expected null, got Tensor shape [1] [1]')
  assert.is(failure(() => assertTrue(false, 'because')), 'because')
  assert.match(failure(() => assertThrowsMatching(() => 7, /sizes/)), /nothing was thrown \(the call returned 7\)/)
  assert.match(failure(() => assertThrowsMatching(() => { throw new Error('bad') }, /sizes/)), /got the message "bad"/)
  assertThrowsMatching(() => { throw new Error('sizes 3 and 4') }, /3[^\d]+4/)
  // An unfinished exercise's own error goes through, so the table says "not implemented".
  assert.throws(() => assertThrowsMatching(() => { throw new NotImplementedError('1.2', 'h') }, /x/), (e: Error) => e.name === 'NotImplementedError')
})

test('assertGradcheck: one line naming the input and the op whose backward disagrees', () => {
  const broken = (x: ReturnType<typeof tensor>) => x.mul(x).detach().add(x) // the square's gradient is lost
  const message = failure(() => assertGradcheck(broken, [tensor([1, 2])], 'gradcheck of x*x + x'))
  assert.match(message, /^gradcheck of x\*x \+ x failed: .*input 0 \[2\]: worst relative error/)
  assert.not.match(message, /\n/)
  assertGradcheck((x) => x.mul(x), [tensor([1, 2])])
})

test('assertProperty: a fixed seed from the label; a failure names label, seed, counterexample and the inner message', () => {
  assert.is(seedFor('a'), seedFor('a'))
  assert.is.not(seedFor('a'), seedFor('b'))
  const seen: number[][] = [[], []]
  for (const run of [0, 1]) assertProperty('same cases', fc.property(fc.integer(), (n) => void seen[run]!.push(n)), { numRuns: 5 })
  assert.equal(seen[0], seen[1])
  const message = failure(() =>
    assertProperty('no big values', fc.property(fc.constantFrom(1, Infinity), (x) => assertTrue(x < 10, `x is ${x}`)), { numRuns: 20 }),
  )
  assert.match(message, new RegExp(`^property "no big values" failed \\(seed ${seedFor('no big values')}, after \\d+ case\\(s\\)\\): x is Infinity; counterexample: Infinity$`))
  assert.throws(
    () => assertProperty('stub', fc.property(fc.integer(), () => { throw new NotImplementedError('1.1', 'h') })),
    (e: Error) => e.name === 'NotImplementedError',
  )
})

test('gradedFile: one loud stderr banner when the exercise resolves to solutions/, none for exercises/', () => {
  const key = Symbol.for('genkata.graded.referenceBanner')
  const g = globalThis as Record<symbol, unknown>
  const before = g[key]
  const written: string[] = []
  const write = process.stderr.write
  process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write
  try {
    delete g[key]
    gradedFile('1.1', '#kata/tensor/strides') // this process runs without --conditions: the reference
    gradedFile('1.2', '#kata/tensor/broadcast')
  } finally {
    process.stderr.write = write
    g[key] = before
  }
  assert.is(written.length, 1, 'the banner is printed once per process')
  assert.match(written[0]!, /exercise 1\.1's graded test is testing the REFERENCE SOLUTIONS/)
  assert.match(written[0]!, /npm run grade -- --only 1\.1/)
})

test.run()
