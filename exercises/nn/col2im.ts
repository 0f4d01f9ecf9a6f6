// GENERATED from solutions/nn/col2im.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

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
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/**
 * Fold cols (a contiguous [C*kh*kw, N*outH*outW] matrix) back into out, a contiguous [N, C, H, W]
 * tensor, summing overlapping contributions. Every element of out is written: it may
 * hold anything on entry.
 */
export function col2im(cols: Strided, g: Conv2dGeometry, out: Strided): void {
  // TODO(4.2): clear out to 0, then walk the same six loops as im2col and add each column entry into the pixel im2col read it from, skipping the entries that came from the padding
  throw new NotImplementedError('4.2', 'clear out to 0, then walk the same six loops as im2col and add each column entry into the pixel im2col read it from, skipping the entries that came from the padding')
}
