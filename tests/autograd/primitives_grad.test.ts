// Every differentiable primitive against gradcheck (central differences in float64) on random
// shapes, with inputs that are non-contiguous views (the views are recorded in the graph, so their
// backward formulas are checked as well), values kept away from kinks and domain edges.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { concat, stack } from '../../src/index.ts'
import type { Tensor } from '../../src/index.ts'
import { assertGradcheck, axesArb, broadcastPairArb, permutationArb, shapeArb, stridedTensorArb, tensorCaseArb } from '../helpers/arbitraries.ts'
import type { StridedCase } from '../helpers/arbitraries.ts'
import { unaryCases } from '../helpers/ops.ts'
import { needsFloat64 } from '../helpers/float64.ts'
const test64 = needsFloat64(test)

// Small shapes keep central differences cheap: at most 24 elements, bases of at most 72.
const small = { maxDims: 3, maxSize: 4, maxElements: 24 }
const layout = { maxBaseSize: 72 }
const runs = { numRuns: 25 }

for (const op of unaryCases) {
  test64(`gradcheck ${op.name} on random non-contiguous inputs`, () => {
    fc.assert(
      fc.property(tensorCaseArb(small, { ...op.values, ...layout }), (c) => assertGradcheck(op.apply, [c], op.name)),
      runs,
    )
  })
}

test64('gradcheck pow with a scalar exponent (2, 3, 0.5, -1.5, 0) on positive inputs', () => {
  fc.assert(
    fc.property(fc.constantFrom(2, 3, 0.5, -1.5, 0), tensorCaseArb(small, { min: 0.2, max: 3, ...layout }), (p, c) =>
      assertGradcheck((x) => x.pow(p), [c], `pow(${p})`),
    ),
    runs,
  )
})

test64('gradcheck pow with a tensor exponent: both the base and the exponent get gradients', () => {
  fc.assert(
    fc.property(
      shapeArb(small).chain((shape) => fc.tuple(stridedTensorArb(shape, { min: 0.2, max: 3, ...layout }), stridedTensorArb(shape, { min: -2, max: 2, ...layout }))),
      ([a, b]) => assertGradcheck((x, y) => x.pow(y), [a, b], 'pow'),
    ),
    runs,
  )
})

for (const kind of ['sum', 'mean', 'max'] as const) {
  test64(`gradcheck ${kind} over random axes, with and without keepDims`, () => {
    fc.assert(
      fc.property(
        // max: all values different, so that no two elements tie for a maximum
        shapeArb(small).chain((shape) => fc.tuple(stridedTensorArb(shape, { distinct: kind === 'max', ...layout }), axesArb(shape.length), fc.boolean())),
        ([c, { axes }, keepDims]) => assertGradcheck((x) => x[kind](axes, keepDims), [c], `${kind}(${JSON.stringify(axes)}, ${keepDims})`),
      ),
      { numRuns: 40 },
    )
  })
}

test64('gradcheck matmul, 2-D and batched with broadcast batch dimensions, on non-contiguous inputs', () => {
  const dims = fc.record({ n: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 4 }), m: fc.integer({ min: 1, max: 3 }) })
  fc.assert(
    fc.property(
      fc.tuple(broadcastPairArb({ maxDims: 2, maxSize: 3, maxElements: 4 }), dims).chain(([[ba, bb], { n, k, m }]) =>
        fc.tuple(stridedTensorArb([...ba, n, k], layout), stridedTensorArb([...bb, k, m], layout)),
      ),
      ([a, b]) => assertGradcheck((x, y) => x.matmul(y), [a, b], `[${a.shape}] @ [${b.shape}]`),
    ),
    { numRuns: 40 },
  )
})

/** A shape with the same number of elements: the sizes' prime factors regrouped at random. */
function reshapeTargetArb(shape: readonly number[]): fc.Arbitrary<number[]> {
  const factors: number[] = []
  for (let d of shape) {
    for (let p = 2; d > 1; ) {
      if (d % p === 0) {
        factors.push(p)
        d /= p
      } else p++
    }
  }
  return fc.tuple(permutationArb(factors.length), fc.array(fc.boolean(), { minLength: factors.length, maxLength: factors.length }), fc.integer({ min: 0, max: 2 }), fc.boolean()).map(([order, cuts, ones, inferOne]) => {
    const target: number[] = []
    order.forEach((f, i) => (i === 0 || cuts[i] ? target.push(factors[f]!) : (target[target.length - 1]! *= factors[f]!)))
    for (let i = 0; i < ones; i++) target.splice(i % (target.length + 1), 0, 1)
    if (inferOne && target.length > 0) target[0] = -1
    return target
  })
}

