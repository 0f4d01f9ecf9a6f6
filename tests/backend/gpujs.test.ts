// The gpu.js backends against the reference backend, kernel by kernel, on random shapes (sizes
// that are not multiples of 4 included) and non-contiguous views (permuted, sliced, expanded).
// gpu.js-cpu and gpu.js-webasm always run; gpu.js-webgpu runs when GENKATA_TEST_WEBGPU=1 (CI sets
// it after installing Mesa), and then an adapter that cannot start is a failure, not a skip.
//
// Tolerances: element-wise ops a few float32 ulps (relative, floored at 1); a sum of L terms
// L * 2^-23 * sum |terms| (the float32 rounding bound), so longer reductions get more room.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { availableBackends, getBackend, setBackend } from '../../src/index.ts'
import type { Backend } from '../../src/backend/backend.ts'
import { referenceBackend } from '../../src/backend/reference.ts'
import { gpujsBackend, createGpujsBackend, Float64UnsupportedError, WebGpuRunner, type GpujsBackend, type GpujsMode } from '../../src/backend/gpujs/index.ts'
import { chunkCount } from '../../src/backend/gpujs/backend.ts'
import { kernels } from '../../src/backend/gpujs/kernels.ts'
import { InProcessRunner, assertRanOn, flatten, launchKey, loadGpujs, probeStub, type KernelRunner, type Launch } from '../../src/backend/gpujs/runner.ts'
import { coalesce, forEachBlock, padLeft, spanOf, MAX_INDEX } from '../../src/backend/gpujs/layout.ts'
import { applyBinary, applyReduce, applyUnary, binaryCodes, reduceCodes, unaryCodes } from '../../src/backend/gpujs/ops.ts'
import { binaryOps, reduceOps, unaryOps, type BinaryOp, type UnaryOp } from '../../src/tensor/scalar_ops.ts'
import { convGeometry, type Conv2dGeometry } from '../../src/tensor/conv_geometry.ts'
import type { Strided } from '../../src/tensor/strided.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'
import { axesArb, broadcastPairArb, shapeArb, stridedTensorArb } from '../helpers/arbitraries.ts'

const F32 = 2 ** -23
const webgpuWanted = process.env.GENKATA_TEST_WEBGPU === '1'
const modes: GpujsMode[] = webgpuWanted ? ['cpu', 'webasm', 'webgpu'] : ['cpu', 'webasm']
const runs = { numRuns: 15 }

// ---- helpers -------------------------------------------------------------------------------------

function empty(shape: readonly number[]): Strided {
  const size = shape.reduce((p, d) => p * d, 1)
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
  return { data: new Float32Array(size).fill(-99), shape: [...shape], strides, offset: 0 }
}

function dense(shape: readonly number[], values: (i: number) => number): Strided {
  const t = empty(shape)
  t.data.forEach((_, i) => (t.data[i] = values(i)))
  return t
}

/** A view of the same storage with every value replaced by its absolute value (for error bounds). */
function absOf(t: Strided): Strided {
  return { ...t, data: t.data.map(Math.abs) as Float32Array }
}

/** |got - want| <= bound[i] + tol * max(1, |want|) everywhere (NaN matches NaN, infinities match). */
function assertNear(got: Strided, want: Strided, tol: number, bound?: Strided, label = ''): void {
  assert.equal([...got.shape], [...want.shape], `${label} shape`)
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i]!
    const w = want.data[i]!
    if (Number.isNaN(w) || Number.isNaN(g) || !Number.isFinite(w)) {
      assert.ok(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)), `${label} element ${i}: got ${g}, want ${w}`)
      continue
    }
    const limit = (bound ? bound.data[i]! : 0) + tol * Math.max(1, Math.abs(w))
    assert.ok(Math.abs(g - w) <= limit, `${label} element ${i} of [${want.shape}]: got ${g}, want ${w} (allowed ${limit.toExponential(2)})`)
  }
}

const ulps = (mode: GpujsMode) => (mode === 'webgpu' ? 2e-5 : 1e-6)

