import { test } from 'uvu'
import fc from 'fast-check'
import { contiguousStrides, indexToOffset, ordinalToIndex } from '#kata/tensor/strides'
import { assertEqual, assertProperty, assertTrue, gradedFile } from './support.ts'

gradedFile('1.1', '#kata/tensor/strides')

const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 })

test('contiguousStrides: row-major strides for the usual shapes [x3]', () => {
  assertEqual(contiguousStrides([2, 3, 4]), [12, 4, 1], 'contiguousStrides([2, 3, 4])')
  assertEqual(contiguousStrides([5]), [1], 'contiguousStrides([5])')
  assertEqual(contiguousStrides([3, 1, 2]), [2, 2, 1], 'contiguousStrides([3, 1, 2])')
  assertEqual(contiguousStrides([]), [], 'contiguousStrides([]) (a scalar)')
})

test('contiguousStrides: each stride is the product of the sizes after it', () => {
  assertProperty(
    '1.1 contiguousStrides products',
    fc.property(shapes, (shape) => {
      const strides = contiguousStrides(shape)
      const want = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
      assertEqual(strides, want, `contiguousStrides(${JSON.stringify(shape)})`)
    }),
    { numRuns: 50 },
  )
})

test('indexToOffset: sum of index * stride [x2]', () => {
  assertEqual(indexToOffset([1, 2], [3, 1]), 5, 'indexToOffset([1, 2], [3, 1])')
  assertEqual(indexToOffset([1, 2], [1, 2]), 5, 'indexToOffset([1, 2], [1, 2]) (a transposed 2x3)')
  assertEqual(indexToOffset([4], [0]), 0, 'indexToOffset([4], [0]) (a broadcast axis, stride 0, never moves)')
})

test('indexToOffset: starts from the offset (a sliced view) [x3]', () => {
  assertEqual(indexToOffset([2, 0, 1], [12, 4, 1], 7), 32, 'indexToOffset([2, 0, 1], [12, 4, 1], 7)')
  assertEqual(indexToOffset([4], [0], 3), 3, 'indexToOffset([4], [0], 3)')
  assertEqual(indexToOffset([], [], 9), 9, 'indexToOffset([], [], 9) (a scalar view)')
})

test('ordinalToIndex: the n-th element in row-major order [x3]', () => {
  const out = [0, 0]
  ordinalToIndex(4, [2, 3], out)
  assertEqual(out, [1, 1], 'ordinalToIndex(4, [2, 3])')
  const out3 = [0, 0, 0]
  ordinalToIndex(23, [2, 3, 4], out3)
  assertEqual(out3, [1, 2, 3], 'ordinalToIndex(23, [2, 3, 4])')
  ordinalToIndex(6, [2, 3, 4], out3)
  assertEqual(out3, [0, 1, 2], 'ordinalToIndex(6, [2, 3, 4])')
  ordinalToIndex(0, [2, 3, 4], out3)
  assertEqual(out3, [0, 0, 0], 'ordinalToIndex(0, [2, 3, 4])')
})

test('ordinalToIndex then indexToOffset with contiguous strides is the identity', () => {
  assertProperty(
    '1.1 ordinal round trip',
    fc.property(shapes, (shape) => {
      const size = shape.reduce((p, d) => p * d, 1)
      const strides = contiguousStrides(shape)
      const index = new Array<number>(shape.length)
      for (let ordinal = 0; ordinal < size; ordinal++) {
        ordinalToIndex(ordinal, shape, index)
        assertTrue(
          index.every((i, axis) => Number.isInteger(i) && i >= 0 && i < shape[axis]!),
          `ordinalToIndex(${ordinal}, [${shape.join(', ')}]) gave [${index.join(', ')}], which is not an index of that shape`,
        )
        assertEqual(indexToOffset(index, strides), ordinal, `indexToOffset(ordinalToIndex(${ordinal}), strides of [${shape.join(', ')}])`)
      }
    }),
    { numRuns: 50 },
  )
})

test.run()