test64('gradcheck reshape to random shapes of the same size (with -1 inferred), from non-contiguous inputs', () => {
  fc.assert(
    fc.property(
      shapeArb(small).chain((shape) => fc.tuple(stridedTensorArb(shape, layout), reshapeTargetArb(shape))),
      ([c, target]) => {
        assertGradcheck((x) => x.reshape(target).mul(x.reshape(target)), [c], `reshape to [${target}]`)
      },
    ),
    { numRuns: 40 },
  )
})

test64('gradcheck permute by a random permutation and transpose of random axes', () => {
  fc.assert(
    fc.property(
      shapeArb({ ...small, minDims: 2 }).chain((shape) =>
        fc.tuple(stridedTensorArb(shape, layout), permutationArb(shape.length), fc.integer({ min: -shape.length, max: shape.length - 1 }), fc.integer({ min: 0, max: shape.length - 1 })),
      ),
      ([c, dims, i, j]) => {
        // multiplied by a fixed ramp so that where each value lands matters
        const ramp = (t: Tensor) => t.mul(rampLike(t))
        assertGradcheck((x) => ramp(x.permute(...dims)), [c], `permute(${dims})`)
        assertGradcheck((x) => ramp(x.transpose(i, j)), [c], `transpose(${i}, ${j})`)
      },
    ),
    runs,
  )
})

/** 1, 2, 3, ... in the shape of t, contiguous, not recorded: makes position-dependent objectives. */
function rampLike(t: Tensor): Tensor {
  const out = t.detach().contiguous().clone()
  for (let i = 0; i < out.data.length; i++) out.data[i] = i + 1
  return out
}

test64('gradcheck expand of size-1 axes and new leading axes (the gradient sums the copies)', () => {
  fc.assert(
    fc.property(
      shapeArb(small).chain((target) =>
        fc
          .record({ drop: fc.integer({ min: 0, max: target.length }), ones: fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }) })
          .chain(({ drop, ones }) => fc.tuple(fc.constant(target), stridedTensorArb(target.map((d, i) => (ones[i] ? 1 : d)).slice(drop), layout))),
      ),
      ([target, c]) => assertGradcheck((x) => x.expand(target).mul(rampLike(x.expand(target))), [c], `expand to [${target}]`),
    ),
    { numRuns: 40 },
  )
})

test64('gradcheck slice with random steps and Python-style (negative, clamped) ranges', () => {
  const range = (size: number) =>
    fc.oneof(fc.constant(null), fc.tuple(fc.integer({ min: -size - 1, max: size }), fc.integer({ min: -size, max: size + 1 }), fc.integer({ min: 1, max: 3 })))
  fc.assert(
    fc.property(
      shapeArb({ ...small, minDims: 1 }).chain((shape) => fc.tuple(stridedTensorArb(shape, layout), fc.tuple(...shape.map(range)))),
      ([c, ranges]) => assertGradcheck((x) => { const s = x.slice(...ranges); return s.mul(rampLike(s)) }, [c], `slice ${JSON.stringify(ranges)}`),
    ),
    { numRuns: 40 },
  )
})

/** One to three cases of `shape` with the size along `axis` free (1..3). */
function blocksArb(shape: readonly number[], axis: number | null): fc.Arbitrary<StridedCase[]> {
  const sizes = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
  return sizes.chain((s) => fc.tuple(...s.map((size) => stridedTensorArb(axis === null ? shape : shape.map((d, i) => (i === axis ? size : d)), layout))))
}

