// The geometry of a 2-D convolution: every size its kernels need, worked out and checked once, so
// the kernels (im2col, col2im, a backend's own loops) can trust it and stay plain loops.
//
// A convolution slides a kh x kw window over the zero-padded input with a step of `stride`:
//   outH = floor((H + 2 padH - kh) / strideH) + 1   (and the same for the width).
// A transposed convolution is described by the geometry of the forward convolution it is the
// adjoint of: its input plays that convolution's output, its output that convolution's input.
import { formatShape } from './strided.ts'
import { shapeError } from './errors.ts'

export interface Conv2dGeometry {
  batch: number
  inChannels: number
  height: number
  width: number
  outChannels: number
  kernelH: number
  kernelW: number
  strideH: number
  strideW: number
  padH: number
  padW: number
  outH: number
  outW: number
}

/** One number for both axes, or [h, w]. */
export type Pair = number | readonly [number, number]

export interface Conv2dOptions {
  /** Step of the window (1 by default). */
  stride?: Pair
  /** Zeros added on each side (0 by default). */
  padding?: Pair
}

export interface ConvTranspose2dOptions extends Conv2dOptions {
  /** Rows and columns added at the bottom and right of the output (0 by default; less than stride). */
  outputPadding?: Pair
}

/** [h, w] from a Pair, each an integer >= min. */
export function pair(op: string, what: string, value: Pair | undefined, fallback: number, min: number): [number, number] {
  const [h, w] = value === undefined ? [fallback, fallback] : Array.isArray(value) && value.length === 2 ? value : [value, value]
  if (!(Number.isInteger(h) && Number.isInteger(w) && h >= min && w >= min)) {
    throw shapeError(op, `${what} must be an integer >= ${min} or a pair [h, w] of them, got ${JSON.stringify(value)}`)
  }
  return [h, w]
}

function checkFourD(op: string, what: string, shape: readonly number[], layout: string, both: string): void {
  if (shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw shapeError(op, `${what} must be 4-D ${layout}, got ${formatShape(shape)} (${both})`)
  }
}

/**
 * The geometry of conv2d(x, w): x [N, C, H, W], w [O, C, kh, kw]. Throws a ShapeError naming the
 * op and both shapes when they do not fit together or the output would be empty.
 */
export function convGeometry(op: string, xShape: readonly number[], wShape: readonly number[], options: Conv2dOptions = {}): Conv2dGeometry {
  const both = `input ${formatShape(xShape)}, weight ${formatShape(wShape)}`
  checkFourD(op, 'the input', xShape, '[N, C, H, W]', both)
  checkFourD(op, 'the weight', wShape, '[outChannels, inChannels, kh, kw]', both)
  const [batch, inChannels, height, width] = xShape as [number, number, number, number]
  const [outChannels, wChannels, kernelH, kernelW] = wShape as [number, number, number, number]
  if (wChannels !== inChannels) {
    throw shapeError(op, `the input has ${inChannels} channels but the weight expects ${wChannels} (${both})`)
  }
  if (kernelH < 1 || kernelW < 1 || inChannels < 1 || outChannels < 1) {
    throw shapeError(op, `channels and kernel sizes must be positive (${both})`)
  }
  const [strideH, strideW] = pair(op, 'stride', options.stride, 1, 1)
  const [padH, padW] = pair(op, 'padding', options.padding, 0, 0)
  const outH = Math.floor((height + 2 * padH - kernelH) / strideH) + 1
  const outW = Math.floor((width + 2 * padW - kernelW) / strideW) + 1
  if (!(outH >= 1 && outW >= 1)) {
    throw shapeError(
      op,
      `a ${kernelH}x${kernelW} kernel does not fit in the ${height}x${width} input padded by ${padH}x${padW} ` +
        `(output would be ${outH}x${outW}; ${both}, stride [${strideH}, ${strideW}], padding [${padH}, ${padW}])`,
    )
  }
  return { batch, inChannels, height, width, outChannels, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW }
}

/**
 * The geometry of convTranspose2d(x, w) with PyTorch's layout: x [N, Cin, H, W], w [Cin, Cout, kh, kw],
 * output [N, Cout, H', W'] with H' = (H - 1) strideH - 2 padH + kh + outputPaddingH. It is returned as
 * the geometry of the forward convolution from [N, Cout, H', W'] to [N, Cin, H, W] (weight
 * [Cin, Cout, kh, kw] read as [O, C, kh, kw]), whose adjoint the transposed convolution is.
 */
export function convTransposeGeometry(
  op: string,
  xShape: readonly number[],
  wShape: readonly number[],
  options: ConvTranspose2dOptions = {},
): Conv2dGeometry {
  const both = `input ${formatShape(xShape)}, weight ${formatShape(wShape)}`
  checkFourD(op, 'the input', xShape, '[N, inChannels, H, W]', both)
  checkFourD(op, 'the weight', wShape, '[inChannels, outChannels, kh, kw]', both)
  const [batch, inChannels, h, w] = xShape as [number, number, number, number]
  const [wIn, outChannels, kernelH, kernelW] = wShape as [number, number, number, number]
  if (wIn !== inChannels) {
    throw shapeError(op, `the input has ${inChannels} channels but the weight expects ${wIn} (${both})`)
  }
  if (kernelH < 1 || kernelW < 1 || inChannels < 1 || outChannels < 1 || h < 1 || w < 1) {
    throw shapeError(op, `channels, kernel sizes and the input's height and width must be positive (${both})`)
  }
  const [strideH, strideW] = pair(op, 'stride', options.stride, 1, 1)
  const [padH, padW] = pair(op, 'padding', options.padding, 0, 0)
  const [extraH, extraW] = pair(op, 'outputPadding', options.outputPadding, 0, 0)
  if (extraH >= strideH || extraW >= strideW) {
    throw shapeError(op, `outputPadding [${extraH}, ${extraW}] must be smaller than the stride [${strideH}, ${strideW}] (${both})`)
  }
  const height = (h - 1) * strideH - 2 * padH + kernelH + extraH
  const width = (w - 1) * strideW - 2 * padW + kernelW + extraW
  if (!(height >= 1 && width >= 1)) {
    throw shapeError(op, `the output would be ${height}x${width}: padding [${padH}, ${padW}] is too large (${both}, stride [${strideH}, ${strideW}])`)
  }
  return { batch, inChannels: outChannels, height, width, outChannels: inChannels, kernelH, kernelW, strideH, strideW, padH, padW, outH: h, outW: w }
}
