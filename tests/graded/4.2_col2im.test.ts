import { test } from 'uvu'
import fc from 'fast-check'
import { conv2d, convGeometry, fromArray, getBackend, randn, Rng, setBackend } from '../../src/index.ts'
import type { Conv2dGeometry, Strided } from '../../src/index.ts'
import { col2im } from '#kata/nn/col2im'
import { im2col } from '#kata/nn/im2col'
import { assertClose, assertEqual, assertGradcheck, assertProperty, gradedFile } from './support.ts'
import { convCaseArb } from '../helpers/conv_naive.ts'

gradedFile('4.2', '#kata/nn/col2im')

// col2im is the reference backend's convolution (the cpu backend has kernels of its own): the
// conv2d tests below grade it there, whatever GENKATA_BACKEND says, and put the selection back.
let selected = ''
test.before(() => {
  selected = getBackend().name
  setBackend('reference')
})
test.after(() => void setBackend(selected))

function dense(shape: number[], values: ArrayLike<number>): Strided {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
  return { data: Float64Array.from(values), shape, strides, offset: 0 }
}

/** col2im into an output filled with NaN first (every element must be written). */
function fold(cols: number[][], g: Conv2dGeometry): Strided {
  const shape = [g.batch, g.inChannels, g.height, g.width]
  const out = dense(shape, new Float64Array(shape.reduce((p, d) => p * d, 1)).fill(NaN))
  col2im(dense([cols.length, cols[0]!.length], cols.flat()), g, out)
  return out
}

const ones = (rows: number, columns: number) => Array.from({ length: rows }, () => new Array<number>(columns).fill(1))
const image = (out: Strided) => {
  const [, , h, w] = out.shape as number[]
  return Array.from({ length: h! }, (_, i) => Array.from(out.data.subarray(i * w!, (i + 1) * w!)))
}

test('all-ones columns count how many windows cover each pixel (2x2 kernel, 3x3 image) [x3]', () => {
  const g = convGeometry('col2im test', [1, 1, 3, 3], [1, 1, 2, 2])
  assertClose(image(fold(ones(4, 4), g)), [
    [1, 2, 1],
    [2, 4, 2],
    [1, 2, 1],
  ])
})

test('padding: the entries that came from the padding are dropped [x2]', () => {
  // 3x3 windows with padding 1 on a 2x2 image: each of the 4 windows covers all 4 pixels.
  const g = convGeometry('col2im test', [1, 1, 2, 2], [1, 1, 3, 3], { padding: 1 })
  assertClose(image(fold(ones(9, 4), g)), [
    [4, 4],
    [4, 4],
  ])
})

test('stride larger than the kernel: pixels no window reads get 0 [x2]', () => {
  const g = convGeometry('col2im test', [1, 1, 3, 3], [1, 1, 1, 1], { stride: 2 })
  assertClose(image(fold([[1, 2, 3, 4]], g)), [
    [1, 0, 2],
    [0, 0, 0],
    [3, 0, 4],
  ])
})

test('column values land where im2col read them (channels, images, stride 2, padding 1) [x3]', () => {
  const g = convGeometry('col2im test', [2, 2, 2, 2], [1, 2, 2, 2], { stride: 2, padding: 1 })
  // Each pixel is read exactly once here (windows at -1 and 1 do not overlap): folding the columns
  // of x gives x back.
  const x = dense([2, 2, 2, 2], Array.from({ length: 16 }, (_, i) => i + 1))
  const cols = dense([8, 8], new Float64Array(64))
  im2col(x, g, cols)
  const rows = Array.from({ length: 8 }, (_, r) => Array.from(cols.data.subarray(r * 8, r * 8 + 8)))
  assertEqual(Array.from(fold(rows, g).data), Array.from(x.data), 'col2im(im2col(x)) where every pixel is read once (it must give x back)')
})

test('property: col2im is the adjoint of im2col, <im2col(x), c> = <x, col2im(c)> [x3]', () => {
  assertProperty(
    '4.2 col2im is the adjoint of im2col',
    fc.property(convCaseArb({ maxBatch: 2, maxChannels: 3 }), fc.integer({ min: 0, max: 1000 }), (c, seed) => {
      const g = convGeometry('col2im test', c.x, c.w, c)
      const rng = new Rng(seed)
      const x = randn(c.x, { rng, dtype: 'float64' })
      const rows = g.inChannels * g.kernelH * g.kernelW
      const columns = g.batch * g.outH * g.outW
      const cs = Array.from({ length: rows }, () => Array.from({ length: columns }, () => rng.normal()))
      const unfolded = dense([rows, columns], new Float64Array(rows * columns))
      im2col(x, g, unfolded)
      const folded = fold(cs, g)
      let left = 0
      let right = 0
      cs.flat().forEach((v, i) => (left += unfolded.data[i]! * v))
      x.toTypedArray().forEach((v, i) => (right += v * folded.data[i]!))
      if (!(Math.abs(left - right) <= 1e-9 * Math.max(1, Math.abs(left)))) {
        throw new Error(`<im2col(x), c> = ${left} but <x, col2im(c)> = ${right} for ${JSON.stringify(g)}`)
      }
    }),
    { numRuns: 60 },
  )
})

test('gradcheck: the input gradient of conv2d (built on col2im), stride 2 and padding 1 [x2]', () => {
  const rng = new Rng(7)
  assertGradcheck((x, w) => conv2d(x, w, null, { stride: 2, padding: 1 }), [randn([2, 2, 5, 4], { rng }), randn([3, 2, 3, 3], { rng })])
  assertGradcheck((x, w) => conv2d(x, w, null, { stride: [1, 3], padding: [2, 0] }), [randn([1, 3, 3, 7], { rng }), randn([2, 3, 2, 2], { rng })])
})

test('conv2d built on col2im: a 1x1 image gradient by hand', () => {
  // y = conv2d(x, w) with one 2x2 window over a 2x2 image: dL/dx = w when dL/dy = 1.
  const x = fromArray([1, 2, 3, 4], [1, 1, 2, 2], { requiresGrad: true })
  const w = fromArray([5, 6, 7, 8], [1, 1, 2, 2])
  conv2d(x, w).sum().backward()
  assertClose(x.grad!.toArray(), [[[[5, 6], [7, 8]]]])
})

test.run()
