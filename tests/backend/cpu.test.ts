// The cpu backend against the reference backend, kernel by kernel. Inputs are float32 views with
// random layouts (axes permuted in memory, gaps, broadcast axes of stride 0, offsets) and random
// shapes (empty and 1-sized axes, sizes that are not multiples of 4 or 8); the reference computes
// the same views in float64. Element-wise results must be the float64 result rounded to float32
// (exp, log and sigmoid, computed by polynomials in wasm, within 2.5 units in the last place:
// measured over the whole float32 range, exp is within 1, log 0.8 and sigmoid 2.2);
// sums and products within the float32 accumulation bound, (reduction length) * 2^-23 * sum |terms|.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Strided } from '../../src/tensor/strided.ts'
import { sizeOf } from '../../src/tensor/strided.ts'
import type { BinaryOp, ReduceOp, UnaryOp } from '../../src/tensor/scalar_ops.ts'
import { unaryOps, binaryOps } from '../../src/tensor/scalar_ops.ts'
import { referenceBackend } from '../../src/backend/reference.ts'
import { cpuBackend, describeCpu } from '../../src/backend/cpu/index.ts'
import { tuning } from '../../src/backend/cpu/elementwise.ts'
import { waitForWorkers } from '../../src/backend/cpu/pool.ts'
import { allocateResident, residentTuning } from '../../src/backend/cpu/resident.ts'
import { heap } from '../../src/backend/cpu/wasm.ts'
import type { DeviceBuffer } from '../../src/backend/device_buffer.ts'
import { convGeometry } from '../../src/tensor/conv_geometry.ts'
import type { Conv2dGeometry } from '../../src/tensor/conv_geometry.ts'
import { availableBackends, getBackend, setBackend, tensor } from '../../src/index.ts'

const U = 2 ** -23

// ---- views ----------------------------------------------------------------------------------------

/** A float32 view and its float64 twin (same layout, same values). */
interface Pair {
  f32: Strided
  f64: Strided
  layout: string
}

interface ViewOptions {
  /** How values are drawn: a small grid around 0, or that plus special values. */
  special?: boolean
  positive?: boolean
}

const specials = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e-40, -3e-39, 3e38, -3e38, 88.5, 89, -87.5, -104, 1e-30]

/** A view of exactly `shape`: axes laid out in a random order, with gaps, broadcast axes and an offset. */
function viewArb(shape: readonly number[], options: ViewOptions = {}): fc.Arbitrary<Pair> {
  const nd = shape.length
  return fc
    .record({
      order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: nd, maxLength: nd }),
      gaps: fc.array(fc.constantFrom(1, 1, 1, 2, 3), { minLength: nd, maxLength: nd }),
      broadcast: fc.array(fc.boolean(), { minLength: nd, maxLength: nd }),
      useBroadcast: fc.boolean(),
      offset: fc.integer({ min: 0, max: 5 }),
      seed: fc.integer({ min: 1, max: 2 ** 30 }),
    })
    .map(({ order, gaps, broadcast, useBroadcast, offset, seed }) => {
      const axes = [...Array(nd).keys()].sort((a, b) => order[a]! - order[b]! || a - b)
      const strides = new Array<number>(nd).fill(0)
      let step = 1
      // innermost in memory first
      for (const axis of axes.reverse()) {
        if (useBroadcast && broadcast[axis]) continue
        strides[axis] = step * gaps[axis]!
        step = strides[axis]! * Math.max(1, shape[axis]!)
      }
      const span = shape.some((d) => d === 0) ? 0 : shape.reduce((s, d, axis) => s + (d - 1) * strides[axis]!, 0) + 1
      const length = offset + span + 2
      const f32 = new Float32Array(length)
      let state = seed
      const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648)
      for (let i = 0; i < length; i++) {
        const u = next()
        if (options.special && u < 0.08) f32[i] = specials[Math.floor(next() * specials.length)]!
        else if (options.positive) f32[i] = 0.01 + 4 * next()
        else f32[i] = Math.round((next() * 6 - 3) * 64) / 64 + (next() - 0.5) / 1024
      }
      const layout = `shape [${shape}] strides [${strides}] offset ${offset}${resident ? ', resident' : ''}`
      return { f32: onDevice({ data: f32, shape, strides, offset }), f64: { data: Float64Array.from(f32), shape, strides, offset }, layout }
    })
}

const dimArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 9 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 13, 17, 31, 33, 64) },
)
function shapeArb(maxDims = 4, maxSize = 6000): fc.Arbitrary<number[]> {
  return fc.array(dimArb, { minLength: 0, maxLength: maxDims }).map((s) => {
    const out = [...s]
    while (sizeOf(out) > maxSize) out[out.indexOf(Math.max(...out))]! >>= 1
    return out
  })
}

function fresh(shape: readonly number[], dtype: 'f32' | 'f64'): Strided {
  const size = sizeOf(shape)
  const data = dtype === 'f32' ? new Float32Array(size).fill(NaN) : new Float64Array(size)
  const strides = shape.map((_, i) => sizeOf(shape.slice(i + 1)))
  return dtype === 'f32' ? onDevice({ data, shape, strides, offset: 0 }) : { data, shape, strides, offset: 0 }
}

/** True in everyPath's fourth pass: views and outputs are then resident blocks of wasm memory. */
let resident = false
/** The blocks the resident pass handed out, freed when it ends. */
const blocks: DeviceBuffer[] = []

/**
 * In the resident pass, v's storage copied into a resident block (as the output of an earlier op
 * would be): kernels then read and write it in wasm memory, and `data` downloads it. Otherwise v.
 */
function onDevice(v: Strided): Strided {
  if (!resident) return v
  const buffer = allocateResident('float32', Math.max(1, v.data.length))!
  blocks.push(buffer)
  heap().set(v.data, buffer.id / 4)
  return { get data() { return buffer.download() }, device: buffer, shape: v.shape, strides: v.strides, offset: v.offset }
}

function ulp32(x: number): number {
  const a = Math.abs(x)
  if (!(a >= 2 ** -126)) return 2 ** -149
  return 2 ** (Math.floor(Math.log2(a)) - 23)
}

/**
 * Each element equals the expected float64 value rounded to float32 (within `ulps` units in its
 * last place); exact results must get the sign of a zero right too, unless `signedZeros` is false.
 */
function assertRounded(actual: Strided, expected: Strided, ulps: number, label: string, signedZeros = true): void {
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i]!
    const e = expected.data[i]!
    const r = Math.fround(e)
    const same = signedZeros ? Object.is(a, r) : a === r
    const ok = Number.isNaN(e) ? Number.isNaN(a) : ulps === 0 ? same : same || Math.abs(a - e) <= ulps * ulp32(e)
    if (!ok) assert.unreachable(`${label}: element ${i} is ${a}, expected ${e} (float32 ${r})`)
  }
}

/** |actual - expected| <= bound, elementwise (bound from the sizes of the terms). */
function assertWithin(actual: Strided, expected: Strided, bound: (i: number) => number, label: string): void {
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i]!
    const e = expected.data[i]!
    if (Number.isNaN(e) ? !Number.isNaN(a) : !(Math.abs(a - e) <= bound(i))) {
      assert.unreachable(`${label}: element ${i} is ${a}, expected ${e} within ${bound(i)}`)
    }
  }
}

function abs(p: Strided): Strided {
  return { ...p, data: p.data.map(Math.abs) }
}

/**
 * Run a property four times: with the default SIMD thresholds, with every size taking the wasm
 * path, with every size also split across the threads in items of 16 floats (so items meet inside
 * rows and vectors run past an item's end), and that again with every view and output a resident
 * block of wasm memory, handed out filled with NaN (so an output left partly unwritten shows).
 */
function everyPath(run: () => void): void {
  const saved = { ...tuning }
  try {
    run()
    tuning.simdMin = 1
    tuning.simdMinRun = 1
    run()
    tuning.threadMin = 1
    tuning.threadGrain = 16
    residentToo(run)
  } finally {
    Object.assign(tuning, saved)
  }
}

