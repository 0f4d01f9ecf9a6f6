// The test helpers themselves: the arbitraries make what they promise (non-contiguous tensors most
// of the time, shapes that broadcast, values away from kinks), and assertClose reports the worst
// element. A helper that silently made only contiguous tensors would make every property weaker.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ones } from '../../src/index.ts'
import { broadcastPairArb, shapeArb, tensorCaseArb, valuesArb } from '../helpers/arbitraries.ts'
import * as ref from '../helpers/reference.ts'
import { assertClose } from '../helpers/reference.ts'

test('tensorCaseArb makes non-contiguous tensors most of the time, with every kind of view', () => {
  const cases = fc.sample(tensorCaseArb({ minDims: 2, minSize: 2 }), { numRuns: 300, seed: 1 })
  const nonContiguous = cases.filter((c) => !c.make().isContiguous()).length
  assert.ok(nonContiguous > 0.6 * cases.length, `only ${nonContiguous} of ${cases.length} were non-contiguous`)
  for (const kind of ['permute', 'slice', 'expand']) assert.ok(cases.some((c) => c.layout.includes(kind)), `no ${kind} layout was generated`)
  assert.ok(cases.some((c) => c.make().offset > 0), 'no view with an offset was generated')
  assert.ok(cases.some((c) => c.make().strides.includes(0)), 'no view with a zero stride was generated')
})

test('shapeArb respects its bounds', () => {
  fc.assert(
    fc.property(shapeArb(), (shape) => shape.length <= 4 && shape.every((d) => d >= 1 && d <= 5)),
    { numRuns: 200 },
  )
  fc.assert(
    fc.property(shapeArb({ minDims: 2, maxDims: 3, maxSize: 4, maxElements: 24 }), (shape) => shape.length >= 2 && shape.length <= 3 && ref.sizeOfShape(shape) <= 24),
    { numRuns: 200 },
  )
})

test('broadcastPairArb gives shapes that broadcast, and the library agrees with the reference on the result', () => {
  fc.assert(
    fc.property(broadcastPairArb(), ([a, b]) => {
      assert.equal(ones(a).add(ones(b)).shape, ref.broadcastShape(a, b))
    }),
    { numRuns: 200 },
  )
})

test('valuesArb keeps values half a grid step away from grid points (kinks), and distinct values distinct', () => {
  fc.assert(
    fc.property(valuesArb(50), (values) => values.every((x) => Math.abs(x) >= 0.02 && x >= -2 && x <= 2)),
    { numRuns: 100 },
  )
  fc.assert(
    fc.property(valuesArb(300, { distinct: true }), (values) => new Set(values).size === values.length),
    { numRuns: 30 },
  )
  fc.assert(
    fc.property(valuesArb(20), (values) => values.every((x) => Math.fround(x) === x)),
    { numRuns: 50 },
  )
})

test('assertClose passes within tolerance and reports the worst element, its index and both values', () => {
  assertClose(ref.nd([2], [1, 2]), ref.nd([2], [1 + 1e-8, 2]), 1e-6)
  assertClose(ref.nd([2], [NaN, -Infinity]), ref.nd([2], [NaN, -Infinity]), 0)
  // uvu's assert.throws rethrows assertion errors, so catch them by hand
  const failure = (fn: () => void) => {
    try {
      fn()
    } catch (error) {
      return (error as Error).message
    }
    return 'no failure'
  }
  assert.match(
    failure(() => assertClose(ref.nd([2, 2], [1, 2, 3, 4.5]), ref.nd([2, 2], [1.1, 2, 3, 4]), 1e-3, 'demo')),
    /demo: worst element at \[1,1\] of shape \[2,2\]: actual 4.5, expected 4 \(error 1.25e-1/,
  )
  assert.match(failure(() => assertClose(ref.nd([2], [1, 2]), ref.nd([1, 2], [1, 2]))), /shape \[2\] differs from the expected \[1,2\]/)
  assert.match(failure(() => assertClose(ref.nd([1], [NaN]), ref.nd([1], [1]))), /actual NaN, expected 1/)
})

test.run()
