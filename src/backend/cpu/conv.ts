// Convolution on the WebAssembly GEMM. With K = C*kh*kw rows of the columns matrix (one per input
// channel and kernel offset) and P = N*outH*outW output positions:
//
//   forward       y  [O, P] = w [O, K] @ cols [K, P]            then [O, N, L] -> [N, O, L]
//   input grad    dcols [K, P] = w^T [K, O] @ gy [O, P]         then col2im folds dcols onto gx
//   weight grad   gw [O, K] = gy [O, P] @ cols^T [P, K]
//
// im2col writes the columns straight into the packed panel layout the GEMM reads (kernels.wat), so
// the columns matrix is built once and never repacked; w^T is read through w's strides while packing.
import type { Strided } from '../../tensor/strided.ts'
import type { Conv2dGeometry } from '../../tensor/conv_geometry.ts'
import { NR, copyOut, gemmPacked, packA, packB } from './gemm.ts'
import { parallel } from './pool.ts'
import { alloc, beginCall, getRuntime } from './wasm.ts'
import { finishOutput, outputAddress, residentAddress, stage, stageDense } from './resident.ts'

/** Run per-image kernels on several threads once there is this much to copy. */
const THREAD_MIN_ELEMENTS = 1 << 15

function sizes(g: Conv2dGeometry) {
  const k = g.inChannels * g.kernelH * g.kernelW
  const plane = g.outH * g.outW
  return { k, plane, positions: g.batch * plane }
}

function geometryArgs(g: Conv2dGeometry): number[] {
  return [g.inChannels, g.height, g.width, g.kernelH, g.kernelW, g.strideH, g.strideW, g.padH, g.padW, g.outH, g.outW]
}

/**
 * The columns of x in one of the layouts im2col writes: [kPanel, kLane, pPanel, pLane] bytes.
 * Returns the buffer's address.
 */
function columns(x: Strided, g: Conv2dGeometry, layout: [number, number, number, number], floats: number): number {
  const sx = stage(x)
  const dst = alloc(floats)
  const grain = Math.max(1, Math.ceil(g.batch / 16))
  const threads = sizes(g).k * sizes(g).positions >= THREAD_MIN_ELEMENTS
  if (layout[1] === 4 && layout[3] === 32 && g.kernelW % 4 === 0 && sx.strides[3] === 4) {
    // cols^T for a kernel width of 4 (or 8, ...): four kernel columns move as one vector.
    const [sn, sc, sh] = sx.strides as [number, number, number, number]
    parallel('im2col_quads', [sx.address, sn, sc, sh, ...geometryArgs(g), dst, sizes(g).positions, 0, 0], 17, g.batch, grain, threads)
    return dst
  }
  parallel('im2col', [sx.address, ...sx.strides, ...geometryArgs(g), dst, ...layout, 0, 0], 21, g.batch, grain, threads)
  return dst
}

/** gy [N, O, L] regrouped as the matrix [O, N*L] (one column per output position), in wasm memory. */
function gradMatrix(gy: Strided, g: Conv2dGeometry): number {
  const { plane, positions } = sizes(g)
  const src = stageDense(gy)
  const dst = alloc(g.outChannels * positions)
  parallel('swap_outer', [src, g.outChannels * plane * 4, plane * 4, dst, g.batch, plane, 0, 0], 6, g.outChannels, 1,
    g.outChannels * positions >= THREAD_MIN_ELEMENTS)
  return dst
}

export function conv2dF32(x: Strided, w: Strided, g: Conv2dGeometry, out: Strided): void {
  getRuntime()
  beginCall()
  const { k, plane, positions } = sizes(g)
  // cols as the right operand: panels of 8 positions, each K rows of 8 floats.
  const cols = columns(x, g, [256, 32, k * 32, 4], Math.ceil(positions / NR) * NR * k)
  const pw = packA({ address: stageDense(w), rowStride: k * 4, colStride: 4 }, g.outChannels, k)
  const { c, ldc } = gemmPacked(pw, cols, g.outChannels, k, positions)
  // [O, N, L] -> [N, O, L]
  const size = g.batch * g.outChannels * plane
  const y = outputAddress(out, size)
  parallel('swap_outer', [c, ldc * 4, plane * 4, y, g.outChannels, plane, 0, 0], 6, g.batch, Math.max(1, Math.ceil(g.batch / 16)),
    g.outChannels * positions >= THREAD_MIN_ELEMENTS)
  finishOutput(y, out, size)
}

export function conv2dInputGrad(gy: Strided, w: Strided, g: Conv2dGeometry, gx: Strided): void {
  getRuntime()
  beginCall()
  const { k, positions } = sizes(g)
  const gm = gradMatrix(gy, g)
  // w^T [K, O]: w [O, K] read with its strides swapped.
  const pw = packA({ address: stageDense(w), rowStride: 4, colStride: k * 4 }, k, g.outChannels)
  const pg = packB({ address: gm, rowStride: positions * 4, colStride: 4 }, g.outChannels, positions)
  const { c, ldc } = gemmPacked(pw, pg, k, g.outChannels, positions)
  const size = g.batch * g.inChannels * g.height * g.width
  const dx = outputAddress(gx, size)
  const g2 = geometryArgs(g)
  parallel('col2im', [c, 8 * ldc * 4, ldc * 4, 32, 4, dx, ...g2, 0, 0], 17, g.batch, Math.max(1, Math.ceil(g.batch / 16)),
    k * positions >= THREAD_MIN_ELEMENTS)
  finishOutput(dx, gx, size)
}

export function conv2dWeightGrad(x: Strided, gy: Strided, g: Conv2dGeometry, gw: Strided): void {
  getRuntime()
  beginCall()
  const { k, positions } = sizes(g)
  const pg = packA({ address: gradMatrix(gy, g), rowStride: positions * 4, colStride: 4 }, g.outChannels, positions)
  // cols^T as the right operand: panels of 8 rows of cols, each P rows of 8 floats.
  const colsT = columns(x, g, [positions * 32, 4, 256, 32], Math.ceil(k / NR) * NR * positions)
  const { c, ldc } = gemmPacked(pg, colsT, g.outChannels, positions, k, residentAddress(gw))
  copyOut(c, ldc, g.outChannels, k, gw, 0)
}