/** Run a property, then again with every view and output a resident block of wasm memory handed out filled with NaN. */
function residentToo(run: () => void): void {
  const saved = { ...residentTuning }
  try {
    run()
    resident = true
    residentTuning.minFloats = 1
    residentTuning.poison = true
    run()
  } finally {
    Object.assign(residentTuning, saved)
    resident = false
    for (const b of blocks.splice(0)) b.free()
  }
}

test.before(async () => {
  const info = await waitForWorkers()
  assert.is(info.ready, info.workers, `the worker threads should start: ${JSON.stringify(info)}`)
})

// ---- element-wise ---------------------------------------------------------------------------------

const polynomial = new Set<UnaryOp>(['exp', 'log', 'sigmoid'])
const params: Partial<Record<UnaryOp, [number, number]>> = { leakyRelu: [0.01, 0], clamp: [-1.5, 0.3] }

test('map: every unary op equals the float64 reference rounded to float32, on any layout', () => {
  everyPath(() => {
    for (const op of Object.keys(unaryOps) as UnaryOp[]) {
      fc.assert(
        fc.property(shapeArb().chain((shape) => viewArb(shape, { special: true, positive: op === 'log' || op === 'sqrt' })), ({ f32, f64, layout }) => {
          const [p0, p1] = params[op] ?? [0, 0]
          const out = fresh(f32.shape, 'f32')
          const ref = fresh(f32.shape, 'f64')
          cpuBackend.map(op, f32, out, p0, p1)
          referenceBackend.map(op, f64, ref, p0, p1)
          assertRounded(out, ref, polynomial.has(op) ? 2.5 : 0, `${op} on ${layout}`)
        }),
        { numRuns: 25 },
      )
    }
  })
})

test('map: exp, log and sigmoid across the whole float32 range, special values included', () => {
  // Every 997th float32 bit pattern, so exponents from subnormal to overflow all appear.
  const values = new Float32Array(new Uint32Array(4310000).map((_, i) => i * 997).buffer)
  const x: Strided = { data: values, shape: [values.length], strides: [1], offset: 0 }
  const x64: Strided = { ...x, data: Float64Array.from(values) }
  for (const op of ['exp', 'log', 'sigmoid'] as const) {
    const out = fresh(x.shape, 'f32')
    const ref = fresh(x.shape, 'f64')
    cpuBackend.map(op, x, out, 0, 0)
    referenceBackend.map(op, x64, ref, 0, 0)
    assertRounded(out, ref, 2.5, op)
  }
})

test('zip: every binary op equals the float64 reference rounded to float32, with broadcasting on both sides', () => {
  const pairArb = shapeArb(4, 3000).chain((shape) =>
    fc.tuple(fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }), fc.nat(shape.length), fc.nat(shape.length)).chain(([ones, dropA, dropB]) => {
      const a = shape.map((d, i) => (ones[i] ? 1 : d)).slice(dropA)
      const b = shape.map((d, i) => (ones[i] ? d : 1)).slice(dropB)
      return fc.tuple(viewArb(a, { special: true }), viewArb(b, { special: true }), fc.constant(shape))
    }),
  )
  everyPath(() => {
    for (const op of Object.keys(binaryOps) as BinaryOp[]) {
      fc.assert(
        fc.property(pairArb, ([a, b]) => {
          const shape = broadcast(a.f32.shape, b.f32.shape)
          const out = fresh(shape, 'f32')
          const ref = fresh(shape, 'f64')
          cpuBackend.zip(op, a.f32, b.f32, out)
          referenceBackend.zip(op, a.f64, b.f64, ref)
          assertRounded(out, ref, 0, `${op} on ${a.layout} and ${b.layout}`)
        }),
        { numRuns: 20 },
      )
    }
  })
})

