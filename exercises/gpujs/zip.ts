// GENERATED from solutions/gpujs/zip.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 3.2: an element-wise kernel with broadcasting, out = op(a, b).
//
// One thread per element of out, whose shape is [o0, o1, o2, o3] (fewer axes are padded with
// leading 1s). this.thread.x is the element's position in row-major order: unravel it into
// (i0, i1, i2, i3), last axis fastest, as in exercise 1.1. Each input has its own shape
// [a0..a3] and strides [as0..as3], and broadcasting is the rule of exercise 1.2: on an axis where
// the input's size is 1, it reads index 0 whatever the output's index is.
// Then combine the two values with applyBinary(this.constants.op, x, y).
//
// gpu.js rules: read each constant as this.constants.<name>; plain numbers and Math only.
import type { KernelArray, KernelThis } from '../../src/backend/gpujs/kernel_this.ts'
import { applyBinary } from '../../src/backend/gpujs/ops.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

export interface ZipConstants {
  /** Which binary op (binaryCodes in src/backend/gpujs/ops.ts). */
  op: number
  o0: number
  o1: number
  o2: number
  o3: number
  a0: number
  a1: number
  a2: number
  a3: number
  as0: number
  as1: number
  as2: number
  as3: number
  b0: number
  b1: number
  b2: number
  b3: number
  bs0: number
  bs1: number
  bs2: number
  bs3: number
}

export function zipKernel(this: KernelThis<ZipConstants>, a: KernelArray, b: KernelArray): number {
  // TODO(3.2): unravel the thread's position into a 4-D index (exercise 1.1), broadcast it into each input (exercise 1.2), and find each input's element through its strides
  throw new NotImplementedError('3.2', 'unravel the thread\'s position into a 4-D index (exercise 1.1), broadcast it into each input (exercise 1.2), and find each input\'s element through its strides')
}