/** Domains where every backend agrees (WGSL leaves log of a negative number undefined, for one). */
const unaryDomain: Partial<Record<UnaryOp, { min: number; max: number }>> = {
  log: { min: 0.1, max: 4 },
  sqrt: { min: 0.1, max: 4 },
  log1p: { min: -0.9, max: 3 },
  reciprocal: { min: 0.25, max: 3 },
}
const binaryDomain: Partial<Record<BinaryOp, [{ min: number; max: number }, { min: number; max: number }]>> = {
  pow: [{ min: 0.2, max: 3 }, { min: -2, max: 2 }],
  div: [{ min: -2, max: 2 }, { min: 0.25, max: 2.5 }],
}

// ---- per backend -----------------------------------------------------------------------------------

function backendTests(mode: GpujsMode): void {
  const name = `gpu.js-${mode}`
  let backend: GpujsBackend
  const get = (): GpujsBackend => (backend ??= gpujsBackend(mode))

  test(`${name}: starts, and its kernels run on the ${mode} backend (${mode === 'webgpu' ? 'an adapter is required' : 'in process'})`, () => {
    const b = get()
    assert.is(b.name, name)
    assert.is(b.supportsFloat64, false)
    assert.ok(b.runner.describe().length > 0)
    assert.ok(availableBackends().includes(name))
    assert.ok(gpujsBackend(mode) === b, 'one instance per process')
  })

  test(`${name}: map of every unary op equals the reference on non-contiguous views`, () => {
    const ops = Object.keys(unaryOps) as UnaryOp[]
    fc.assert(
      fc.property(
        fc.constantFrom(...ops).chain((op) =>
          fc.tuple(
            fc.constant(op),
            shapeArb({ maxDims: 4, maxSize: 6, maxElements: 200 }).chain((shape) => stridedTensorArb(shape, { ...(unaryDomain[op] ?? { min: -3, max: 3 }), maxBaseSize: 600 })),
            fc.double({ min: -0.5, max: 0.5, noNaN: true }),
          ),
        ),
        ([op, c, p]) => {
          const a = c.make()
          const [p0, p1] = op === 'clamp' ? [p - 0.5, p + 0.5] : [p, 0]
          const want = empty(a.shape)
          const got = empty(a.shape)
          referenceBackend.map(op, a, want, p0, p1)
          get().map(op, a, got, p0, p1)
          assertNear(got, want, ulps(mode), undefined, `${op}(p0 ${p0}, p1 ${p1}) on ${c.layout}`)
        },
      ),
      { numRuns: 40 },
    )
  })

  test(`${name}: zip of every binary op, both sides broadcast and non-contiguous`, () => {
    const ops = Object.keys(binaryOps) as BinaryOp[]
    fc.assert(
      fc.property(
        fc.constantFrom(...ops).chain((op) => {
          const [da, db] = binaryDomain[op] ?? [{ min: -2, max: 2 }, { min: -2, max: 2 }]
          return broadcastPairArb({ maxDims: 4, maxSize: 5, maxElements: 150 }).chain(([sa, sb]) =>
            fc.tuple(fc.constant(op), stridedTensorArb(sa, { ...da, levels: 16, maxBaseSize: 400 }), stridedTensorArb(sb, { ...db, levels: 16, maxBaseSize: 400 })),
          )
        }),
        ([op, ca, cb]) => {
          const a = ca.make()
          const b = cb.make()
          const shape = a.add(b).shape
          const want = empty(shape)
          const got = empty(shape)
          referenceBackend.zip(op, a, b, want)
          get().zip(op, a, b, got)
          assertNear(got, want, ulps(mode), undefined, `${op}: ${ca.layout} with ${cb.layout}`)
        },
      ),
      { numRuns: 40 },
    )
  })

  test(`${name}: sum and max over random axes of non-contiguous views (tolerance grows with the reduction length)`, () => {
    fc.assert(
      fc.property(
        shapeArb({ minDims: 1, maxDims: 4, maxSize: 7, maxElements: 300 }).chain((shape) =>
          fc.tuple(stridedTensorArb(shape, { maxBaseSize: 900 }), axesArb(shape.length), fc.constantFrom<'sum' | 'max'>('sum', 'max')),
        ),
        ([c, { normalized }, op]) => {
          const a = c.make()
          const outShape = a.shape.map((d, i) => (normalized.includes(i) ? 1 : d))
          const want = empty(outShape)
          const got = empty(outShape)
          referenceBackend.reduce(op, a, want)
          get().reduce(op, a, got)
          const len = a.size / Math.max(want.data.length, 1)
          const bound = empty(outShape)
          referenceBackend.reduce('sum', absOf(a), bound)
          bound.data.forEach((v, i) => (bound.data[i] = op === 'sum' ? (len + 1) * F32 * v : 0))
          assertNear(got, want, op === 'sum' ? F32 : 0, bound, `${op} over [${normalized}] of ${c.layout}`)
        },
      ),
      runs,
    )
  })

  test(`${name}: matmul, 2-D and batched with broadcast batch axes, on transposed and sliced views`, () => {
    const dims = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom(13, 17, 33))
    fc.assert(
      fc.property(
        fc.tuple(dims, dims, dims, broadcastPairArb({ maxDims: 2, maxSize: 3 })).chain(([n, k, m, [ba, bb]]) =>
          fc.tuple(stridedTensorArb([...ba, n, k], { maxBaseSize: 4000 }), stridedTensorArb([...bb, k, m], { maxBaseSize: 4000 })),
        ),
        ([ca, cb]) => {
          const a = ca.make()
          const b = cb.make()
          const shape = a.matmul(b).shape
          const want = empty(shape)
          const got = empty(shape)
          referenceBackend.matmul(a, b, want)
          get().matmul(a, b, got)
          const bound = empty(shape)
          referenceBackend.matmul(absOf(a), absOf(b), bound)
          const k = a.shape[a.ndim - 1]!
          bound.data.forEach((v, i) => (bound.data[i] = (k + 1) * F32 * v))
          assertNear(got, want, F32, bound, `${ca.layout} @ ${cb.layout}`)
        },
      ),
      runs,
    )
  })

  test(`${name}: conv2d and both of its gradients, with stride and padding, on non-contiguous inputs`, () => {
    const geometryArb = fc
      .record({
        n: fc.integer({ min: 1, max: 3 }),
        c: fc.integer({ min: 1, max: 3 }),
        o: fc.integer({ min: 1, max: 4 }),
        h: fc.integer({ min: 1, max: 9 }),
        w: fc.integer({ min: 1, max: 9 }),
        kh: fc.integer({ min: 1, max: 4 }),
        kw: fc.integer({ min: 1, max: 4 }),
        sh: fc.integer({ min: 1, max: 3 }),
        sw: fc.integer({ min: 1, max: 3 }),
        ph: fc.integer({ min: 0, max: 2 }),
        pw: fc.integer({ min: 0, max: 2 }),
      })
      .filter((g) => g.h + 2 * g.ph >= g.kh && g.w + 2 * g.pw >= g.kw)
    fc.assert(
      fc.property(
        geometryArb.chain((g) =>
          fc.tuple(fc.constant(g), stridedTensorArb([g.n, g.c, g.h, g.w], { maxBaseSize: 3000 }), stridedTensorArb([g.o, g.c, g.kh, g.kw], { maxBaseSize: 1000 })),
        ),
        ([s, cx, cw]) => {
          const x = cx.make()
          const w = cw.make()
          const g: Conv2dGeometry = convGeometry('conv2d', x.shape, w.shape, { stride: [s.sh, s.sw], padding: [s.ph, s.pw] })
          const yShape = [g.batch, g.outChannels, g.outH, g.outW]
          const check = (run: (b: Backend, out: Strided, abs: boolean) => void, shape: number[], terms: number, what: string) => {
            const want = empty(shape)
            const got = empty(shape)
            const bound = empty(shape)
            run(referenceBackend, want, false)
            run(get(), got, false)
            run(referenceBackend, bound, true)
            bound.data.forEach((v, i) => (bound.data[i] = (terms + 1) * F32 * v))
            assertNear(got, want, F32, bound, `${what} ${JSON.stringify(s)} x ${cx.layout} w ${cw.layout}`)
          }
          const gy = dense(yShape, (i) => Math.fround(Math.sin(i + 1)))
          const pick = (t: Strided, abs: boolean) => (abs ? absOf(t) : t)
          check((b, out, abs) => b.conv2d(pick(x, abs), pick(w, abs), g, out), yShape, g.inChannels * g.kernelH * g.kernelW, 'conv2d')
          check((b, out, abs) => b.conv2dInputGrad(pick(gy, abs), pick(w, abs), g, out), [...x.shape], g.outChannels * g.kernelH * g.kernelW, 'conv2dInputGrad')
          check((b, out, abs) => b.conv2dWeightGrad(pick(x, abs), pick(gy, abs), g, out), [...w.shape], g.batch * g.outH * g.outW, 'conv2dWeightGrad')
        },
      ),
      runs,
    )
  })

  test(`${name}: tensors of 6 axes that do not merge: the host loops over the leading axes`, () => {
    const base = dense([2, 3, 2, 3, 2, 3], (i) => Math.fround(Math.cos(i)))
    // Reverse the axes: no two neighbours are contiguous, so nothing merges.
    const a: Strided = { ...base, shape: [...base.shape].reverse(), strides: [...base.strides].reverse() }
    const b = dense([3, 1, 3, 1, 3, 1], (i) => i - 4)
    const shape = [3, 2, 3, 2, 3, 2]
    for (const run of [
      (be: Backend, out: Strided) => be.map('exp', a, out, 0, 0),
      (be: Backend, out: Strided) => be.zip('mul', a, b, out),
    ]) {
      const want = empty(shape)
      const got = empty(shape)
      run(referenceBackend, want)
      run(get(), got)
      assertNear(got, want, ulps(mode))
    }
    // A reduction over interleaved axes needs a gather first.
    const outShape = [3, 1, 3, 1, 3, 1]
    const want = empty(outShape)
    const got = empty(outShape)
    referenceBackend.reduce('sum', a, want)
    get().reduce('sum', a, got)
    assertNear(got, want, 1e-5)
  })

  test(`${name}: empty tensors, a reduction over an empty axis, k = 0 products, a batch of 0`, () => {
    const none = empty([0, 3])
    get().map('exp', empty([0, 3]), none, 0, 0)
    assert.is(none.data.length, 0)
    const sums = empty([1, 3])
    get().reduce('sum', empty([0, 3]), sums)
    assert.equal([...sums.data], [0, 0, 0])
    const prod = empty([2, 2])
    get().matmul(empty([2, 0]), empty([0, 2]), prod)
    assert.equal([...prod.data], [0, 0, 0, 0])
    const zero = empty([0, 2])
    get().matmul(empty([0, 3]), empty([3, 2]), zero)
    assert.is(zero.data.length, 0)
    const g = convGeometry('conv2d', [0, 2, 4, 4], [3, 2, 3, 3])
    const gw = empty([3, 2, 3, 3])
    get().conv2dWeightGrad(empty([0, 2, 4, 4]), empty([0, 3, 2, 2]), g, gw)
    assert.ok(gw.data.every((v) => v === 0), 'a batch of 0 gives a zero weight gradient')
  })

  test(`${name}: refuses float64 with an error naming the backend, the op and the shape`, () => {
    const x: Strided = { data: new Float64Array(3), shape: [3], strides: [1], offset: 0 }
    for (const [op, shape, run] of [
      ["map 'exp'", '[3]', () => get().map('exp', x, empty([3]), 0, 0)],
      ["zip 'add'", '[3]', () => get().zip('add', empty([3]), x, empty([3]))],
      ["reduce 'sum'", '[3]', () => get().reduce('sum', x, empty([1]))],
      ['matmul', '[1, 3]', () => get().matmul({ ...x, shape: [1, 3], strides: [3, 1] }, empty([3, 1]), empty([1, 1]))],
    ] as const) {
      assert.throws(run, (e: Error) => e instanceof Float64UnsupportedError && e.message.startsWith(`${name}: ${op} got a float64 tensor of shape ${shape}`) && e.message.includes('float32 only'))
    }
  })

  test(`${name}: a kernel compiled for one shape is reused, and each shape gets its own`, () => {
    const b = get()
    const a = dense([5, 3], (i) => i)
    const run = () => {
      const out = empty([5, 3])
      b.map('square', a, out, 0, 0)
      return [...out.data]
    }
    const first = run()
    const cached = b.runner.cachedKernels()
    assert.equal(run(), first)
    assert.is(b.runner.cachedKernels(), cached, 'the same launch compiles nothing new')
    const other = empty([4, 4])
    b.map('square', dense([4, 4], (i) => i), other, 0, 0)
    assert.equal([...other.data], Array.from({ length: 16 }, (_, i) => i * i))
  })
}

