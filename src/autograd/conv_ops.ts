// Convolution as differentiable ops. The forward values are raw ops (src/tensor/raw/conv.ts);
// the backward formulas are exercise 4.3 (solutions/nn/conv_backward.ts). The bias is an input of
// the op rather than a separate broadcast add: one node, and its gradient is part of the exercise.
import type { Tensor } from '../tensor/tensor.ts'
import * as raw from '../tensor/raw/index.ts'
import type { Conv2dGeometry, Conv2dOptions, ConvTranspose2dOptions } from '../tensor/conv_geometry.ts'
import { convGeometry, convTransposeGeometry } from '../tensor/conv_geometry.ts'
import { formatShape } from '../tensor/strided.ts'
import { shapeError } from '../tensor/errors.ts'
import type { OpDefinition } from './node.ts'
import { apply } from './node.ts'
import { conv2dBackward, convTranspose2dBackward } from '#kata/nn/conv_backward'

function withBias(y: Tensor, bias: Tensor | undefined): Tensor {
  return bias ? raw.addChannelBias(y, bias) : y
}

const conv2dOp: OpDefinition<Conv2dGeometry> = {
  name: 'conv2d',
  forward: ([x, w, bias], geom) => withBias(raw.conv2d(x!, w!, geom), bias),
  backward(grad, [x, w, bias], _out, geom) {
    const [dx, dw, dbias] = conv2dBackward(grad, x!, w!, geom)
    return bias ? [dx, dw, dbias] : [dx, dw]
  },
}

const convTranspose2dOp: OpDefinition<Conv2dGeometry> = {
  name: 'convTranspose2d',
  // The adjoint of the forward convolution described by geom.
  forward: ([x, w, bias], geom) => withBias(raw.conv2dInputGrad(x!, w!, geom), bias),
  backward(grad, [x, w, bias], _out, geom) {
    const [dx, dw, dbias] = convTranspose2dBackward(grad, x!, w!, geom)
    return bias ? [dx, dw, dbias] : [dx, dw]
  },
}

function checkBias(op: string, bias: Tensor | null | undefined, channels: number, x: Tensor, w: Tensor): void {
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== channels)) {
    throw shapeError(
      op,
      `the bias must have shape [${channels}] (one value per output channel), got ${formatShape(bias.shape)} ` +
        `(input ${formatShape(x.shape)}, weight ${formatShape(w.shape)})`,
    )
  }
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch): x [N, C, H, W], w [O, C, kh, kw], bias [O]
 * or null -> [N, O, outH, outW] with outH = floor((H + 2 padH - kh) / strideH) + 1.
 */
export function conv2d(x: Tensor, w: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const geom = convGeometry('conv2d', x.shape, w.shape, options)
  checkBias('conv2d', bias, geom.outChannels, x, w)
  return apply(conv2dOp, bias ? [x, w, bias] : [x, w], geom)
}

/**
 * Transposed convolution with PyTorch's layout: x [N, Cin, H, W], w [Cin, Cout, kh, kw], bias
 * [Cout] or null -> [N, Cout, H', W'] with H' = (H - 1) strideH - 2 padH + kh + outputPaddingH.
 * It is the adjoint (the input gradient) of conv2d with the same weight, stride and padding.
 */
export function convTranspose2d(x: Tensor, w: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  const geom = convTransposeGeometry('convTranspose2d', x.shape, w.shape, options)
  checkBias('convTranspose2d', bias, geom.inChannels, x, w)
  return apply(convTranspose2dOp, bias ? [x, w, bias] : [x, w], geom)
}
