// GENERATED from solutions/nn/conv_backward.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 4.3: the gradients of a convolution, and of its adjoint, the transposed convolution.
//
// y = conv2d(x, w) + b[o] is linear in x and in w separately, so each gradient is another
// convolution-shaped product. The backend has one primitive for each of the three:
//   conv2d(x, w, g)             y  = w (*) x                      [N, O, outH, outW]
//   conv2dInputGrad(gy, w, g)   dx = the adjoint of x -> conv2d(x, w), applied to gy   [N, C, H, W]
//   conv2dWeightGrad(x, gy, g)  dw = sum over n and positions of gy times the patch of x   [O, C, kh, kw]
// The bias is added at every position of every image, so its gradient sums gy over N, H and W.
//
// A transposed convolution z = convTranspose2d(x, w) IS conv2dInputGrad(x, w, g), where g is the
// geometry of the forward convolution it is the adjoint of (from z's shape to x's). The adjoint of
// an adjoint is the map itself, and the weight enters the same product with the roles swapped.
import type { Tensor } from '../../src/tensor/tensor.ts'
import type { Conv2dGeometry } from '../../src/tensor/conv_geometry.ts'
import { conv2d, conv2dInputGrad, conv2dWeightGrad } from '../../src/tensor/raw/conv.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/**
 * The gradients of y = conv2d(x, w) + bias, given grad = dL/dy [N, O, outH, outW]:
 * [dL/dx [N, C, H, W], dL/dw [O, C, kh, kw], dL/dbias [O]].
 */
export function conv2dBackward(grad: Tensor, x: Tensor, w: Tensor, g: Conv2dGeometry): [Tensor, Tensor, Tensor] {
  // TODO(4.3): match each gradient to the primitive whose output has its shape; the bias was broadcast, so its gradient is a reduction
  throw new NotImplementedError('4.3', 'match each gradient to the primitive whose output has its shape; the bias was broadcast, so its gradient is a reduction')
}

/**
 * The gradients of z = convTranspose2d(x, w) + bias = conv2dInputGrad(x, w, g) + bias, given
 * grad = dL/dz [N, Cout, H', W'] (g.inChannels = Cout, g.height = H'), x [N, Cin, H, W] and
 * w [Cin, Cout, kh, kw]: [dL/dx, dL/dw, dL/dbias [Cout]].
 */
export function convTranspose2dBackward(grad: Tensor, x: Tensor, w: Tensor, g: Conv2dGeometry): [Tensor, Tensor, Tensor] {
  // TODO(4.3): the adjoint of an adjoint: the forward is conv2dInputGrad, so dx is the map it is the adjoint of; for dw the roles of input and output gradient swap
  throw new NotImplementedError('4.3', 'the adjoint of an adjoint: the forward is conv2dInputGrad, so dx is the map it is the adjoint of; for dw the roles of input and output gradient swap')
}