// Special values are IEEE-exact on the CPU backends; WGSL does not promise NaN and infinities.
for (const mode of ['cpu', 'webasm'] as const) {
  test(`gpu.js-${mode}: a NaN wins a max, finiteOrZero zeroes infinities and NaN, sign of NaN is 0 as in scalar_ops`, () => {
    const b = gpujsBackend(mode)
    const a = dense([2, 3], (i) => [1, NaN, 3, -Infinity, 5, 2][i]!)
    const maxes = empty([2, 1])
    b.reduce('max', a, maxes)
    assert.ok(Number.isNaN(maxes.data[0]!))
    assert.is(maxes.data[1], 5)
    const finite = empty([2, 3])
    b.map('finiteOrZero', a, finite, 0, 0)
    assert.equal([...finite.data], [1, 0, 3, 0, 5, 2])
    const signs = empty([2, 3])
    b.map('sign', a, signs, 0, 0)
    assert.equal([...signs.data], [1, 0, 1, -1, 1, 1])
  })

  test(`gpu.js-${mode}: a strided map gathers through zip as x * 1, bit-exact for -0, infinities and NaN`, () => {
    const b = gpujsBackend(mode)
    const values = [-0, Infinity, -Infinity, NaN, 1e-40, -3.5]
    const a = dense([2, 3], (i) => values[i]!)
    const aT: Strided = { ...a, shape: [3, 2], strides: [1, 3] }
    const copied = empty([3, 2])
    b.map('copy', aT, copied, 0, 0)
    assert.ok(Object.is(copied.data[0], -0), 'the gather keeps -0')
    const want = [-0, Infinity, -Infinity, NaN, 1e-40, -3.5].map(Math.fround)
    assert.equal([...copied.data].map(String), [0, 3, 1, 4, 2, 5].map((i) => String(want[i])))
    const negated = empty([3, 2])
    b.map('neg', aT, negated, 0, 0)
    assert.equal([...negated.data].map(String), [0, 3, 1, 4, 2, 5].map((i) => String(-want[i]!)))
    assert.ok(Object.is(negated.data[0], 0), 'neg of the gathered -0 is +0')
  })
}

