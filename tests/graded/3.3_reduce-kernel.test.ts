// Exercise 3.3: the reduction kernel (sum and max over rows), run through gpu.js on its cpu and
// webasm backends.
import { test } from 'uvu'
import { reduceKernel } from '#kata/gpujs/reduce'
import { InProcessRunner } from '../../src/backend/gpujs/runner.ts'
import { kernels } from '../../src/backend/gpujs/kernels.ts'
import { createGpujsBackend } from '../../src/backend/gpujs/backend.ts'
import { reduceCodes } from '../../src/backend/gpujs/ops.ts'
import { referenceBackend } from '../../src/backend/reference.ts'
import type { Strided } from '../../src/tensor/strided.ts'
import { assertEqual, assertTrue, gradedFile } from './support.ts'

gradedFile('3.3', '#kata/gpujs/reduce')

const modes = ['cpu', 'webasm'] as const
const runners = { cpu: new InProcessRunner('cpu'), webasm: new InProcessRunner('webasm') }

function dense(shape: number[], values: (i: number) => number): Strided {
  const size = shape.reduce((p, d) => p * d, 1)
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
  return { data: Float32Array.from({ length: size }, (_, i) => Math.fround(values(i))), shape, strides, offset: 0 }
}


for (const mode of modes) {
  const run = (op: 'sum' | 'max', rows: number, len: number, rowStride: number, step: number, a: Float32Array) =>
    [...runners[mode].run({ kernel: 'reduce', constants: { op: reduceCodes[op], len, rowStride, step }, output: [rows], args: [a] })]

  test(`${mode}: row sums and row maxes of a contiguous 2x3 matrix [x2]`, () => {
    assertTrue(kernels.reduce.fn === reduceKernel, 'the backend runs the kernel imported from #kata/gpujs/reduce')
    const a = Float32Array.of(1, 2, 3, 4, 5, 6)
    assertEqual(run('sum', 2, 3, 3, 1, a), [6, 15])
    assertEqual(run('max', 2, 3, 3, 1, a), [3, 6])
  })

  test(`${mode}: column sums through strides (rowStride 1, step 3), and a row of one element [x3]`, () => {
    const a = Float32Array.of(1, 2, 3, 4, 5, 6)
    assertEqual(run('sum', 3, 2, 1, 3, a), [5, 7, 9])
    assertEqual(run('sum', 6, 1, 1, 1, a), [1, 2, 3, 4, 5, 6])
  })

  test(`${mode}: max of negative values, of -Infinity, and a NaN that wins [x2]`, () => {
    assertEqual(run('max', 2, 3, 3, 1, Float32Array.of(-5, -2, -9, -Infinity, -Infinity, -Infinity)), [-2, -Infinity])
    const withNaN = run('max', 2, 3, 3, 1, Float32Array.of(1, NaN, 3, 7, 2, 1))
    assertTrue(Number.isNaN(withNaN[0]!), `max of [1, NaN, 3] is NaN, got ${withNaN[0]}`)
    assertEqual(withNaN[1], 7)
  })

  test(`${mode}: rows of 1500 elements (a loop bounded by an argument would stop at 1000)`, () => {
    const a = Float32Array.from({ length: 3000 }, (_, i) => (i % 1500 === 1400 ? 1000 : 1))
    assertEqual(run('sum', 2, 1500, 1500, 1, a), [2499, 2499])
    assertEqual(run('max', 2, 1500, 1500, 1, a), [1000, 1000])
  })

  test(`${mode}: the backend's reduce with your kernel equals the reference over any axes of a permuted tensor [x2]`, () => {
    const backend = createGpujsBackend(runners[mode])
    const base = dense([4, 3, 5], (i) => Math.sin(i * 1.3))
    const a: Strided = { ...base, shape: [5, 4, 3], strides: [1, 15, 5] }
    for (const out of [[1, 4, 3], [5, 1, 3], [5, 4, 1], [1, 4, 1], [1, 1, 1]]) {
      for (const op of ['sum', 'max'] as const) {
        const want = dense(out, () => 0)
        const got = dense(out, () => 0)
        referenceBackend.reduce(op, a, want)
        backend.reduce(op, a, got)
        want.data.forEach((w, i) => assertTrue(Math.abs(got.data[i]! - w) <= 1e-5, `${op} to [${out}]: element ${i} is ${got.data[i]}, expected ${w}`))
      }
    }
  })
}

test.run()
