// GENERATED from solutions/gpujs/matmul.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 3.1: a matrix-product kernel for gpu.js.
//
// gpu.js runs this function once per output element, in parallel on a GPU (or in a loop on the
// CPU). The output is 3-D, [m, n, batch] in gpu.js's [x, y, z] order, so thread (x, y, z) computes
// out[z][y][x] = sum over p of a[z][y][p] * b[z][p][x]:
//   i = this.thread.y (row of a), j = this.thread.x (column of b), t = this.thread.z (batch).
// a and b arrive as flat float32 buffers; element [t][i][p] of a lives at
//   t * aBatch + i * aRow + p * aCol
// (strides, so transposed and broadcast views need no copy; aBatch is 0 when a is broadcast).
//
// gpu.js rules: read every size as this.constants.<name> (no `const c = this.constants`), loop up
// to a constant (a loop bounded by an argument silently stops after 1000 iterations), and return
// one number.
import type { KernelArray, KernelThis } from '../../src/backend/gpujs/kernel_this.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

export interface MatmulConstants {
  /** The shared inner dimension. */
  k: number
  aBatch: number
  aRow: number
  aCol: number
  bBatch: number
  bRow: number
  bCol: number
}

export function matmulKernel(this: KernelThis<MatmulConstants>, a: KernelArray, b: KernelArray): number {
  // TODO(3.1): one dot product per thread, walking the inner dimension through the strides
  throw new NotImplementedError('3.1', 'one dot product per thread, walking the inner dimension through the strides')
}
