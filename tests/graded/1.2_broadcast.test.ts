import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { broadcastIndex, broadcastShapes } from '#kata/tensor/broadcast'
import { assertThrowsMatching } from './support.ts'

test("broadcastShapes: NumPy's examples", () => {
  assert.equal(broadcastShapes([8, 1, 6, 1], [7, 1, 5]), [8, 7, 6, 5])
  assert.equal(broadcastShapes([256, 256, 3], [3]), [256, 256, 3])
  assert.equal(broadcastShapes([5, 4], [1]), [5, 4])
  assert.equal(broadcastShapes([15, 3, 5], [15, 1, 5]), [15, 3, 5])
  assert.equal(broadcastShapes([], [2, 3]), [2, 3])
  assert.equal(broadcastShapes([2, 3], [2, 3]), [2, 3])
})

test('broadcastShapes: incompatible sizes throw, naming both sizes', () => {
  assertThrowsMatching(() => broadcastShapes([2, 3], [4]), /3[^\d]+4|4[^\d]+3/)
  assertThrowsMatching(() => broadcastShapes([2, 1], [8, 4, 3]), /2[^\d]+4|4[^\d]+2/)
})

test('broadcastShapes: symmetric, and each input broadcasts to the result', () => {
  const pair = fc
    .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
    .chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.tuple(fc.integer({ min: 0, max: shape.length }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 })).map(
          ([drop, ones]) => shape.slice(drop).map((d, i) => (ones[i] ? 1 : d)),
        ),
      ),
    )
  fc.assert(
    fc.property(pair, ([a, b]) => {
      const out = broadcastShapes(a, b)
      assert.equal(broadcastShapes(b, a), out)
      assert.equal(out, a.length >= b.length ? a : b)
    }),
    { numRuns: 60 },
  )
})

test('broadcastIndex: size-1 axes read 0, missing leading axes are dropped', () => {
  const out = [0]
  broadcastIndex([1, 2], [2, 3], [3], out)
  assert.equal(out, [2])
  const out2 = [0, 0]
  broadcastIndex([1, 2], [2, 3], [2, 1], out2)
  assert.equal(out2, [1, 0])
  const out3 = [0, 0]
  broadcastIndex([4, 1, 2], [5, 2, 3], [1, 3], out3)
  assert.equal(out3, [0, 2])
})

test('broadcastIndex: a same-shape index maps to itself', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }), (shape) => {
      const index = shape.map((d) => d - 1)
      const out = new Array<number>(shape.length)
      broadcastIndex(index, shape, shape, out)
      assert.equal(out, index)
    }),
    { numRuns: 30 },
  )
})

test.run()
