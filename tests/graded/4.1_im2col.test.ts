import { test } from 'uvu'
import fc from 'fast-check'
import { convGeometry, fromArray, tensor, arange } from '../../src/index.ts'
import type { Strided, Tensor } from '../../src/index.ts'
import { im2col } from '#kata/nn/im2col'
import { assertClose, assertEqual, assertProperty, assertTrue, gradedFile } from './support.ts'
import { naiveConv2d, convCaseArb } from '../helpers/conv_naive.ts'
import { nd } from '../helpers/reference.ts'

gradedFile('4.1', '#kata/nn/im2col')

/** im2col of x for a weight of shape wShape, into a matrix filled with NaN first (every entry must be written). */
function unfold(x: Tensor, wShape: number[], options: { stride?: number | [number, number]; padding?: number | [number, number] } = {}): number[][] {
  const g = convGeometry('im2col test', x.shape, wShape, options)
  const rows = g.inChannels * g.kernelH * g.kernelW
  const columns = g.batch * g.outH * g.outW
  const cols: Strided = { data: new Float64Array(rows * columns).fill(NaN), shape: [rows, columns], strides: [columns, 1], offset: 0 }
  im2col(x, g, cols)
  return Array.from({ length: rows }, (_, r) => Array.from(cols.data.subarray(r * columns, (r + 1) * columns)))
}

test('a 2x2 kernel over a 3x3 image: one row per kernel position, one column per window [x3]', () => {
  const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]) // [1, 1, 3, 3]
  assertClose(unfold(x, [1, 1, 2, 2]), [
    [1, 2, 4, 5], // kernel (0, 0): the top-left pixel of each of the 4 windows
    [2, 3, 5, 6], // kernel (0, 1)
    [4, 5, 7, 8], // kernel (1, 0)
    [5, 6, 8, 9], // kernel (1, 1)
  ])
})

test('stride 2 and padding 1: positions in the padding are 0 [x3]', () => {
  const x = tensor([[[[1, 2], [3, 4]]]]) // padded to 4x4; 2x2 windows at rows/cols -1 and 1
  assertClose(unfold(x, [1, 1, 2, 2], { stride: 2, padding: 1 }), [
    [0, 0, 0, 4],
    [0, 0, 3, 0],
    [0, 2, 0, 0],
    [1, 0, 0, 0],
  ])
})

test('channels go down the rows, images and positions along the columns (image-major) [x2]', () => {
  const x = arange(16).reshape([2, 2, 2, 2]) // x[n, c, h, w] = 8n + 4c + 2h + w
  assertClose(unfold(x, [1, 2, 1, 1]), [
    [0, 1, 2, 3, 8, 9, 10, 11], // channel 0 of image 0, then of image 1
    [4, 5, 6, 7, 12, 13, 14, 15], // channel 1
  ])
})

test('different strides and paddings per axis [x2]', () => {
  const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]) // [1, 1, 2, 3]
  // kernel 1x2, stride [1, 2], padding [0, 1]: columns -1..0 and 1..2 of each row
  assertClose(unfold(x, [1, 1, 1, 2], { stride: [1, 2], padding: [0, 1] }), [
    [0, 2, 0, 5],
    [1, 3, 4, 6],
  ])
})

test('reads x through its strides: a transposed or sliced view gives the same columns as its contiguous copy [x4]', () => {
  const base = arange(2 * 3 * 5 * 4).reshape([2, 3, 5, 4])
  const view = base.permute(0, 1, 3, 2).slice(null, [1, 3], null, [0, 5, 2]) // [2, 2, 4, 3], not contiguous
  assertTrue(!view.isContiguous(), 'the test view should not be contiguous')
  const options = { stride: [2, 1] as [number, number], padding: 1 }
  assertEqual(unfold(view, [1, 2, 2, 3], options), unfold(view.contiguous(), [1, 2, 2, 3], options), 'im2col of a permuted, sliced view (left) against im2col of its contiguous copy (right)')
})

test('property: w [O, C*kh*kw] @ im2col(x) is the direct convolution, for random geometries [x3]', () => {
  assertProperty(
    '4.1 w @ im2col is the convolution',
    fc.property(convCaseArb({ maxBatch: 2, maxChannels: 3 }), fc.integer({ min: 0, max: 1000 }), (c, seed) => {
      const values = (n: number, s: number) => Array.from({ length: n }, (_, i) => Math.sin(7 * i + s))
      const xs = values(c.x.reduce((a, b) => a * b), seed)
      const ws = values(c.w.reduce((a, b) => a * b), seed + 1)
      const x = fromArray(xs, c.x, { dtype: 'float64' })
      const cols = unfold(x, c.w, { stride: c.stride, padding: c.padding })
      const expected = naiveConv2d(nd(c.x, xs), nd(c.w, ws), c)
      const [N, O, outH, outW] = expected.shape as [number, number, number, number]
      const k = cols.length
      for (let n = 0; n < N; n++)
        for (let o = 0; o < O; o++)
          for (let p = 0; p < outH * outW; p++) {
            let s = 0
            for (let r = 0; r < k; r++) s += ws[o * k + r]! * cols[r]![n * outH * outW + p]!
            const e = expected.data[(n * O + o) * outH * outW + p]!
            if (!(Math.abs(s - e) <= 1e-9 * Math.max(1, Math.abs(e)))) {
              throw new Error(`image ${n}, channel ${o}, position ${p}: w @ cols gives ${s}, the direct convolution ${e}`)
            }
          }
    }),
    { numRuns: 60 },
  )
})

test.run()
