// Forward values of every element-wise op, reduction and matrix product against the float64
// plain-loop reference, on non-contiguous inputs; tolerances are float32's, scaled by the
// reduction length where values are summed.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { concat, fromArray, getBackend, stack, tensor } from '../../src/index.ts'
import { axesArb, broadcastPairArb, shapeArb, stridedTensorArb, tensorCaseArb } from '../helpers/arbitraries.ts'
import { binaryCases, comparisonCases, unaryCases } from '../helpers/ops.ts'
import * as ref from '../helpers/reference.ts'
import { assertClose } from '../helpers/reference.ts'
import { needsFloat64 } from '../helpers/float64.ts'
const test64 = needsFloat64(test)

const F32 = 2 ** -23 // float32's machine epsilon
// WGSL lets exp, log and friends be off by several ulps (exp: 3 + 2|x| ulp; Mesa's llvmpipe uses
// that room, up to 5 ulp measured here); every other backend keeps within 2.
const unaryUlps = getBackend().name === 'gpu.js-webgpu' ? 16 : 2

const maxAbs = (a: ref.Nd) => a.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0)

for (const op of unaryCases) {
  test(`forward ${op.name} matches Math on non-contiguous inputs`, () => {
    fc.assert(
      fc.property(tensorCaseArb({}, op.values), (c) => {
        const out = op.apply(c.make())
        assert.equal(out.shape, c.shape)
        assert.is(out.dtype, 'float32')
        assertClose(out, ref.map(c.values, op.ref), unaryUlps * F32, `${op.name} on ${c.layout}`)
      }),
      { numRuns: 25 },
    )
  })
}

test64('forward of every unary op computes in float64 when the input is float64', () => {
  for (const op of unaryCases) {
    const t = fromArray([0.3, 0.7, 1.9], [3], { dtype: 'float64' })
    const out = op.apply(t)
    assert.is(out.dtype, 'float64', op.name)
    assertClose(out, ref.map(ref.nd([3], [0.3, 0.7, 1.9]), op.ref), 1e-15, op.name)
  }
})

for (const op of binaryCases) {
  test(`forward ${op.name} broadcasts random shape pairs of non-contiguous inputs like the reference`, () => {
    fc.assert(
      fc.property(
        broadcastPairArb().chain(([sa, sb]) => fc.tuple(stridedTensorArb(sa, op.a), stridedTensorArb(sb, op.b))),
        ([a, b]) => {
          const out = op.apply(a.make(), b.make())
          assertClose(out, ref.zip(a.values, b.values, op.ref), 4 * F32, `${op.name}: ${a.layout} with ${b.layout}`)
        },
      ),
      { numRuns: 25 },
    )
  })
}

test('forward binary ops with a number operand broadcast the scalar', () => {
  const t = tensor([[1, 2], [3, 4]]).transpose()
  assert.equal(t.add(1).toArray(), [[2, 4], [3, 5]])
  assert.equal(t.sub(1).toArray(), [[0, 2], [1, 3]])
  assert.equal(t.mul(2).toArray(), [[2, 6], [4, 8]])
  assert.equal(t.div(2).toArray(), [[0.5, 1.5], [1, 2]])
  assert.equal(t.pow(2).toArray(), [[1, 9], [4, 16]])
  assert.equal(t.maximum(2.5).toArray(), [[2.5, 3], [2.5, 4]])
  assert.equal(t.minimum(2.5).toArray(), [[1, 2.5], [2, 2.5]])
})

for (const op of comparisonCases) {
  test(`comparison ${op.name} gives 1 or 0 for random broadcast pairs (ties included) and records no graph`, () => {
    fc.assert(
      fc.property(
        broadcastPairArb().chain(([sa, sb]) => fc.tuple(stridedTensorArb(sa, { levels: 4 }), stridedTensorArb(sb, { levels: 4 }))),
        ([a, b]) => {
          const out = op.apply(a.make({ requiresGrad: true }), b.make())
          assert.not.ok(out.requiresGrad)
          assert.is(out.gradFn, null)
          assertClose(out, ref.zip(a.values, b.values, (x, y) => (op.ref(x, y) ? 1 : 0)), 0, op.name)
        },
      ),
      { numRuns: 20 },
    )
  })
}