test('map and zip on every pair of edge values (signed zeros, NaN, infinities, subnormals, ties), on both paths', () => {
  const edges = Float32Array.from([...specials, 2, -2, 0.5, 1e-45])
  const n = edges.length
  const column: Strided = { data: edges, shape: [n, 1], strides: [1, 1], offset: 0 }
  const row: Strided = { data: edges, shape: [1, n], strides: [n, 1], offset: 0 }
  const as64 = (t: Strided): Strided => ({ ...t, data: Float64Array.from(t.data) })
  everyPath(() => {
    for (const op of Object.keys(binaryOps) as BinaryOp[]) {
      const out = fresh([n, n], 'f32')
      const ref = fresh([n, n], 'f64')
      cpuBackend.zip(op, onDevice(column), onDevice(row), out)
      referenceBackend.zip(op, as64(column), as64(row), ref)
      assertRounded(out, ref, 0, `${op} on edge values`)
    }
    for (const op of Object.keys(unaryOps) as UnaryOp[]) {
      const x: Strided = { data: edges, shape: [n], strides: [1], offset: 0 }
      const [p0, p1] = params[op] ?? [0, 0]
      const out = fresh([n], 'f32')
      const ref = fresh([n], 'f64')
      cpuBackend.map(op, onDevice(x), out, p0, p1)
      referenceBackend.map(op, as64(x), ref, p0, p1)
      assertRounded(out, ref, polynomial.has(op) ? 2.5 : 0, `${op} on edge values`)
    }
  })
})

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length)
  return [...Array(n).keys()].map((i) => {
    const x = a[a.length - n + i] ?? 1
    const y = b[b.length - n + i] ?? 1
    return x === 1 ? y : x
  })
}

test('reduce: sum within the float64 accumulation bound and max exactly, over any subset of axes', () => {
  const caseArb = shapeArb(4, 8000).chain((shape) => fc.tuple(viewArb(shape), fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length })))
  everyPath(() => {
    for (const op of ['sum', 'max'] as ReduceOp[]) {
      fc.assert(
        fc.property(caseArb, ([{ f32, f64, layout }, reduced]) => {
          // max over an empty axis is an error before any backend runs
          if (op === 'max' && f32.shape.some((d, i) => reduced[i] && d === 0)) return
          const shape = f32.shape.map((d, i) => (reduced[i] ? 1 : d))
          const out = fresh(shape, 'f32')
          const ref = fresh(shape, 'f64')
          cpuBackend.reduce(op, f32, out)
          referenceBackend.reduce(op, f64, ref)
          // f32x4.max prefers +0 to -0 where the reference keeps the first zero it saw
          if (op === 'max') return assertRounded(out, ref, 0, `max on ${layout}`, false)
          const mass = fresh(shape, 'f64')
          referenceBackend.reduce('sum', abs(f64), mass)
          assertWithin(out, ref, (i) => ulp32(ref.data[i]!) + 2 ** -40 * mass.data[i]!, `sum on ${layout}`)
        }),
        { numRuns: 40 },
      )
    }
  })
})

test('reduce: NaN wins a max and a sum, on both paths', () => {
  everyPath(() => {
    const data = new Float32Array(2000).map((_, i) => i % 7)
    data[1234] = NaN
    const a: Strided = { data, shape: [4, 500], strides: [500, 1], offset: 0 }
    for (const op of ['sum', 'max'] as const) {
      for (const shape of [[4, 1], [1, 500], [1, 1]]) {
        const out = fresh(shape, 'f32')
        cpuBackend.reduce(op, a, out)
        const nan = [...out.data].map(Number.isNaN)
        assert.is(nan.filter(Boolean).length, 1, `${op} to [${shape}]`)
      }
    }
  })
})

