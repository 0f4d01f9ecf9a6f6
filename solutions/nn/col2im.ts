// Exercise 4.2: col2im, the adjoint of im2col.
//
// im2col copies each input pixel into every column whose window covers it. Going backwards, the
// gradient of that pixel is the sum of the gradients of all of its copies: walk the same (row,
// column) pairs as im2col, and ADD cols[r, q] into the pixel it was read from. Entries that came
// from the padding have no pixel and are dropped. With stride < kernel the windows overlap and a
// pixel collects several terms; with stride > kernel some pixels are never read and get 0.
//
// Layout (as in im2col): cols [C*kh*kw, N*outH*outW], row r = (c*kh + i)*kw + j, column
// q = (n*outH + oh)*outW + ow, read from x[n, c, oh*strideH - padH + i, ow*strideW - padW + j].
import type { Strided } from '../../src/tensor/strided.ts'
import type { Conv2dGeometry } from '../../src/tensor/conv_geometry.ts'

/**
 * Fold cols (a contiguous [C*kh*kw, N*outH*outW] matrix) back into out, a contiguous [N, C, H, W]
 * tensor, summing overlapping contributions. Every element of out is written: it may
 * hold anything on entry.
 */
export function col2im(cols: Strided, g: Conv2dGeometry, out: Strided): void {
  // BEGIN SOLUTION hint: fill out with 0, then loop exactly as im2col does and add cols[r, q] into out at (n, c, oh*strideH - padH + i, ow*strideW - padW + j) when that lies inside the image
  const { batch, inChannels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g
  const src = cols.data
  const dst = out.data
  dst.fill(0, out.offset, out.offset + batch * inChannels * height * width)
  const columns = batch * outH * outW
  for (let c = 0; c < inChannels; c++) {
    for (let i = 0; i < kernelH; i++) {
      for (let j = 0; j < kernelW; j++) {
        const row = cols.offset + ((c * kernelH + i) * kernelW + j) * columns
        // Only the output columns whose input column lies inside the image contribute.
        const owStart = Math.min(outW, Math.max(0, Math.ceil((padW - j) / strideW)))
        const owEnd = Math.max(owStart, Math.min(outW, Math.floor((width - 1 + padW - j) / strideW) + 1))
        for (let n = 0; n < batch; n++) {
          for (let oh = 0; oh < outH; oh++) {
            const h = oh * strideH - padH + i
            if (h < 0 || h >= height) continue // this row of the window sat on the padding
            const at = row + (n * outH + oh) * outW
            let d = out.offset + ((n * inChannels + c) * height + h) * width + owStart * strideW - padW + j
            for (let ow = owStart; ow < owEnd; ow++, d += strideW) dst[d]! += src[at + ow]!
          }
        }
      }
    }
  }
  // END SOLUTION
}
