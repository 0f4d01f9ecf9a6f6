import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Strided } from '../../src/tensor/strided.ts'
import { tensorMap, tensorReduce, tensorZip } from '#kata/tensor/map_zip_reduce'

/** A contiguous Strided holding 0..n-1 (or the given values). */
function dense(shape: number[], values?: number[]): Strided {
  const size = shape.reduce((p, d) => p * d, 1)
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
  return { data: Float32Array.from(values ?? Array.from({ length: size }, (_, i) => i)), shape, strides, offset: 0 }
}
const out = (shape: number[]) => dense(shape, new Array(shape.reduce((p, d) => p * d, 1)).fill(-99))
const values = (t: Strided) => Array.from(t.data)

test('tensorMap: applies fn to every element of a contiguous tensor', () => {
  const o = out([2, 3])
  tensorMap((x) => x * 10, dense([2, 3]), o)
  assert.equal(values(o), [0, 10, 20, 30, 40, 50])
})

test('tensorMap: reads a transposed view through its strides', () => {
  // a is the 3x2 transpose of [[0,1,2],[3,4,5]]: shape [3,2], strides [1,3]
  const a: Strided = { ...dense([2, 3]), shape: [3, 2], strides: [1, 3] }
  const o = out([3, 2])
  tensorMap((x) => x, a, o)
  assert.equal(values(o), [0, 3, 1, 4, 2, 5])
})

test('tensorMap: honours the offset of a sliced view and broadcasts a smaller input', () => {
  // row 1 of [[0,1,2],[3,4,5]] is offset 3, shape [3]; broadcast it to [2,3]
  const row: Strided = { data: dense([2, 3]).data, shape: [3], strides: [1], offset: 3 }
  const o = out([2, 3])
  tensorMap((x) => -x, row, o)
  assert.equal(values(o), [-3, -4, -5, -3, -4, -5])
})

test('tensorZip: element-wise with broadcasting on both sides', () => {
  const o = out([2, 3])
  tensorZip((x, y) => x + y, dense([2, 1], [10, 20]), dense([3], [1, 2, 3]), o)
  assert.equal(values(o), [11, 12, 13, 21, 22, 23])
})

test('tensorZip: two non-contiguous inputs (a transpose and a stride-0 expand)', () => {
  const t: Strided = { ...dense([2, 3]), shape: [3, 2], strides: [1, 3] } // [[0,3],[1,4],[2,5]]
  const e: Strided = { data: Float32Array.from([7, 100]), shape: [3, 2], strides: [0, 1], offset: 0 } // rows [7,100]
  const o = out([3, 2])
  tensorZip((x, y) => x * y, t, e, o)
  assert.equal(values(o), [0, 300, 7, 400, 14, 500])
})

test('tensorReduce: sums over one axis, then the other', () => {
  const a = dense([2, 3])
  const rows = out([2, 1])
  tensorReduce((acc, x) => acc + x, 0, a, rows)
  assert.equal(values(rows), [3, 12])
  const cols = out([1, 3])
  tensorReduce((acc, x) => acc + x, 0, a, cols)
  assert.equal(values(cols), [3, 5, 7])
})

test('tensorReduce: max over all axes of a transposed view, starting from init', () => {
  const t: Strided = { data: Float32Array.from([5, -1, 9, 2, 8, -7]), shape: [3, 2], strides: [1, 3], offset: 0 }
  const o = out([1, 1])
  tensorReduce((acc, x) => Math.max(acc, x), -Infinity, t, o)
  assert.equal(values(o), [9])
  const cols = out([1, 2])
  tensorReduce((acc, x) => Math.max(acc, x), -Infinity, t, cols)
  assert.equal(values(cols), [9, 8])
})

test('tensorReduce: writes init where nothing is reduced into (an empty axis)', () => {
  const empty: Strided = { data: new Float32Array(0), shape: [2, 0], strides: [0, 1], offset: 0 }
  const o = out([2, 1])
  tensorReduce((acc, x) => acc + x, 0, empty, o)
  assert.equal(values(o), [0, 0])
})

test.run()
