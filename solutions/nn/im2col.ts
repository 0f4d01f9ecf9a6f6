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
  // BEGIN SOLUTION hint: for each (c, i, j) row and each (n, oh, ow) column, read x at (n, c, oh*strideH - padH + i, ow*strideW - padW + j) through its strides, or write 0 outside the image
  const { batch, inChannels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g
  const [sN, sC, sH, sW] = x.strides as [number, number, number, number]
  const src = x.data
  const dst = cols.data
  const columns = batch * outH * outW
  for (let c = 0; c < inChannels; c++) {
    for (let i = 0; i < kernelH; i++) {
      for (let j = 0; j < kernelW; j++) {
        const row = cols.offset + ((c * kernelH + i) * kernelW + j) * columns
        // The output columns whose input column ow*strideW - padW + j lies inside the image: the
        // same range for every row of the patch, so the inner loop needs no bounds test.
        const owStart = Math.min(outW, Math.max(0, Math.ceil((padW - j) / strideW)))
        const owEnd = Math.max(owStart, Math.min(outW, Math.floor((width - 1 + padW - j) / strideW) + 1))
        for (let n = 0; n < batch; n++) {
          for (let oh = 0; oh < outH; oh++) {
            const at = row + (n * outH + oh) * outW
            const h = oh * strideH - padH + i
            if (h < 0 || h >= height) {
              dst.fill(0, at, at + outW) // a row of padding
              continue
            }
            dst.fill(0, at, at + owStart)
            let s = x.offset + n * sN + c * sC + h * sH + (owStart * strideW - padW + j) * sW
            for (let ow = owStart; ow < owEnd; ow++, s += strideW * sW) dst[at + ow] = src[s]!
            dst.fill(0, at + owEnd, at + outW)
          }
        }
      }
    }
  }
  // END SOLUTION
}
