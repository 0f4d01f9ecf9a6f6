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
  // BEGIN SOLUTION hint: unravel the thread's position into a 4-D index (exercise 1.1), broadcast it into each input (exercise 1.2), and find each input's element through its strides
  // HINT 2: the last axis moves fastest: i3 is the remainder of x by o3, and the rest, divided by o3, goes on to o2 and o1. On an axis where an input's size is 1 that input reads index 0, so that axis adds nothing to its position. Combine with applyBinary(this.constants.op, ...).
  const x = this.thread.x
  const i3 = x % this.constants.o3
  const r3 = (x - i3) / this.constants.o3
  const i2 = r3 % this.constants.o2
  const r2 = (r3 - i2) / this.constants.o2
  const i1 = r2 % this.constants.o1
  const i0 = (r2 - i1) / this.constants.o1
  let aAt = 0
  if (this.constants.a0 > 1) aAt += i0 * this.constants.as0
  if (this.constants.a1 > 1) aAt += i1 * this.constants.as1
  if (this.constants.a2 > 1) aAt += i2 * this.constants.as2
  if (this.constants.a3 > 1) aAt += i3 * this.constants.as3
  let bAt = 0
  if (this.constants.b0 > 1) bAt += i0 * this.constants.bs0
  if (this.constants.b1 > 1) bAt += i1 * this.constants.bs1
  if (this.constants.b2 > 1) bAt += i2 * this.constants.bs2
  if (this.constants.b3 > 1) bAt += i3 * this.constants.bs3
  return applyBinary(this.constants.op, a[aAt], b[bAt])
  // END SOLUTION
}