for (const kind of ['sum', 'mean', 'max'] as const) {
  test(`forward ${kind} over random axes, with and without keepDims, on non-contiguous inputs`, () => {
    fc.assert(
      fc.property(
        shapeArb().chain((shape) => fc.tuple(stridedTensorArb(shape, { min: -3, max: 3 }), axesArb(shape.length), fc.boolean())),
        ([c, { axes, normalized }, keepDims]) => {
          const out = c.make()[kind](axes, keepDims)
          const expected = ref.reduce(c.values, normalized, keepDims, kind)
          const length = c.values.data.length / Math.max(expected.data.length, 1)
          assertClose(out, expected, 16 * length * F32 * Math.max(1, maxAbs(c.values)), `${kind}(${JSON.stringify(axes)}, ${keepDims}) of ${c.layout}`)
        },
      ),
      { numRuns: 60 },
    )
  })
}

test('reductions with no axes reduce everything to a 0-d tensor; max lets NaN win', () => {
  const t = tensor([[1, -5], [3, 2]]).transpose()
  assert.equal(t.sum().shape, [])
  assert.is(t.sum().item(), 1)
  assert.is(t.mean().item(), 0.25)
  assert.is(t.max().item(), 3)
  assert.equal(t.max(0).toArray(), [1, 3])
  assert.equal(t.sum(-1, true).toArray(), [[4], [-3]])
  assert.ok(Number.isNaN(tensor([1, NaN, 3]).max().item()))
  assert.ok(Number.isNaN(tensor([NaN, 1, 3]).max().item()))
})

test('forward matmul, 2-D and batched with broadcast batch dimensions, on non-contiguous inputs', () => {
  const dims = fc.record({ n: fc.integer({ min: 1, max: 5 }), k: fc.integer({ min: 1, max: 6 }), m: fc.integer({ min: 1, max: 5 }) })
  fc.assert(
    fc.property(
      fc.tuple(broadcastPairArb({ maxDims: 2, maxSize: 3 }), dims).chain(([[ba, bb], { n, k, m }]) =>
        fc.tuple(stridedTensorArb([...ba, n, k], { min: -3, max: 3 }), stridedTensorArb([...bb, k, m], { min: -3, max: 3 })),
      ),
      ([a, b]) => {
        const out = a.make().matmul(b.make())
        const k = a.shape[a.shape.length - 1]!
        assertClose(out, ref.matmul(a.values, b.values), 16 * k * F32 * 9, `${a.layout} @ ${b.layout}`)
      },
    ),
    { numRuns: 60 },
  )
})

test64('matmul of a float64 and a float32 operand computes in float64', () => {
  const a = fromArray([1 / 3, 2 / 3], [1, 2], { dtype: 'float64' })
  const b = fromArray([3, 3], [2, 1])
  const out = a.matmul(b)
  assert.is(out.dtype, 'float64')
  assertClose(out, ref.nd([1, 1], [3]), 1e-15)
})

test('forward concat and stack of non-contiguous inputs along any axis match the reference', () => {
  fc.assert(
    fc.property(
      shapeArb({ minDims: 1, maxDims: 3 }).chain((shape) =>
        fc.tuple(fc.integer({ min: 0, max: shape.length - 1 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })).chain(([axis, sizes]) =>
          fc.tuple(fc.constant(axis), fc.tuple(...sizes.map((s) => stridedTensorArb(shape.map((d, i) => (i === axis ? s : d)))))),
        ),
      ),
      ([axis, cases]) => {
        const out = concat(cases.map((c) => c.make()), axis)
        assertClose(out, ref.concat(cases.map((c) => c.values), axis), 0)
        const negative = concat(cases.map((c) => c.make()), axis - cases[0]!.shape.length)
        assertClose(negative, out, 0, 'negative axis')
      },
    ),
    { numRuns: 40 },
  )
  fc.assert(
    fc.property(
      shapeArb({ maxDims: 3 }).chain((shape) =>
        fc.tuple(fc.integer({ min: -shape.length - 1, max: shape.length }), fc.array(stridedTensorArb(shape), { minLength: 1, maxLength: 3 })),
      ),
      ([axis, cases]) => {
        const out = stack(cases.map((c) => c.make()), axis)
        const at = axis < 0 ? axis + cases[0]!.shape.length + 1 : axis
        const expected = ref.concat(
          cases.map((c) => ref.reshape(c.values, [...c.shape.slice(0, at), 1, ...c.shape.slice(at)])),
          at,
        )
        assertClose(out, expected, 0, `stack on axis ${axis}`)
      },
    ),
    { numRuns: 40 },
  )
})

