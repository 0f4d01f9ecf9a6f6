import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { contiguousStrides, indexToOffset, ordinalToIndex } from '#kata/tensor/strides'

const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 })

test('contiguousStrides: row-major strides for the usual shapes', () => {
  assert.equal(contiguousStrides([2, 3, 4]), [12, 4, 1])
  assert.equal(contiguousStrides([5]), [1])
  assert.equal(contiguousStrides([3, 1, 2]), [2, 2, 1])
  assert.equal(contiguousStrides([]), [])
})

test('contiguousStrides: each stride is the product of the sizes after it', () => {
  fc.assert(
    fc.property(shapes, (shape) => {
      const strides = contiguousStrides(shape)
      shape.forEach((_, i) => assert.is(strides[i], shape.slice(i + 1).reduce((p, d) => p * d, 1)))
    }),
    { numRuns: 50 },
  )
})

test('indexToOffset: offset + sum of index * stride', () => {
  assert.is(indexToOffset([1, 2], [3, 1]), 5)
  assert.is(indexToOffset([1, 2], [1, 2]), 5) // a transposed 2x3
  assert.is(indexToOffset([2, 0, 1], [12, 4, 1], 7), 32)
  assert.is(indexToOffset([4], [0], 3), 3) // a broadcast axis (stride 0) never moves
  assert.is(indexToOffset([], [], 9), 9)
})

test('ordinalToIndex: the n-th element in row-major order', () => {
  const out = [0, 0]
  ordinalToIndex(4, [2, 3], out)
  assert.equal(out, [1, 1])
  const out3 = [0, 0, 0]
  ordinalToIndex(23, [2, 3, 4], out3)
  assert.equal(out3, [1, 2, 3])
  ordinalToIndex(0, [2, 3, 4], out3)
  assert.equal(out3, [0, 0, 0])
})

test('ordinalToIndex then indexToOffset with contiguous strides is the identity', () => {
  fc.assert(
    fc.property(shapes, (shape) => {
      const size = shape.reduce((p, d) => p * d, 1)
      const strides = contiguousStrides(shape)
      const index = new Array<number>(shape.length)
      for (let ordinal = 0; ordinal < size; ordinal++) {
        ordinalToIndex(ordinal, shape, index)
        index.forEach((i, axis) => assert.ok(i >= 0 && i < shape[axis]!, `index ${index} out of shape ${shape}`))
        assert.is(indexToOffset(index, strides), ordinal)
      }
    }),
    { numRuns: 50 },
  )
})

test.run()