test('reduce: per-channel sums and maxima of [N, C, H, W] (the wasm path over axes 0, 2, 3), NaN included', () => {
  everyPath(() => {
    // the last one large enough to be split across the worker threads (tuning.threadMin)
    for (const [n, c, h, w] of [[16, 7, 7, 7], [3, 33, 5, 9], [64, 4, 14, 14], [32, 17, 14, 14]] as const) {
      const size = n * c * h * w
      const data = new Float32Array(size).map((_, i) => Math.sin(i * 0.37) * 3)
      const data64 = Float64Array.from(data)
      const shape = [n, c, h, w]
      const strides = [c * h * w, h * w, w, 1]
      for (const op of ['sum', 'max'] as const) {
        const out = fresh([1, c, 1, 1], 'f32')
        const ref = fresh([1, c, 1, 1], 'f64')
        cpuBackend.reduce(op, { data, shape, strides, offset: 0 }, out)
        referenceBackend.reduce(op, { data: data64, shape, strides, offset: 0 }, ref)
        assertWithin(out, ref, (i) => ulp32(ref.data[i]!) + 2 ** -40 * size * 3, `${op} over [${shape}]`)
      }
      data[size - 1] = NaN // the last channel, in the last row's tail
      for (const op of ['sum', 'max'] as const) {
        const out = fresh([1, c, 1, 1], 'f32')
        cpuBackend.reduce(op, { data, shape, strides, offset: 0 }, out)
        assert.equal([...out.data].map(Number.isNaN), [...Array(c).keys()].map((i) => i === c - 1), `${op} NaN over [${shape}]`)
      }
    }
  })
})

// ---- matmul -----------------------------------------------------------------------------------------

const sizeArb = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 1, 4, 8, 15, 17, 33, 70))

/** A matrix operand [..batch, rows, cols], stored as given or transposed (its last two axes swapped in memory). */
function operandArb(batch: number[], rows: number, cols: number): fc.Arbitrary<Pair & { transposed: boolean }> {
  return fc.tuple(fc.boolean(), fc.boolean()).chain(([transposed, strided]) => {
    const stored = transposed ? [...batch, cols, rows] : [...batch, rows, cols]
    const base = strided ? viewArb(stored) : viewArb(stored).map((p) => p)
    return base.map((p) => {
      if (!transposed) return { ...p, transposed }
      const swap = <T,>(list: readonly T[]) => [...list.slice(0, -2), list[list.length - 1]!, list[list.length - 2]!]
      // A getter, not a spread: spreading a resident view would download it.
      const view = (s: Strided): Strided => ({ get data() { return s.data }, device: s.device ?? null, shape: swap(s.shape), strides: swap(s.strides), offset: s.offset })
      return { f32: view(p.f32), f64: view(p.f64), layout: `transposed ${p.layout}`, transposed }
    })
  })
}

test('matmul: all four transpose layouts, broadcast batch axes, odd and empty sizes, within k * 2^-23 * (|a| @ |b|), resident or not', () => residentToo(() => {
  const caseArb = fc
    .record({ n: sizeArb, k: sizeArb, m: sizeArb, batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), ones: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }), drop: fc.boolean() })
    .chain(({ n, k, m, batch, ones, drop }) => {
      // a's batch axes and b's broadcast against each other: 1s on one side, missing axes on the other
      const aBatch = batch.map((d, i) => (ones[i] ? 1 : d))
      const bBatch = (drop ? batch.slice(1) : batch).map((d, i) => (!ones[i + (drop ? 1 : 0)] ? 1 : d))
      return fc.tuple(operandArb(aBatch, n, k), operandArb(bBatch, k, m))
    })
  fc.assert(
    fc.property(caseArb, ([a, b]) => {
      const [n, k] = a.f32.shape.slice(-2) as [number, number]
      const m = b.f32.shape[b.f32.shape.length - 1]!
      const shape = [...broadcast(a.f32.shape.slice(0, -2), b.f32.shape.slice(0, -2)), n, m]
      const out = fresh(shape, 'f32')
      const ref = fresh(shape, 'f64')
      const mass = fresh(shape, 'f64')
      cpuBackend.matmul(a.f32, b.f32, out)
      referenceBackend.matmul(a.f64, b.f64, ref)
      referenceBackend.matmul(abs(a.f64), abs(b.f64), mass)
      assertWithin(out, ref, (i) => (k + 2) * U * mass.data[i]! + 1e-30, `${a.layout} @ ${b.layout}`)
    }),
    { numRuns: 150 },
  )
}))

