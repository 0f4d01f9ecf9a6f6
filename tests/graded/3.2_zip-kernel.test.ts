// Exercise 3.2: the element-wise zip kernel with broadcasting, run through gpu.js on its cpu and
// webasm backends.
import { test } from 'uvu'
import { zipKernel } from '#kata/gpujs/zip'
import { InProcessRunner } from '../../src/backend/gpujs/runner.ts'
import { kernels } from '../../src/backend/gpujs/kernels.ts'
import { createGpujsBackend } from '../../src/backend/gpujs/backend.ts'
import { binaryCodes } from '../../src/backend/gpujs/ops.ts'
import { referenceBackend } from '../../src/backend/reference.ts'
import type { Strided } from '../../src/tensor/strided.ts'
import { assertEqual, assertTrue, gradedFile } from './support.ts'

gradedFile('3.2', '#kata/gpujs/zip')

const modes = ['cpu', 'webasm'] as const
const runners = { cpu: new InProcessRunner('cpu'), webasm: new InProcessRunner('webasm') }

/** The kernel's constants for 4-D shapes and strides (fewer axes padded with leading 1s by the caller). */
function constants(op: keyof typeof binaryCodes, o: number[], a: number[], as: number[], b: number[], bs: number[]) {
  return {
    op: binaryCodes[op],
    o0: o[0]!, o1: o[1]!, o2: o[2]!, o3: o[3]!,
    a0: a[0]!, a1: a[1]!, a2: a[2]!, a3: a[3]!, as0: as[0]!, as1: as[1]!, as2: as[2]!, as3: as[3]!,
    b0: b[0]!, b1: b[1]!, b2: b[2]!, b3: b[3]!, bs0: bs[0]!, bs1: bs[1]!, bs2: bs[2]!, bs3: bs[3]!,
  }
}

function dense(shape: number[], values: (i: number) => number): Strided {
  const size = shape.reduce((p, d) => p * d, 1)
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
  return { data: Float32Array.from({ length: size }, (_, i) => Math.fround(values(i))), shape, strides, offset: 0 }
}


for (const mode of modes) {
  const run = (c: Record<string, number>, size: number, a: Float32Array, b: Float32Array) => [...runners[mode].run({ kernel: 'zip', constants: c, output: [size], args: [a, b] })]

  test(`${mode}: same shapes, contiguous: add and mul [x2]`, () => {
    assertTrue(kernels.zip.fn === zipKernel, 'the backend runs the kernel imported from #kata/gpujs/zip')
    const a = Float32Array.of(1, 2, 3, 4, 5, 6)
    const b = Float32Array.of(10, 20, 30, 40, 50, 60)
    const shape = [1, 1, 2, 3]
    const strides = [6, 6, 3, 1]
    assertEqual(run(constants('add', shape, shape, strides, shape, strides), 6, a, b), [11, 22, 33, 44, 55, 66])
    assertEqual(run(constants('mul', shape, shape, strides, shape, strides), 6, a, b), [10, 40, 90, 160, 250, 360])
  })

  test(`${mode}: the op code picks the op (sub, div, maximum, gt)`, () => {
    const a = Float32Array.of(1, 5, -2, 8)
    const b = Float32Array.of(2, 5, -4, 2)
    const shape = [1, 1, 1, 4]
    const s = [4, 4, 4, 1]
    assertEqual(run(constants('sub', shape, shape, s, shape, s), 4, a, b), [-1, 0, 2, 6])
    assertEqual(run(constants('div', shape, shape, s, shape, s), 4, a, b), [0.5, 1, 0.5, 4])
    assertEqual(run(constants('maximum', shape, shape, s, shape, s), 4, a, b), [2, 5, -2, 8])
    assertEqual(run(constants('gt', shape, shape, s, shape, s), 4, a, b), [0, 0, 1, 1])
  })

  test(`${mode}: broadcasting: a [2, 1] column plus b [3] row gives [2, 3] [x3]`, () => {
    const a = Float32Array.of(10, 20)
    const b = Float32Array.of(1, 2, 3)
    // a's axis 3 has size 1; b's axis 2 has size 1. Their strides there are deliberately not 0:
    // an axis of size 1 must read index 0 whatever its stride says.
    const c = constants('add', [1, 1, 2, 3], [1, 1, 2, 1], [9, 9, 1, 7], [1, 1, 1, 3], [9, 9, 5, 1])
    assertEqual(run(c, 6, a, b), [11, 12, 13, 21, 22, 23])
  })

  test(`${mode}: 4-D output with sizes that are not multiples of 4, a read through transposed strides [x2]`, () => {
    const o = [2, 3, 5, 3]
    const size = 90
    const a = Float32Array.from({ length: size }, (_, i) => i)
    // a is the 4-D array with its last two axes stored transposed: element [i0][i1][i2][i3] at i0*45 + i1*15 + i3*5 + i2
    const aStrides = [45, 15, 1, 5]
    const b = Float32Array.from({ length: 3 }, (_, i) => 100 * (i + 1))
    const got = run(constants('add', o, o, aStrides, [1, 3, 1, 1], [0, 1, 0, 0]), size, a, b)
    const want: number[] = []
    for (let i0 = 0; i0 < 2; i0++) for (let i1 = 0; i1 < 3; i1++) for (let i2 = 0; i2 < 5; i2++) for (let i3 = 0; i3 < 3; i3++) want.push(i0 * 45 + i1 * 15 + i3 * 5 + i2 + 100 * (i1 + 1))
    assertEqual(got, want)
  })

  test(`${mode}: the backend's zip with your kernel equals the reference on broadcast, non-contiguous tensors [x2]`, () => {
    const backend = createGpujsBackend(runners[mode])
    const base = dense([5, 4, 3], (i) => Math.sin(i))
    const a: Strided = { ...base, shape: [3, 4, 5], strides: [1, 3, 12] } // all axes reversed
    const b = dense([4, 1], (i) => i + 0.5)
    for (const op of ['add', 'mul', 'pow', 'minimum', 'le'] as const) {
      const want = dense([3, 4, 5], () => 0)
      const got = dense([3, 4, 5], () => 0)
      referenceBackend.zip(op, a, b, want)
      backend.zip(op, a, b, got)
      want.data.forEach((w, i) => {
        const g = got.data[i]!
        assertTrue(Object.is(g, w) || Math.abs(g - w) <= 1e-6 * Math.max(1, Math.abs(w)) || (Number.isNaN(g) && Number.isNaN(w)), `${op}: element ${i} is ${g}, expected ${w}`)
      })
    }
  })
}

test.run()
