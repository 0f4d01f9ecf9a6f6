import { test } from 'uvu'
import type { Strided } from '../../src/tensor/strided.ts'
import { tensorMap, tensorReduce, tensorZip } from '#kata/tensor/map_zip_reduce'
import { assertEqual, gradedFile } from './support.ts'

gradedFile('1.3', '#kata/tensor/map_zip_reduce')

/** A contiguous Strided holding 0..n-1 (or the given values). */
function dense(shape: number[], values?: number[]): Strided {
  const size = shape.reduce((p, d) => p * d, 1)
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
  return { data: Float32Array.from(values ?? Array.from({ length: size }, (_, i) => i)), shape, strides, offset: 0 }
}
const out = (shape: number[]) => dense(shape, new Array(shape.reduce((p, d) => p * d, 1)).fill(-99))
const values = (t: Strided) => Array.from(t.data)

/**
 * out as a view: a [rows, cols] transposed window at offset 2 inside a larger buffer filled with
 * -99. Element (i, j) lives at data[2 + i + j * rows]; everything else must stay -99.
 */
function transposedOut(rows: number, cols: number): Strided {
  return { data: new Float32Array(2 + rows * cols + 2).fill(-99), shape: [rows, cols], strides: [1, rows], offset: 2 }
}

test('tensorMap: applies fn to every element of a contiguous tensor [x3]', () => {
  const o = out([2, 3])
  tensorMap((x) => x * 10, dense([2, 3]), o)
  assertEqual(values(o), [0, 10, 20, 30, 40, 50], 'out.data after tensorMap(x => 10x, [[0,1,2],[3,4,5]])')
})

test('tensorMap: reads a transposed view through its strides [x2]', () => {
  // a is the 3x2 transpose of [[0,1,2],[3,4,5]]: shape [3,2], strides [1,3]
  const a: Strided = { ...dense([2, 3]), shape: [3, 2], strides: [1, 3] }
  const o = out([3, 2])
  tensorMap((x) => x, a, o)
  assertEqual(values(o), [0, 3, 1, 4, 2, 5], 'out.data after copying the transpose of [[0,1,2],[3,4,5]]')
})

test('tensorMap: honours the offset of a sliced view and broadcasts a smaller input [x2]', () => {
  // row 1 of [[0,1,2],[3,4,5]] is offset 3, shape [3]; broadcast it to [2,3]
  const row: Strided = { data: dense([2, 3]).data, shape: [3], strides: [1], offset: 3 }
  const o = out([2, 3])
  tensorMap((x) => -x, row, o)
  assertEqual(values(o), [-3, -4, -5, -3, -4, -5], 'out.data after tensorMap(x => -x, row 1 broadcast to [2, 3])')
})

test("tensorMap: writes through out's strides and offset (out is a transposed view inside a bigger buffer) [x5]", () => {
  const o = transposedOut(2, 3)
  tensorMap((x) => x + 1, dense([2, 3]), o)
  // (i, j) holds [[1,2,3],[4,5,6]][i][j] at 2 + i + 2j.
  assertEqual(values(o), [-99, -99, 1, 4, 2, 5, 3, 6, -99, -99], "out's buffer (shape [2, 3], strides [1, 2], offset 2) after tensorMap(x => x + 1)")
})

test('tensorZip: element-wise with broadcasting on both sides [x3]', () => {
  const o = out([2, 3])
  tensorZip((x, y) => x + y, dense([2, 1], [10, 20]), dense([3], [1, 2, 3]), o)
  assertEqual(values(o), [11, 12, 13, 21, 22, 23], 'out.data after [[10],[20]] + [1,2,3]')
})

test('tensorZip: two non-contiguous inputs (a transpose and a stride-0 expand) [x2]', () => {
  const t: Strided = { ...dense([2, 3]), shape: [3, 2], strides: [1, 3] } // [[0,3],[1,4],[2,5]]
  const e: Strided = { data: Float32Array.from([7, 100]), shape: [3, 2], strides: [0, 1], offset: 0 } // rows [7,100]
  const o = out([3, 2])
  tensorZip((x, y) => x * y, t, e, o)
  assertEqual(values(o), [0, 300, 7, 400, 14, 500], 'out.data after transpose * expanded row')
})

test("tensorZip: sliced inputs (offsets) and an out that is a view [x4]", () => {
  const buffer = Float32Array.from([9, 9, 1, 2, 3, 4, 5, 6])
  const a: Strided = { data: buffer, shape: [2, 3], strides: [3, 1], offset: 2 } // [[1,2,3],[4,5,6]]
  const b: Strided = { data: buffer, shape: [3], strides: [1], offset: 5 } // [4,5,6]
  const o = transposedOut(2, 3)
  tensorZip((x, y) => x * 10 + y, a, b, o)
  // [[14, 25, 36], [44, 55, 66]] stored column by column from offset 2.
  assertEqual(values(o), [-99, -99, 14, 44, 25, 55, 36, 66, -99, -99], "out's buffer (shape [2, 3], strides [1, 2], offset 2)")
})

test('tensorReduce: sums over one axis, then the other [x3]', () => {
  const a = dense([2, 3])
  const rows = out([2, 1])
  tensorReduce((acc, x) => acc + x, 0, a, rows)
  assertEqual(values(rows), [3, 12], 'row sums of [[0,1,2],[3,4,5]] (out shape [2, 1])')
  const cols = out([1, 3])
  tensorReduce((acc, x) => acc + x, 0, a, cols)
  assertEqual(values(cols), [3, 5, 7], 'column sums of [[0,1,2],[3,4,5]] (out shape [1, 3])')
})

test('tensorReduce: max over all axes of a transposed view, starting from init [x3]', () => {
  const t: Strided = { data: Float32Array.from([5, -1, 9, 2, 8, -7]), shape: [3, 2], strides: [1, 3], offset: 0 }
  const o = out([1, 1])
  tensorReduce((acc, x) => Math.max(acc, x), -Infinity, t, o)
  assertEqual(values(o), [9], 'the max of every element')
  const cols = out([1, 2])
  tensorReduce((acc, x) => Math.max(acc, x), -Infinity, t, cols)
  assertEqual(values(cols), [9, 8], 'column maxes of [[5,2],[-1,8],[9,-7]] (a transposed view)')
})

test("tensorReduce: reads a sliced view (an offset) and writes through out's strides and offset [x3]", () => {
  // a = rows 1..2 of a 3x3 buffer holding 0..8, transposed: a is [3, 2] with a[i][j] = 3 * (j + 1) + i.
  const a: Strided = { data: Float32Array.from({ length: 9 }, (_, i) => i), shape: [3, 2], strides: [1, 3], offset: 3 }
  // out [3, 1] lives at positions 1, 3, 5 of a 7-element buffer (stride 2, offset 1).
  const o: Strided = { data: new Float32Array(7).fill(-99), shape: [3, 1], strides: [2, 1], offset: 1 }
  tensorReduce((acc, x) => acc + x, 0, a, o)
  // Row sums of [[3, 6], [4, 7], [5, 8]] = [9, 11, 13].
  assertEqual(values(o), [-99, 9, -99, 11, -99, 13, -99], "out's buffer (shape [3, 1], strides [2, 1], offset 1) after summing each row of a")
})

test('tensorReduce: writes init where nothing is reduced into (an empty axis) [x2]', () => {
  const empty: Strided = { data: new Float32Array(0), shape: [2, 0], strides: [0, 1], offset: 0 }
  const o = out([2, 1])
  tensorReduce((acc, x) => acc + x, 0, empty, o)
  assertEqual(values(o), [0, 0], 'sums over an axis of size 0')
})

test.run()
