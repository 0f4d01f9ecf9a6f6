// The raw convolution values, with no graph: check the shapes against the geometry `geom`,
// allocate the result and run the backend. src/autograd/conv_ops.ts wraps these as the
// differentiable conv2d and convTranspose2d, which take options and work out the geometry.
import { getBackend } from '../../backend/index.ts'
import type { Conv2dGeometry } from '../conv_geometry.ts'
import { formatShape, promote, sameShape } from '../strided.ts'
import { shapeError } from '../errors.ts'
import { output, reshape, zip } from './ops.ts'
import type { Tensor } from '../tensor.ts'

/** The shapes a geometry implies for the input x, the weight w and the output y of conv2d. */
export function convShapes(geom: Conv2dGeometry): { x: number[]; w: number[]; y: number[] } {
  return {
    x: [geom.batch, geom.inChannels, geom.height, geom.width],
    w: [geom.outChannels, geom.inChannels, geom.kernelH, geom.kernelW],
    y: [geom.batch, geom.outChannels, geom.outH, geom.outW],
  }
}

function expectShape(op: string, what: string, t: Tensor, shape: readonly number[]): void {
  if (!sameShape(t.shape, shape)) {
    throw shapeError(op, `${what} has shape ${formatShape(t.shape)}, but the geometry needs ${formatShape(shape)}`)
  }
}

/** y [N, O, outH, outW] = x [N, C, H, W] convolved with w [O, C, kh, kw] (no bias). */
export function conv2d(x: Tensor, w: Tensor, geom: Conv2dGeometry): Tensor {
  const s = convShapes(geom)
  expectShape('conv2d', 'the input x', x, s.x)
  expectShape('conv2d', 'the weight w', w, s.w)
  const backend = getBackend()
  const out = output(backend, s.y, promote(x.dtype, w.dtype), 'conv2d')
  backend.conv2d(x, w, geom, out)
  return out
}

/** dL/dx [N, C, H, W] of conv2d, from dL/dy gy [N, O, outH, outW] and the weight w. */
export function conv2dInputGrad(gy: Tensor, w: Tensor, geom: Conv2dGeometry): Tensor {
  const s = convShapes(geom)
  expectShape('conv2dInputGrad', 'the output gradient gy', gy, s.y)
  expectShape('conv2dInputGrad', 'the weight w', w, s.w)
  const backend = getBackend()
  const out = output(backend, s.x, promote(gy.dtype, w.dtype), 'conv2dInputGrad')
  backend.conv2dInputGrad(gy, w, geom, out)
  return out
}

/** dL/dw [O, C, kh, kw] of conv2d, from the input x and dL/dy gy [N, O, outH, outW]. */
export function conv2dWeightGrad(x: Tensor, gy: Tensor, geom: Conv2dGeometry): Tensor {
  const s = convShapes(geom)
  expectShape('conv2dWeightGrad', 'the input x', x, s.x)
  expectShape('conv2dWeightGrad', 'the output gradient gy', gy, s.y)
  const backend = getBackend()
  const out = output(backend, s.w, promote(x.dtype, gy.dtype), 'conv2dWeightGrad')
  backend.conv2dWeightGrad(x, gy, geom, out)
  return out
}

/**
 * y [N, O, ...] plus bias[o] in every channel o (bias [O], any stride): one broadcast add on the
 * backend, so an output kept on a device (or in the cpu backend's wasm memory) stays there.
 */
export function addChannelBias(y: Tensor, bias: Tensor): Tensor {
  return zip('add', y, reshape(bias, y.shape.map((d, axis) => (axis === 1 ? d : 1))))
}