test('matmul: large products on every thread agree with the reference (transposed operands read through their strides), resident or not', () => residentToo(() => {
  for (const [n, k, m, ta, tb] of [[300, 257, 190, false, true], [129, 300, 301, true, false], [64, 1000, 40, true, true]] as const) {
    const a = fc.sample(operandArb([], n, k).filter((p) => p.transposed === ta), { numRuns: 1, seed: n })[0]!
    const b = fc.sample(operandArb([], k, m).filter((p) => p.transposed === tb), { numRuns: 1, seed: m })[0]!
    const out = fresh([n, m], 'f32')
    const ref = fresh([n, m], 'f64')
    const mass = fresh([n, m], 'f64')
    cpuBackend.matmul(a.f32, b.f32, out)
    referenceBackend.matmul(a.f64, b.f64, ref)
    referenceBackend.matmul(abs(a.f64), abs(b.f64), mass)
    assertWithin(out, ref, (i) => (k + 2) * U * mass.data[i]!, `${n}x${k}x${m}${resident ? ', resident' : ''}`)
  }
}))

// ---- convolution ------------------------------------------------------------------------------------

const geometryArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    inChannels: fc.integer({ min: 1, max: 4 }),
    outChannels: fc.integer({ min: 1, max: 9 }),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    padding: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    extraH: fc.integer({ min: 0, max: 7 }),
    extraW: fc.integer({ min: 0, max: 7 }),
  })
  .map(({ batch, inChannels, outChannels, kh, kw, stride, padding, extraH, extraW }) => {
    const h = Math.max(1, kh - 2 * padding[0]) + extraH
    const w = Math.max(1, kw - 2 * padding[1]) + extraW
    return convGeometry('test', [batch, inChannels, h, w], [outChannels, inChannels, kh, kw], { stride, padding })
  })

function convCaseArb(): fc.Arbitrary<{ g: Conv2dGeometry; x: Pair; w: Pair; gy: Pair }> {
  return geometryArb.chain((g) =>
    fc.record({
      g: fc.constant(g),
      x: viewArb([g.batch, g.inChannels, g.height, g.width]),
      w: viewArb([g.outChannels, g.inChannels, g.kernelH, g.kernelW]),
      gy: viewArb([g.batch, g.outChannels, g.outH, g.outW]),
    }),
  )
}

function describe(g: Conv2dGeometry): string {
  return `N${g.batch} C${g.inChannels} ${g.height}x${g.width} -> O${g.outChannels} ${g.outH}x${g.outW}, kernel ${g.kernelH}x${g.kernelW} stride ${g.strideH},${g.strideW} pad ${g.padH},${g.padW}`
}

test('conv2d, conv2dInputGrad and conv2dWeightGrad agree with the reference on random geometries and layouts, resident or not', () => residentToo(() => {
  fc.assert(
    fc.property(convCaseArb(), ({ g, x, w, gy }) => {
      const shapes = { x: [g.batch, g.inChannels, g.height, g.width], w: [g.outChannels, g.inChannels, g.kernelH, g.kernelW], y: [g.batch, g.outChannels, g.outH, g.outW] }
      const check = (name: 'conv2d' | 'conv2dInputGrad' | 'conv2dWeightGrad', shape: number[], length: number, args: [Pair, Pair]) => {
        const out = fresh(shape, 'f32')
        const ref = fresh(shape, 'f64')
        const mass = fresh(shape, 'f64')
        cpuBackend[name](args[0].f32, args[1].f32, g, out)
        referenceBackend[name](args[0].f64, args[1].f64, g, ref)
        referenceBackend[name](abs(args[0].f64), abs(args[1].f64), g, mass)
        assertWithin(out, ref, (i) => (length + 2) * U * mass.data[i]! + 1e-30, `${name}: ${describe(g)}; ${args[0].layout}; ${args[1].layout}`)
      }
      check('conv2d', shapes.y, g.inChannels * g.kernelH * g.kernelW, [x, w])
      check('conv2dInputGrad', shapes.x, g.outChannels * g.kernelH * g.kernelW, [gy, w])
      check('conv2dWeightGrad', shapes.w, g.batch * g.outH * g.outW, [x, gy])
    }),
    { numRuns: 60 },
  )
}))