for (const mode of modes) backendTests(mode)

if (!webgpuWanted) {
  test.skip('gpu.js-webgpu: kernels against the reference (set GENKATA_TEST_WEBGPU=1; needs a WebGPU adapter)', () => {})
  console.error('tests/backend/gpujs: gpu.js-webgpu skipped: set GENKATA_TEST_WEBGPU=1 (with GENKATA_WEBGPU_BACKEND=opengles and Mesa installed, on a machine without a GPU) to run it')
} else {
  test('gpu.js-webgpu: reports its adapter and Dawn backend; a long-row reduction takes the two-pass path', () => {
    const b = gpujsBackend('webgpu')
    assert.match(b.runner.describe(), /gpu\.js webgpu on .+\(Dawn backend: /)
    const a = dense([2, 5000], (i) => ((i % 17) - 8) / 8)
    const want = empty([2, 1])
    const got = empty([2, 1])
    referenceBackend.reduce('sum', a, want)
    b.reduce('sum', a, got)
    assertNear(got, want, 1e-5)
  })

  test('gpu.js-webgpu: a runner closed by closeSync() releases its worker and refuses further launches', () => {
    const runner = new WebGpuRunner()
    const launch: Launch = { kernel: 'reduce', constants: { op: 0, len: 3, rowStride: 3, step: 1 }, output: [2], args: [Float32Array.of(1, 2, 3, 4, 5, 6)] }
    assert.equal([...runner.run(launch)], [6, 15])
    runner.closeSync()
    assert.throws(() => runner.run(launch), /this runner was closed/)
  })
}

// ---- the parts, one at a time ------------------------------------------------------------------------

test('a webgpu backend that cannot start throws, naming the Dawn backend and what to install', () => {
  assert.throws(
    () => new WebGpuRunner({ backend: 'no-such-backend', timeoutSeconds: 60 }),
    (e: Error) => /no WebGPU adapter/.test(e.message) && e.message.includes('no-such-backend') && e.message.includes('GENKATA_WEBGPU_BACKEND=opengles'),
  )
})

test('the scalar helpers agree with scalar_ops for every op code', () => {
  const xs = [-2.5, -1, -0.25, 0, 0.5, 1, 3, NaN, Infinity, -Infinity]
  const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-12 * Math.abs(b)
  for (const [op, code] of Object.entries(unaryCodes) as [UnaryOp, number][]) {
    for (const x of xs) assert.ok(same(applyUnary(code, x, 0.1, 0.7), unaryOps[op](x, 0.1, 0.7)), `${op}(${x})`)
  }
  for (const [op, code] of Object.entries(binaryCodes) as [BinaryOp, number][]) {
    for (const x of xs) for (const y of xs) assert.ok(same(applyBinary(code, x, y), binaryOps[op](x, y)), `${op}(${x}, ${y})`)
  }
  for (const [op, code] of Object.entries(reduceCodes) as ['sum' | 'max', number][]) {
    for (const x of xs) for (const y of xs) assert.ok(same(applyReduce(code, x, y), reduceOps[op].fn(x, y)), `${op}(${x}, ${y})`)
  }
})

test('coalesce merges axes every operand walks as one and drops size-1 axes', () => {
  assert.equal(coalesce([2, 3, 4], [[12, 4, 1]]), { shape: [24], strides: [[1]] })
  // The second operand is a transpose of the last two axes: only the first merge is shared.
  assert.equal(coalesce([2, 3, 4], [[12, 4, 1], [12, 1, 3]]), { shape: [2, 3, 4], strides: [[12, 4, 1], [12, 1, 3]] })
  assert.equal(coalesce([5, 1, 6], [[6, 6, 1], [0, 0, 0]]), { shape: [30], strides: [[1], [0]] })
  assert.equal(coalesce([1, 1], [[1, 1]]), { shape: [], strides: [[]] })
})

test('spanOf, padLeft and forEachBlock', () => {
  assert.is(spanOf([2, 3], [3, 1]), 6)
  assert.is(spanOf([2, 3], [1, 4]), 10)
  assert.is(spanOf([4], [0]), 1)
  assert.is(spanOf([0, 3], [3, 1]), 0)
  assert.equal(padLeft([5, 6], 4, 1), [1, 1, 5, 6])
  assert.equal(padLeft([1, 2, 3, 4, 5], 4, 0), [2, 3, 4, 5])
  const seen: string[] = []
  forEachBlock([2, 3, 4], [[12, 4, 1], [1, 2, 6]], [0, 100], 1, (offsets, block) => seen.push(`${block}:${offsets}`))
  assert.equal(seen, ['0:0,100', '1:4,102', '2:8,104', '3:12,101', '4:16,103', '5:20,105'])
  const once: number[][] = []
  forEachBlock([4], [[1]], [7], 4, (offsets) => once.push(offsets))
  assert.equal(once, [[7]])
})

test('chunkCount splits only long rows, on a divisor near the square root', () => {
  assert.is(chunkCount(100), 1)
  assert.is(chunkCount(4096), 64)
  assert.is(chunkCount(5000), 50)
  assert.is(chunkCount(4099), 1) // prime: no split
})

test('the two-pass reduction (used on webgpu) gives the single-pass answer', () => {
  const cpu = new InProcessRunner('cpu')
  const twoPass = createGpujsBackend({ mode: 'webgpu', run: (l: Launch) => cpu.run(l), cachedKernels: () => cpu.cachedKernels(), describe: () => 'cpu posing as webgpu' })
  const calls: number[] = []
  const counting: KernelRunner = { mode: 'webgpu', run: (l) => (calls.push(l.output[0]), cpu.run(l)), cachedKernels: () => 0, describe: () => '' }
  const a = dense([3, 4096], (i) => ((i * 7) % 19) - 9)
  for (const op of ['sum', 'max'] as const) {
    const want = empty([3, 1])
    const got = empty([3, 1])
    referenceBackend.reduce(op, a, want)
    twoPass.reduce(op, a, got)
    assert.equal([...got.data], [...want.data], op)
  }
  createGpujsBackend(counting).reduce('sum', { ...a, shape: [4096], strides: [1] }, empty([1]))
  assert.equal(calls, [64, 1], 'a row of 4096 is summed as 64 chunks of 64, then the 64 partial sums')
})

test('every kernel run as plain JavaScript (gpu.js dev mode, no compiler) agrees with the reference', () => {
  // The kernels' own source, executed as written: what the compiled versions must match, and the
  // only way a coverage tool sees inside them.
  const gpu = new (loadGpujs().GPU)({ mode: 'dev' })
  const dev: KernelRunner = {
    mode: 'cpu',
    run: (l) => flatten(gpu.createKernel(kernels[l.kernel].fn, { constants: l.constants, output: l.output, functions: kernels[l.kernel].helpers })(...l.args), l.output),
    cachedKernels: () => 0,
    describe: () => 'gpu.js dev mode',
  }
  const b = createGpujsBackend(dev)
  const x = dense([2, 3, 5, 4], (i) => Math.fround(Math.sin(i)))
  const xT: Strided = { ...x, shape: [2, 3, 4, 5], strides: [60, 20, 1, 4] }
  const w = dense([2, 3, 3, 2], (i) => Math.fround(Math.cos(i)))
  const cases: [string, number[], (be: Backend, out: Strided) => void][] = [
    ['map leakyRelu', [2, 3, 4, 5], (be, out) => be.map('leakyRelu', xT, out, 0.1, 0)],
    ['zip pow', [2, 3, 4, 5], (be, out) => be.zip('pow', absOf(xT), dense([5], (i) => i / 2), out)],
    ['reduce max', [2, 1, 4, 1], (be, out) => be.reduce('max', xT, out)],
    ['matmul', [2, 3, 4, 4], (be, out) => be.matmul(xT, { ...x, shape: [2, 3, 5, 4] }, out)],
  ]
  const g = convGeometry('conv2d', x.shape, w.shape, { stride: [2, 1], padding: 1 })
  const gy = dense([g.batch, g.outChannels, g.outH, g.outW], (i) => (i % 5) - 2)
  cases.push(
    ['conv2d', [g.batch, g.outChannels, g.outH, g.outW], (be, out) => be.conv2d(x, w, g, out)],
    ['conv2dInputGrad', [...x.shape], (be, out) => be.conv2dInputGrad(gy, w, g, out)],
    ['conv2dWeightGrad', [...w.shape], (be, out) => be.conv2dWeightGrad(x, gy, g, out)],
  )
  for (const [what, shape, run] of cases) {
    const want = empty(shape)
    const got = empty(shape)
    run(referenceBackend, want)
    run(b, got)
    assertNear(got, want, 1e-5, undefined, what)
  }
})

test('the runner refuses a kernel that ran on another backend or fell back', () => {
  const lib = loadGpujs()
  const fake = Object.assign(Object.create(lib.CPUKernel.prototype), { fallbackReason: null })
  assert.not.throws(() => assertRanOn('cpu', fake, lib.CPUKernel, 'map'))
  assert.throws(() => assertRanOn('webasm', fake, lib.WebAssemblyKernel, 'map'), /kernel 'map' ran on .* instead of WebAssemblyKernel/)
  fake.fallbackReason = 'texture arguments are not supported'
  assert.throws(() => assertRanOn('cpu', fake, lib.CPUKernel, 'zip'), /gpu\.js fell back: texture arguments/)
})

test('flatten copies nested 2-D and 3-D results in x-fastest order and checks the count', () => {
  const rows = [Float32Array.of(1, 2), Float32Array.of(3, 4)]
  assert.equal([...flatten(rows, [2, 2])], [1, 2, 3, 4])
  assert.equal([...flatten([rows, rows], [2, 2, 2])], [1, 2, 3, 4, 1, 2, 3, 4])
  assert.throws(() => flatten(rows, [2, 3]), /4 values for an output of 2x3/)
  assert.throws(() => flatten([1, 2], [2]), /where an array of output 2 was expected/)
})

test('a kernel that is still a stub shows its NotImplementedError, not a gpu.js parse error', () => {
  const launch: Launch = { kernel: 'map', constants: {}, output: [1], args: [] }
  function stub(): number {
    throw new NotImplementedError('3.9', 'write the kernel')
  }
  assert.throws(() => probeStub(stub, launch), (e: Error) => e.name === 'NotImplementedError' && e.message.includes('3.9'))
  function finished(this: { thread: { x: number } }): number {
    return this.thread.x // mentions NotImplementedError only in this comment
  }
  assert.not.throws(() => probeStub(finished, launch))
})

test('launch keys tell apart everything a compiled kernel is specialised for', () => {
  const base: Launch = { kernel: 'map', constants: { op: 1 }, output: [4], args: [new Float32Array(4)] }
  const keys = new Set([
    launchKey(base),
    launchKey({ ...base, kernel: 'zip' }),
    launchKey({ ...base, constants: { op: 2 } }),
    launchKey({ ...base, output: [2, 2] }),
    launchKey({ ...base, args: [new Float32Array(5)] }),
  ])
  assert.is(keys.size, 5)
  assert.is(launchKey({ ...base, args: [new Float32Array(4).fill(3)] }), launchKey(base), 'values do not matter')
})

test('map launches no indexing kernel of its own: zip gathers a strided view, map reads contiguously', () => {
  const cpu = new InProcessRunner('cpu')
  const launches: string[] = []
  const counting: KernelRunner = { mode: 'cpu', run: (l) => (launches.push(`${l.kernel}:${l.constants.op}`), cpu.run(l)), cachedKernels: () => 0, describe: () => '' }
  const b = createGpujsBackend(counting)
  const a = dense([3, 4], (i) => i - 5)
  const aT: Strided = { ...a, shape: [4, 3], strides: [1, 4] }
  const row: Strided = { ...a, shape: [2, 4], strides: [0, 1] }
  const cases: [string, () => void, string[]][] = [
    ['contiguous exp', () => b.map('exp', a, empty([3, 4]), 0, 0), [`map:${unaryCodes.exp}`]],
    ['transposed copy', () => b.map('copy', aT, empty([4, 3]), 0, 0), [`zip:${binaryCodes.mul}`]],
    ['transposed relu', () => b.map('relu', aT, empty([4, 3]), 0, 0), [`zip:${binaryCodes.mul}`, `map:${unaryCodes.relu}`]],
    ['broadcast abs', () => b.map('abs', row, empty([2, 4]), 0, 0), [`zip:${binaryCodes.mul}`, `map:${unaryCodes.abs}`]],
  ]
  for (const [what, run, want] of cases) {
    launches.length = 0
    run()
    assert.equal(launches, want, what)
  }
  for (const [op, view, shape] of [['relu', aT, [4, 3]], ['abs', row, [2, 4]], ['copy', aT, [4, 3]]] as const) {
    const got = empty(shape)
    const ref = empty(shape)
    b.map(op, view, got, 0, 0)
    referenceBackend.map(op, view, ref, 0, 0)
    assert.equal([...got.data], [...ref.data], op)
  }
})

test('the kernel cache keeps the most recently used kernels up to its limit', () => {
  const runner = new InProcessRunner('cpu', 2)
  const b = createGpujsBackend(runner)
  const square = (n: number) => {
    const out = empty([n])
    b.map('square', dense([n], (i) => i), out, 0, 0)
    return [...out.data]
  }
  square(2)
  square(3)
  square(4)
  assert.is(runner.cachedKernels(), 2)
  assert.equal(square(2), [0, 1], 'an evicted kernel is compiled again')
})

test('outputs and operands beyond 2^24 elements are refused: kernels index in float32', () => {
  const b = gpujsBackend('cpu')
  const huge: Strided = { data: new Float32Array(4), shape: [MAX_INDEX + 1], strides: [0], offset: 0 }
  assert.throws(() => b.map('copy', huge, huge, 0, 0), /exact only below 2\^24/)
  const wide: Strided = { data: new Float32Array(MAX_INDEX + 2), shape: [2], strides: [MAX_INDEX + 1], offset: 0 }
  assert.throws(() => b.map('copy', wide, empty([2]), 0, 0), /spans 16777218 elements/)
})

test('GENKATA_BACKEND-style selection: setBackend picks a gpu.js backend by name, and tensors compute on it', () => {
  const before = getBackend().name
  try {
    assert.is(setBackend('gpu.js-webasm').name, 'gpu.js-webasm')
    assert.ok(getBackend() === gpujsBackend('webasm'))
  } finally {
    setBackend(before)
  }
})

test.run()
