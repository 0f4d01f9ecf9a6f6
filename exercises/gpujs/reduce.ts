// GENERATED from solutions/gpujs/reduce.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 3.3: a reduction kernel, one thread per output value.
//
// The backend hands the kernel `a` as rows: row r starts at r * rowStride, and its `len` elements
// are `step` apart. Thread x reduces row x with applyReduce(this.constants.op, acc, value):
// op 0 sums, op 1 takes the max (a NaN wins). Start from the row's first element rather than from
// an identity value: a GPU has no float -Infinity to start a max from (WGSL's literal is the
// largest finite float), and len is never 0 here.
//
// The loop runs to this.constants.len: a loop bounded by a constant runs to the end, one bounded
// by an argument stops silently after 1000 iterations.
import type { KernelArray, KernelThis } from '../../src/backend/gpujs/kernel_this.ts'
import { applyReduce } from '../../src/backend/gpujs/ops.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

export interface ReduceConstants {
  /** Which reduction (reduceCodes in src/backend/gpujs/ops.ts). */
  op: number
  /** Elements per row, at least 1. */
  len: number
  rowStride: number
  step: number
}

export function reduceKernel(this: KernelThis<ReduceConstants>, a: KernelArray): number {
  // TODO(3.3): a sequential fold along the thread's row, seeded with the row's first element
  throw new NotImplementedError('3.3', 'a sequential fold along the thread\'s row, seeded with the row\'s first element')
}