test('softmax sums to one along the axis, for any shape and any axis', () => {
  fc.assert(
    fc.property(
      shapeArb({ minDims: 1 }).chain((shape) => fc.tuple(stridedTensorArb(shape, { min: -40, max: 40, levels: 1000 }), fc.integer({ min: -shape.length, max: shape.length - 1 }))),
      ([c, axis]) => {
        const s = c.make().softmax(axis)
        const at = axis < 0 ? axis + c.shape.length : axis
        assert.ok(s.toTypedArray().every((x) => x >= 0 && x <= 1), 'softmax values lie in [0, 1]')
        // softmax is exp(x - logSumExp(x)): float32 rounds x - logSumExp to |x| * eps, which becomes
        // a relative error of each value, so the tolerance grows with the largest |x|.
        const tol = 4 * F32 * (1 + maxAbs(c.values))
        assertClose(s.sum(axis), ref.fullNd(c.shape.filter((_, i) => i !== at), 1), c.shape[at]! * tol, `softmax(${axis}) of ${c.layout}`)
        assertClose(s, ref.softmax(c.values, at), tol, 'softmax values')
      },
    ),
    { numRuns: 60 },
  )
})

test('logSumExp is stable at +-1e4: finite and equal to max + log(sum(exp(x - max))) in float64', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(1e4, -1e4),
      shapeArb({ minDims: 1 }).chain((shape) => fc.tuple(stridedTensorArb(shape, { min: -5, max: 5 }), axesArb(shape.length), fc.boolean())),
      (center, [c, { axes, normalized }, keepDims]) => {
        const shifted = ref.map(c.values, (x) => Math.fround(x + center))
        const out = c.make().add(center).logSumExp(axes, keepDims)
        assert.ok(out.toTypedArray().every(Number.isFinite), 'logSumExp overflowed')
        const expected = ref.logSumExp(shifted, normalized, keepDims)
        // The reference, written out once more: max + log(sum(exp(x - max))).
        const m = ref.reduce(shifted, normalized, true, 'max')
        const direct = ref.zip(ref.map(ref.reduce(ref.zip(shifted, m, (x, y) => Math.exp(x - y)), normalized, true, 'sum'), Math.log), m, (x, y) => x + y)
        assertClose(ref.reshape(direct, expected.shape), expected, 1e-12)
        assertClose(out, expected, 4 * F32, `logSumExp(${JSON.stringify(axes)}) of ${c.layout} + ${center}`)
      },
    ),
    { numRuns: 60 },
  )
})

test('logSoftmax equals log(softmax) wherever both are finite', () => {
  fc.assert(
    fc.property(
      shapeArb({ minDims: 1 }).chain((shape) => fc.tuple(stridedTensorArb(shape, { min: -30, max: 30, levels: 600 }), fc.integer({ min: 0, max: shape.length - 1 }))),
      ([c, axis]) => {
        const t = c.make()
        const logSoftmax = ref.fromTensor(t.logSoftmax(axis))
        const logOfSoftmax = ref.fromTensor(t.softmax(axis).log())
        const bothFinite = (i: number) => Number.isFinite(logSoftmax.data[i]) && Number.isFinite(logOfSoftmax.data[i])
        const where = (a: ref.Nd) => ref.nd(a.shape, a.data.map((x, i) => (bothFinite(i) ? x : 0)))
        assertClose(where(logOfSoftmax), where(logSoftmax), 1e-5, c.layout)
        assertClose(logSoftmax, ref.logSoftmax(c.values, axis), 1e-5, 'logSoftmax values')
      },
    ),
    { numRuns: 60 },
  )
})

test('logSumExp of a row of all -Infinity is -Infinity, not NaN; -Infinity entries get softmax 0', () => {
  const t = tensor([[-Infinity, -Infinity, -Infinity], [0, -Infinity, Math.log(3)]])
  const lse = t.logSumExp(1).toArray() as number[]
  assert.is(lse[0], -Infinity)
  assert.ok(Math.abs(lse[1]! - Math.log(4)) < 1e-6)
  assert.is(t.logSumExp().item(), Math.fround(Math.log(4)))
  const s = t.softmax(1).toArray() as number[][]
  assert.equal(s[1]!.map((x) => Math.round(x * 1e6) / 1e6), [0.25, 0, 0.75])
  assert.is(tensor([-Infinity, -Infinity]).logSumExp().item(), -Infinity)
})

test('logSumExp of huge values does not overflow where the naive formula does', () => {
  const t = tensor([1e4, 1e4, 1e4 - 1])
  assert.is(t.exp().sum().log().item(), Infinity, 'the naive formula overflows (else this test proves nothing)')
  assertClose(t.logSumExp(), 1e4 + Math.log(2 + Math.exp(-1)), 4 * F32)
})

test.run()