test('convolutions at training sizes (the threaded path) agree with the reference, resident or not', () => residentToo(() => {
  const g = convGeometry('test', [16, 8, 14, 14], [16, 8, 4, 4], { stride: 2, padding: 1 })
  const [c] = fc.sample(
    fc.record({ x: viewArb([16, 8, 14, 14]), w: viewArb([16, 8, 4, 4]), gy: viewArb([16, 16, 7, 7]) }),
    { numRuns: 1, seed: 5 },
  )
  const { x, w, gy } = c!
  for (const [name, shape, length, a, b] of [
    ['conv2d', [16, 16, 7, 7], 128, x, w],
    ['conv2dInputGrad', [16, 8, 14, 14], 256, gy, w],
    ['conv2dWeightGrad', [16, 8, 4, 4], 784, x, gy],
  ] as const) {
    const out = fresh(shape, 'f32')
    const ref = fresh(shape, 'f64')
    const mass = fresh(shape, 'f64')
    cpuBackend[name](a.f32, b.f32, g, out)
    referenceBackend[name](a.f64, b.f64, g, ref)
    referenceBackend[name](abs(a.f64), abs(b.f64), g, mass)
    assertWithin(out, ref, (i) => (length + 2) * U * mass.data[i]!, `${name}${resident ? ', resident' : ''}`)
  }
}))

// ---- float64 and the registry -------------------------------------------------------------------------

test('float64 operands are computed in float64 (no float32 rounding anywhere), mixed dtypes too', () => {
  const tiny = 2 ** -40
  const a64: Strided = { data: new Float64Array([1 + tiny, 2, 3, 4 + tiny]), shape: [2, 2], strides: [2, 1], offset: 0 }
  const a32: Strided = { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2], strides: [2, 1], offset: 0 }
  const out = fresh([2, 2], 'f64')
  cpuBackend.matmul(a64, a32, out)
  assert.equal([...out.data], [(1 + tiny) + 6, (1 + tiny) * 2 + 8, 3 + (4 + tiny) * 3, 6 + (4 + tiny) * 4])
  const sum = fresh([1, 1], 'f64')
  cpuBackend.reduce('sum', a64, sum)
  assert.is(sum.data[0], 10 + 2 * tiny)
  const z = fresh([2, 2], 'f64')
  cpuBackend.zip('add', a64, a32, z)
  assert.is(z.data[0], 2 + tiny)
  const m = fresh([2, 2], 'f64')
  cpuBackend.map('exp', a64, m, 0, 0)
  assert.is(m.data[0], Math.exp(1 + tiny))
  const g = convGeometry('test', [1, 1, 2, 2], [1, 1, 1, 1], {})
  const x: Strided = { ...a64, shape: [1, 1, 2, 2], strides: [4, 4, 2, 1] }
  const w: Strided = { data: new Float64Array([3]), shape: [1, 1, 1, 1], strides: [1, 1, 1, 1], offset: 0 }
  const y = fresh([1, 1, 2, 2], 'f64')
  cpuBackend.conv2d(x, w, g, y)
  assert.is(y.data[0], 3 * (1 + tiny))
  const gx = fresh([1, 1, 2, 2], 'f64')
  cpuBackend.conv2dInputGrad(x, w, g, gx)
  assert.is(gx.data[3], 3 * (4 + tiny))
  const gw = fresh([1, 1, 1, 1], 'f64')
  cpuBackend.conv2dWeightGrad(x, x, g, gw)
  assert.is(gw.data[0], (1 + tiny) ** 2 + 4 + 9 + (4 + tiny) ** 2)
})

test("'cpu' is registered, and tensors computed on it match the reference backend", () => {
  assert.ok(availableBackends().includes('cpu'))
  assert.match(describeCpu(), /^WebAssembly SIMD f32x4 \((fused multiply-add, relaxed SIMD|multiply then add)\), \d+ threads?$/)
  assert.is(cpuBackend.runner.describe(), describeCpu())
  const before = getBackend().name
  try {
    setBackend('cpu')
    const t = tensor([[1, 2], [3, 4]])
    assert.equal(t.matmul(t).add(1).exp().log().sum().item(), 7 + 10 + 15 + 22 + 4)
  } finally {
    setBackend(before)
  }
})

test.run()
