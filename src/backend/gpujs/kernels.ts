// Every gpu.js kernel genkata runs, each written once as a typed function that gpu.js compiles for
// its cpu, webasm and webgpu backends. A kernel is the body of a parallel loop: gpu.js calls it
// once per output element (this.thread says which) and the value it returns is that element.
//
// Three of them are exercise 3.x (matmul, zip, reduce: imported through #kata so the student's
// version runs when grading). The rest are written here:
//   mapKernel      element-wise unary op over a contiguous input of out's size. It does no index
//                  arithmetic of its own: the backend gathers a strided or broadcast view with zip
//                  (x * 1, exact) first, so unravelling and broadcasting live only in exercise 3.2
//   conv2d*        direct convolution and its two gradients, one thread per output value
// Sizes and strides are kernel constants: loops bounded by constants have no iteration cap, and a
// kernel compiled for one size is never called with another (the backend caches per constants).
import type { KernelArray, KernelThis } from './kernel_this.ts'
import type { Conv2dGeometry } from '../../tensor/conv_geometry.ts'
import { applyBinary, applyReduce, applyUnary } from './ops.ts'
import { matmulKernel } from '#kata/gpujs/matmul'
import { zipKernel, type ZipConstants } from '#kata/gpujs/zip'
import { reduceKernel } from '#kata/gpujs/reduce'

export { matmulKernel, zipKernel, reduceKernel }
export type { MatmulConstants } from '#kata/gpujs/matmul'
export type { ZipConstants } from '#kata/gpujs/zip'
export type { ReduceConstants } from '#kata/gpujs/reduce'

/** The map kernel's constants: an op code (a unary one here, as in zip's `op`) and the op's two parameters. */
export type MapConstants = Pick<ZipConstants, 'op'> & { p0: number; p1: number }

/** out[i] = op(a[i]): a is contiguous and as long as out (the backend gathers any other view first). */
export function mapKernel(this: KernelThis<MapConstants>, a: KernelArray): number {
  return applyUnary(this.constants.op, a[this.thread.x], this.constants.p0, this.constants.p1)
}

/** The convolution's geometry plus the strides of its two operands (x or gy first, then w or gy). */
export interface ConvConstants extends Conv2dGeometry {
  /** Strides of the first operand's 4 axes. */
  s0: number
  s1: number
  s2: number
  s3: number
  /** Strides of the second operand's 4 axes. */
  t0: number
  t1: number
  t2: number
  t3: number
}

/**
 * out[n, o, y, x] = sum over c, i, j of x[n, c, y*sH - pH + i, x*sW - pW + j] * w[o, c, i, j],
 * zero outside the input. Output [outW, outH, batch * outChannels]; thread.z is n * O + o.
 */
export function conv2dKernel(this: KernelThis<ConvConstants>, x: KernelArray, w: KernelArray): number {
  const o = this.thread.z % this.constants.outChannels
  const n = (this.thread.z - o) / this.constants.outChannels
  const top = this.thread.y * this.constants.strideH - this.constants.padH
  const left = this.thread.x * this.constants.strideW - this.constants.padW
  let sum = 0
  for (let c = 0; c < this.constants.inChannels; c++) {
    for (let i = 0; i < this.constants.kernelH; i++) {
      const yy = top + i
      if (yy >= 0 && yy < this.constants.height) {
        for (let j = 0; j < this.constants.kernelW; j++) {
          const xx = left + j
          if (xx >= 0 && xx < this.constants.width) {
            sum +=
              x[n * this.constants.s0 + c * this.constants.s1 + yy * this.constants.s2 + xx * this.constants.s3] *
              w[o * this.constants.t0 + c * this.constants.t1 + i * this.constants.t2 + j * this.constants.t3]
          }
        }
      }
    }
  }
  return sum
}

/**
 * gx[n, c, h, v] = sum of gy[n, o, y, x] * w[o, c, i, j] over every (o, i, j) whose window put
 * input (h, v) under kernel tap (i, j): h = y*sH - pH + i, so y = (h + pH - i) / sH when that is a
 * whole number in range. Output [width, height, batch * inChannels]; operands gy then w.
 */
export function conv2dInputGradKernel(this: KernelThis<ConvConstants>, gy: KernelArray, w: KernelArray): number {
  const c = this.thread.z % this.constants.inChannels
  const n = (this.thread.z - c) / this.constants.inChannels
  let sum = 0
  for (let o = 0; o < this.constants.outChannels; o++) {
    for (let i = 0; i < this.constants.kernelH; i++) {
      const ty = this.thread.y + this.constants.padH - i
      const y = ty / this.constants.strideH
      if (ty >= 0 && ty % this.constants.strideH === 0 && y < this.constants.outH) {
        for (let j = 0; j < this.constants.kernelW; j++) {
          const tx = this.thread.x + this.constants.padW - j
          const xx = tx / this.constants.strideW
          if (tx >= 0 && tx % this.constants.strideW === 0 && xx < this.constants.outW) {
            sum +=
              gy[n * this.constants.s0 + o * this.constants.s1 + y * this.constants.s2 + xx * this.constants.s3] *
              w[o * this.constants.t0 + c * this.constants.t1 + i * this.constants.t2 + j * this.constants.t3]
          }
        }
      }
    }
  }
  return sum
}

/**
 * gw[o, c, i, j] = sum over n, y, x of gy[n, o, y, x] * x[n, c, y*sH - pH + i, x*sW - pW + j].
 * Output [kernelW, kernelH, outChannels * inChannels]; operands x then gy.
 */
export function conv2dWeightGradKernel(this: KernelThis<ConvConstants>, x: KernelArray, gy: KernelArray): number {
  const c = this.thread.z % this.constants.inChannels
  const o = (this.thread.z - c) / this.constants.inChannels
  let sum = 0
  for (let n = 0; n < this.constants.batch; n++) {
    for (let y = 0; y < this.constants.outH; y++) {
      const yy = y * this.constants.strideH - this.constants.padH + this.thread.y
      if (yy >= 0 && yy < this.constants.height) {
        for (let v = 0; v < this.constants.outW; v++) {
          const xx = v * this.constants.strideW - this.constants.padW + this.thread.x
          if (xx >= 0 && xx < this.constants.width) {
            sum +=
              gy[n * this.constants.t0 + o * this.constants.t1 + y * this.constants.t2 + v * this.constants.t3] *
              x[n * this.constants.s0 + c * this.constants.s1 + yy * this.constants.s2 + xx * this.constants.s3]
          }
        }
      }
    }
  }
  return sum
}

/** The kernels by name, with the helper functions each one calls (gpu.js compiles them alongside). */
export const kernels = {
  map: { fn: mapKernel, helpers: [applyUnary] },
  zip: { fn: zipKernel, helpers: [applyBinary] },
  reduce: { fn: reduceKernel, helpers: [applyReduce] },
  matmul: { fn: matmulKernel, helpers: [] },
  conv2d: { fn: conv2dKernel, helpers: [] },
  conv2dInputGrad: { fn: conv2dInputGradKernel, helpers: [] },
  conv2dWeightGrad: { fn: conv2dWeightGradKernel, helpers: [] },
} as const

export type KernelName = keyof typeof kernels
