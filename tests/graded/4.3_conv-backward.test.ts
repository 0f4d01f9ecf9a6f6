import { test } from 'uvu'
import fc from 'fast-check'
import { conv2d, convTranspose2d, convGeometry, convTransposeGeometry, fromArray, ones, randn, Rng } from '../../src/index.ts'
import { conv2dBackward, convTranspose2dBackward } from '#kata/nn/conv_backward'
import { assertClose, assertGradcheck, assertProperty, gradedFile } from './support.ts'
import { convCaseArb } from '../helpers/conv_naive.ts'

gradedFile('4.3', '#kata/nn/conv_backward')

const x3 = () => fromArray([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3])

test('conv2dBackward by hand: a 2x2 kernel of ones over a 3x3 image, upstream gradient of ones [x3]', () => {
  const x = x3()
  const w = ones([1, 1, 2, 2])
  const g = convGeometry('test', x.shape, w.shape)
  const [dx, dw, db] = conv2dBackward(ones([1, 1, 2, 2]), x, w, g)
  // dx counts the windows covering each pixel; dw[i, j] sums the pixels each kernel tap saw.
  assertClose(dx.toArray(), [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]], 1e-5, 'dL/dx')
  assertClose(dw.toArray(), [[[[1 + 2 + 4 + 5, 2 + 3 + 5 + 6], [4 + 5 + 7 + 8, 5 + 6 + 8 + 9]]]], 1e-5, 'dL/dw')
  assertClose(db.toArray(), [4], 1e-5, 'dL/db')
})

test('conv2dBackward by hand: stride 2, padding 1, two output channels [x2]', () => {
  const x = fromArray([1, 2, 3, 4], [1, 1, 2, 2])
  const w = fromArray([1, 0, 0, 0, 0, 0, 0, 1], [2, 1, 2, 2]) // channel 0 taps (0,0), channel 1 taps (1,1)
  const g = convGeometry('test', x.shape, w.shape, { stride: 2, padding: 1 })
  const grad = fromArray([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2])
  const [dx, dw, db] = conv2dBackward(grad, x, w, g)
  // Window (a, b) covers padded rows 2a-1..2a and columns 2b-1..2b, so tap (i, j) sees pixel
  // (2a-1+i, 2b-1+j): each pixel is seen by exactly one (window, tap) pair. Channel 0's only tap
  // (0,0) sees x[1][1] from window (1,1); channel 1's tap (1,1) sees x[0][0] from window (0,0).
  assertClose(dx.toArray(), [[[[5 * 1, 0], [0, 4 * 1]]]], 1e-5, 'dL/dx')
  // dw[o, 0, i, j] = grad[o] at the window whose tap (i, j) is inside, times that pixel.
  assertClose(dw.toArray(), [[[[4 * 4, 3 * 3], [2 * 2, 1 * 1]]], [[[8 * 4, 7 * 3], [6 * 2, 5 * 1]]]], 1e-5, 'dL/dw')
  assertClose(db.toArray(), [1 + 2 + 3 + 4, 5 + 6 + 7 + 8], 1e-5, 'dL/db')
})

test('convTranspose2dBackward by hand: a 2x2 kernel of ones scattered from a 2x2 input [x3]', () => {
  const x = fromArray([1, 2, 3, 4], [1, 1, 2, 2])
  const w = ones([1, 1, 2, 2])
  const g = convTransposeGeometry('test', x.shape, w.shape) // output 3x3
  const grad = x3()
  const [dx, dw, db] = convTranspose2dBackward(grad, x, w, g)
  // dx: each input pixel was copied into a 2x2 block of the output, so it collects that block's gradient.
  assertClose(dx.toArray(), [[[[1 + 2 + 4 + 5, 2 + 3 + 5 + 6], [4 + 5 + 7 + 8, 5 + 6 + 8 + 9]]]], 1e-5, 'dL/dx')
  // dw[i, j] = sum over input pixels of x[h, w] grad[h + i, w + j]
  assertClose(dw.toArray(), [[[[1 * 1 + 2 * 2 + 3 * 4 + 4 * 5, 1 * 2 + 2 * 3 + 3 * 5 + 4 * 6], [1 * 4 + 2 * 5 + 3 * 7 + 4 * 8, 1 * 5 + 2 * 6 + 3 * 8 + 4 * 9]]]], 1e-5, 'dL/dw')
  assertClose(db.toArray(), [45], 1e-5, 'dL/db')
})

test('gradcheck: conv2d with bias for random shapes, strides 1-3, paddings 0-2, non-contiguous inputs [x2]', () => {
  assertProperty(
    '4.3 conv2d gradcheck',
    fc.property(convCaseArb({ maxBatch: 2, maxChannels: 2 }), fc.integer({ min: 0, max: 1000 }), (c, seed) => {
      const rng = new Rng(seed)
      // x is handed to conv2d as a transposed view: the op must not assume contiguous inputs.
      const xT = randn([c.x[0]!, c.x[1]!, c.x[3]!, c.x[2]!], { rng })
      const w = randn(c.w, { rng })
      const b = randn([c.w[0]!], { rng })
      assertGradcheck((xT, w, b) => conv2d(xT.transpose(2, 3), w, b, c), [xT, w, b])
    }),
    { numRuns: 25 },
  )
})

test('gradcheck: convTranspose2d with bias for random shapes, strides, paddings and output paddings [x2]', () => {
  assertProperty(
    '4.3 convTranspose2d gradcheck',
    fc.property(convCaseArb({ maxBatch: 2, maxChannels: 2 }), fc.integer({ min: 0, max: 1000 }), (c, seed) => {
      const rng = new Rng(seed)
      // Reuse the case as the forward convolution: convTranspose2d maps its output shape back.
      const g = convGeometry('test', c.x, c.w, c)
      // The output padding that gives back exactly the forward convolution's input size.
      const outputPadding: [number, number] = [(g.height + 2 * g.padH - g.kernelH) % g.strideH, (g.width + 2 * g.padW - g.kernelW) % g.strideW]
      const xT = randn([g.batch, g.outChannels, g.outW, g.outH], { rng }) // handed over transposed
      const w = randn(c.w, { rng }) // [Cin, Cout, kh, kw] for the transposed convolution
      const b = randn([c.w[1]!], { rng })
      assertGradcheck((xT, w, b) => convTranspose2d(xT.transpose(2, 3), w, b, { ...c, outputPadding }), [xT, w, b])
    }),
    { numRuns: 25 },
  )
})

test.run()
