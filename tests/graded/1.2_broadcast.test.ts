import { test } from 'uvu'
import fc from 'fast-check'
import { broadcastIndex, broadcastShapes } from '#kata/tensor/broadcast'
import { assertEqual, assertProperty, assertThrowsMatching, gradedFile } from './support.ts'

gradedFile('1.2', '#kata/tensor/broadcast')

const shapesOf = (a: number[], b: number[]) => `broadcastShapes([${a.join(', ')}], [${b.join(', ')}])`
const check = (a: number[], b: number[], want: number[]) => assertEqual(broadcastShapes(a, b), want, shapesOf(a, b))

test("broadcastShapes: NumPy's examples (the shapes line up at their last axes) [x4]", () => {
  check([8, 1, 6, 1], [7, 1, 5], [8, 7, 6, 5])
  check([256, 256, 3], [3], [256, 256, 3])
  check([5, 4], [1], [5, 4])
  check([15, 3, 5], [15, 1, 5], [15, 3, 5])
  check([], [2, 3], [2, 3])
  check([2, 3], [2, 3], [2, 3])
  check([3], [4, 1], [4, 3])
})

test('broadcastShapes: a size-0 axis stays 0 against 1 (an empty tensor stays empty) [x4]', () => {
  check([0], [1], [0])
  check([1], [0], [0])
  check([2, 0], [1], [2, 0])
  check([0, 3], [1, 3], [0, 3])
  check([4, 1, 0], [5, 1], [4, 5, 0])
})

test('broadcastShapes: incompatible sizes throw, naming both sizes [x2]', () => {
  assertThrowsMatching(() => broadcastShapes([2, 3], [4]), /3[^\d]+4|4[^\d]+3/, `${shapesOf([2, 3], [4])} should throw an error`)
  assertThrowsMatching(() => broadcastShapes([2, 1], [8, 4, 3]), /2[^\d]+4|4[^\d]+2/, `${shapesOf([2, 1], [8, 4, 3])} should throw an error`)
  assertThrowsMatching(() => broadcastShapes([0], [2]), /0[^\d]+2|2[^\d]+0/, `${shapesOf([0], [2])} should throw an error (0 is not 1)`)
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
  assertProperty(
    '1.2 broadcastShapes symmetric',
    fc.property(pair, ([a, b]) => {
      const out = broadcastShapes(a, b)
      assertEqual(broadcastShapes(b, a), out, `${shapesOf(b, a)} (the other order)`)
      assertEqual(out, a.length >= b.length ? a : b, shapesOf(a, b))
    }),
    { numRuns: 60 },
  )
})

test('broadcastIndex: missing leading axes are dropped (the shapes line up at their last axes) [x3]', () => {
  const out = [0]
  broadcastIndex([1, 2], [2, 3], [3], out)
  assertEqual(out, [2], 'broadcastIndex([1, 2], bigShape [2, 3], shape [3])')
  const out2 = [0, 0]
  broadcastIndex([4, 1, 2], [5, 2, 3], [2, 3], out2)
  assertEqual(out2, [1, 2], 'broadcastIndex([4, 1, 2], bigShape [5, 2, 3], shape [2, 3])')
})

test('broadcastIndex: a size-1 axis always reads index 0 [x4]', () => {
  const out2 = [0, 0]
  broadcastIndex([1, 2], [2, 3], [2, 1], out2)
  assertEqual(out2, [1, 0], 'broadcastIndex([1, 2], bigShape [2, 3], shape [2, 1])')
  const out3 = [0, 0]
  broadcastIndex([4, 1, 2], [5, 2, 3], [1, 3], out3)
  assertEqual(out3, [0, 2], 'broadcastIndex([4, 1, 2], bigShape [5, 2, 3], shape [1, 3])')
})

test('broadcastIndex: a same-shape index maps to itself', () => {
  assertProperty(
    '1.2 broadcastIndex identity',
    fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }), (shape) => {
      const index = shape.map((d) => d - 1)
      const out = new Array<number>(shape.length)
      broadcastIndex(index, shape, shape, out)
      assertEqual(out, index, `broadcastIndex([${index.join(', ')}], bigShape = shape = [${shape.join(', ')}])`)
    }),
    { numRuns: 30 },
  )
})

test.run()