test64('gradcheck concat along a random axis and stack along a random new axis, of non-contiguous inputs', () => {
  fc.assert(
    fc.property(
      shapeArb({ maxDims: 3, maxSize: 3, maxElements: 12, minDims: 1 }).chain((shape) => fc.integer({ min: 0, max: shape.length - 1 }).chain((axis) => fc.tuple(fc.constant(axis), blocksArb(shape, axis)))),
      ([axis, cases]) => {
        assertGradcheck((...xs) => { const c = concat(xs, axis); return c.mul(rampLike(c)) }, cases, `concat on axis ${axis}`)
      },
    ),
    runs,
  )
  fc.assert(
    fc.property(
      shapeArb({ maxDims: 2, maxSize: 3, maxElements: 9 }).chain((shape) => fc.tuple(fc.integer({ min: -shape.length - 1, max: shape.length }), blocksArb(shape, null))),
      ([axis, cases]) => {
        assertGradcheck((...xs) => { const s = stack(xs, axis); return s.mul(rampLike(s)) }, cases, `stack on axis ${axis}`)
      },
    ),
    runs,
  )
})

test64('gradcheck logSumExp over random axes, with and without keepDims', () => {
  fc.assert(
    fc.property(
      shapeArb(small).chain((shape) => fc.tuple(stridedTensorArb(shape, { min: -5, max: 5, ...layout }), axesArb(shape.length), fc.boolean())),
      ([c, { axes }, keepDims]) => assertGradcheck((x) => x.logSumExp(axes, keepDims), [c], `logSumExp(${JSON.stringify(axes)}, ${keepDims})`),
    ),
    { numRuns: 40 },
  )
})

for (const fn of ['softmax', 'logSoftmax'] as const) {
  test64(`gradcheck ${fn} along a random axis`, () => {
    fc.assert(
      fc.property(
        shapeArb({ ...small, minDims: 1 }).chain((shape) => fc.tuple(stridedTensorArb(shape, { min: -5, max: 5, ...layout }), fc.integer({ min: -shape.length, max: shape.length - 1 }))),
        ([c, axis]) => assertGradcheck((x) => x[fn](axis), [c], `${fn}(${axis})`),
      ),
      { numRuns: 40 },
    )
  })
}

test64('gradcheck the composed shape helpers: flatten, unsqueeze, squeeze, narrow, contiguous', () => {
  fc.assert(
    fc.property(tensorCaseArb({ ...small, minDims: 2 }, layout), (c) => {
      assertGradcheck((x) => x.flatten(1).mul(rampLike(x.flatten(1))), [c], 'flatten(1)')
      assertGradcheck((x) => x.unsqueeze(-1).unsqueeze(0).squeeze().mul(rampLike(x.unsqueeze(-1).unsqueeze(0).squeeze())), [c], 'unsqueeze / squeeze')
      assertGradcheck((x) => x.narrow(-1, 0, 1).mul(rampLike(x.narrow(-1, 0, 1))), [c], 'narrow')
      assertGradcheck((x) => x.contiguous().mul(rampLike(x)), [c], 'contiguous')
    }),
    runs,
  )
})

test64('gradcheck a small composite network (matmul, bias, tanh, logSoftmax, mean) end to end', () => {
  fc.assert(
    fc.property(
      fc.record({ n: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 1, max: 3 }) }).chain(({ n, d, h }) =>
        fc.tuple(stridedTensorArb([n, d], layout), stridedTensorArb([d, h], layout), stridedTensorArb([h], layout)),
      ),
      ([x, w, b]) => assertGradcheck((xv, wv, bv) => xv.matmul(wv).add(bv).tanh().logSoftmax(-1).mean(), [x, w, b], 'network'),
    ),
    runs,
  )
})

test64('gradient formulas in float32 agree with gradcheck in float64 up to float32 precision', () => {
  // The same function, backward run once in float32: its gradient matches the float64 one closely.
  fc.assert(
    fc.property(tensorCaseArb(small, { min: 0.2, max: 2, ...layout }), (c) => {
      const f = (t: Tensor) => t.log().mul(t.sqrt()).sigmoid().sum()
      const x32 = c.make({ requiresGrad: true })
      f(x32).backward()
      const x64 = c.make({ requiresGrad: true, dtype: 'float64' })
      f(x64).backward()
      assert.is(x32.grad!.dtype, 'float32')
      assert.is(x64.grad!.dtype, 'float64')
      const g32 = x32.grad!.toTypedArray()
      const g64 = x64.grad!.toTypedArray()
      g64.forEach((g, i) => assert.ok(Math.abs(g - g32[i]!) <= 1e-5 * Math.max(1, Math.abs(g)), `element ${i}: ${g32[i]} vs ${g}`))
    }),
    runs,
  )
})

test.run()
