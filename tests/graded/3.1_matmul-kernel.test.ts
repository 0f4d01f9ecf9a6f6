// Exercise 3.1: the matmul kernel, run through gpu.js on its cpu and webasm backends.
import { test } from 'uvu'
import { matmulKernel } from '#kata/gpujs/matmul'
import { InProcessRunner } from '../../src/backend/gpujs/runner.ts'
import { kernels } from '../../src/backend/gpujs/kernels.ts'
import { createGpujsBackend } from '../../src/backend/gpujs/backend.ts'
import { referenceBackend } from '../../src/backend/reference.ts'
import type { Strided } from '../../src/tensor/strided.ts'
import { assertClose, assertEqual, assertTrue, gradedFile } from './support.ts'

gradedFile('3.1', '#kata/gpujs/matmul')

const modes = ['cpu', 'webasm'] as const
const runners = { cpu: new InProcessRunner('cpu'), webasm: new InProcessRunner('webasm') }

function dense(shape: number[], values: (i: number) => number): Strided {
  const size = shape.reduce((p, d) => p * d, 1)
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
  return { data: Float32Array.from({ length: size }, (_, i) => Math.fround(values(i))), shape, strides, offset: 0 }
}

/** out[t][i][j] = sum_p a[t*aBatch + i*aRow + p*aCol] * b[t*bBatch + p*bRow + j*bCol], in float64. */
function expected(a: Float32Array, b: Float32Array, c: Record<string, number>, n: number, m: number, batch: number): number[] {
  const out: number[] = []
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        let s = 0
        for (let p = 0; p < c.k!; p++) s += a[t * c.aBatch! + i * c.aRow! + p * c.aCol!]! * b[t * c.bBatch! + p * c.bRow! + j * c.bCol!]!
        out.push(s)
      }
  return out
}

function near(got: ArrayLike<number>, want: number[], tol: number, what: string): void {
  assertClose(Array.from(got), want, tol, what)
}


for (const mode of modes) {
  test(`${mode}: a 2x3 by 3x2 product, contiguous [x2]`, () => {
    assertTrue(kernels.matmul.fn === matmulKernel, 'the backend runs the kernel imported from #kata/gpujs/matmul')
    const a = Float32Array.of(1, 2, 3, 4, 5, 6)
    const b = Float32Array.of(7, 8, 9, 10, 11, 12)
    const constants = { k: 3, aBatch: 0, aRow: 3, aCol: 1, bBatch: 0, bRow: 2, bCol: 1 }
    const out = runners[mode].run({ kernel: 'matmul', constants, output: [2, 2, 1], args: [a, b] })
    assertEqual([...out], [58, 64, 139, 154])
  })

  test(`${mode}: strides: a transposed (aRow 1, aCol n), b read column-major, sizes not multiples of 4 [x2]`, () => {
    const n = 5, k = 7, m = 3
    const a = Float32Array.from({ length: n * k }, (_, i) => Math.fround(Math.sin(i)))
    const b = Float32Array.from({ length: k * m }, (_, i) => Math.fround(Math.cos(i)))
    const constants = { k, aBatch: 0, aRow: 1, aCol: n, bBatch: 0, bRow: 1, bCol: k }
    const out = runners[mode].run({ kernel: 'matmul', constants, output: [m, n, 1], args: [a, b] })
    near(out, expected(a, b, constants, n, m, 1), 1e-5, 'transposed operands')
  })

  test(`${mode}: batches, with a broadcast batch (aBatch 0: one a for every b) [x2]`, () => {
    const n = 3, k = 4, m = 5, batch = 3
    const a = Float32Array.from({ length: n * k }, (_, i) => i - 5)
    const b = Float32Array.from({ length: batch * k * m }, (_, i) => (i % 7) - 3)
    const constants = { k, aBatch: 0, aRow: k, aCol: 1, bBatch: k * m, bRow: m, bCol: 1 }
    const out = runners[mode].run({ kernel: 'matmul', constants, output: [m, n, batch], args: [a, b] })
    near(out, expected(a, b, constants, n, m, batch), 1e-6, 'batched')
  })

  test(`${mode}: an inner dimension of 1100 (a loop bounded by an argument would stop at 1000)`, () => {
    const k = 1100
    const a = Float32Array.from({ length: 2 * k }, () => 1)
    const b = Float32Array.from({ length: k * 2 }, () => 1)
    const constants = { k, aBatch: 0, aRow: k, aCol: 1, bBatch: 0, bRow: 2, bCol: 1 }
    const out = runners[mode].run({ kernel: 'matmul', constants, output: [2, 2, 1], args: [a, b] })
    assertEqual([...out], [1100, 1100, 1100, 1100])
  })

  test(`${mode}: the backend's matmul with your kernel equals the reference on transposed, batched tensors [x2]`, () => {
    const backend = createGpujsBackend(runners[mode])
    const base = dense([2, 6, 9], (i) => Math.sin(i * 0.7))
    const a: Strided = { ...base, shape: [2, 9, 6], strides: [54, 1, 9] } // transposed last two axes
    const b = dense([6, 11], (i) => Math.cos(i * 0.3)) // broadcast over the batch
    const want = dense([2, 9, 11], () => 0)
    const got = dense([2, 9, 11], () => 0)
    referenceBackend.matmul(a, b, want)
    backend.matmul(a, b, got)
    near(got.data, [...want.data], 1e-5, 'backend matmul')
  })
}

test.run()
