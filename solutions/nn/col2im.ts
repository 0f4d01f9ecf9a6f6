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
  // BEGIN SOLUTION hint: clear out to 0, then walk the same six loops as im2col and add each column entry into the pixel im2col read it from, skipping the entries that came from the padding
  // HINT 2: add (+=), never assign: with a 2x2 kernel, stride 1, the centre pixel of a 3x3 image is read by all four windows, so all-ones columns give it 4. out is contiguous [N, C, H, W]: pixel (n, c, h, w) is at out.offset + ((n*C + c)*H + h)*W + w.
  const { batch, inChannels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g
  out.data.fill(0, out.offset, out.offset + batch * inChannels * height * width)
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
              if (h < 0 || h >= height || w < 0 || w >= width) continue // this entry sat on the padding
              out.data[out.offset + ((n * inChannels + c) * height + h) * width + w]! += cols.data[cols.offset + r * columns + q]!
            }
          }
        }
      }
    }
  }
  // END SOLUTION
}
