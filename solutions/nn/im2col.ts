// Exercise 4.1: im2col, the unfolding that turns a convolution into one matrix product.
//
// Each output pixel of a convolution is a dot product between the weight [O, C*kh*kw] and the
// kh x kw patch of the input under the window at that position. Copy every patch into a column
// and all of those dot products become one product:  out [O, N*outH*outW] = w [O, C*kh*kw] @ cols.
//
// The matrix is cols [C*kh*kw, N*outH*outW]:
//   row    r = (c * kh + i) * kw + j            (channel c, kernel row i, kernel column j)
//   column q = (n * outH + oh) * outW + ow      (image n, output row oh, output column ow)
//   cols[r, q] = x[n, c, oh * strideH - padH + i, ow * strideW - padW + j], or 0 where that
//               position falls in the padding (outside the image).
import type { Strided } from '../../src/tensor/strided.ts'
import type { Conv2dGeometry } from '../../src/tensor/conv_geometry.ts'

/**
 * Unfold x [N, C, H, W] (any strides and offset) into cols, a contiguous [C*kh*kw, N*outH*outW]
 * matrix. Every element of cols is written, the zeros of the padding included.
 */
export function im2col(x: Strided, g: Conv2dGeometry, cols: Strided): void {
  // BEGIN SOLUTION hint: six nested loops, one per row part (c, i, j) and column part (n, oh, ow); the input position comes from the window's corner and the padding, and a bounds test decides between reading x and writing 0
  // HINT 2: the window of output (oh, ow) starts at input row oh * strideH - padH: kernel row i adds i to it. For a 3x3 image, 2x2 kernel, stride 1, no padding, row r = 1 (c 0, i 0, j 1) holds x at (0,1), (0,2), (1,1), (1,2). x may be a view: find its element through its own strides and offset.
  const { batch, inChannels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g
  const [sN, sC, sH, sW] = x.strides as [number, number, number, number]
  const columns = batch * outH * outW
  for (let c = 0; c < inChannels; c++) {
    for (let i = 0; i < kernelH; i++) {
      for (let j = 0; j < kernelW; j++) {
        const r = (c * kernelH + i) * kernelW + j
        for (let n = 0; n < batch; n++) {
          for (let oh = 0; oh < outH; oh++) {
            for (let ow = 0; ow < outW; ow++) {
              const q = (n * outH + oh) * outW + ow
              const h = oh * strideH - padH + i
              const w = ow * strideW - padW + j
              const inside = h >= 0 && h < height && w >= 0 && w < width
              cols.data[cols.offset + r * columns + q] = inside ? x.data[x.offset + n * sN + c * sC + h * sH + w * sW]! : 0
            }
          }
        }
      }
    }
  }
  // END SOLUTION
}
