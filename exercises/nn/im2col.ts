// GENERATED from solutions/nn/im2col.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

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
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/**
 * Unfold x [N, C, H, W] (any strides and offset) into cols, a contiguous [C*kh*kw, N*outH*outW]
 * matrix. Every element of cols is written, the zeros of the padding included.
 */
export function im2col(x: Strided, g: Conv2dGeometry, cols: Strided): void {
  // TODO(4.1): six nested loops, one per row part (c, i, j) and column part (n, oh, ow); the input position comes from the window's corner and the padding, and a bounds test decides between reading x and writing 0
  throw new NotImplementedError('4.1', 'six nested loops, one per row part (c, i, j) and column part (n, oh, ow); the input position comes from the window\'s corner and the padding, and a bounds test decides between reading x and writing 0')
}
