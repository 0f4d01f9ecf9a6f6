// The cpu backend's one-pass Adam (src/backend/cpu/optim.ts, kernels.wat's adam) against the
// reference rule it stands in for (solutions/nn/optim/adam.ts), over several steps, both kinds of
// weight decay, sizes that are odd or tiny, and values that are NaN, infinite or zero: m and v the
// same bit for bit (the same float64 arithmetic in the same order); the parameter within float32
// rounding (its step is computed in float32): 2 units in the last place of the larger of the
// parameter and its step (or of the smallest normal float32, where the step underflows).
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { adamUpdateF32 } from '../../src/backend/cpu/index.ts'
import { adamUpdate, type AdamHyper } from '../../solutions/nn/optim/adam.ts'
import { Adam } from '../../src/nn/index.ts'
import { tensor } from '../../src/index.ts'

// Gradients near float32's subnormal range are left out: there m itself is subnormal and the
// float32 step loses digits (no gradient of a real model is below 1e-30).
const f32 = fc.float({ min: -4, max: 4, noNaN: true }).map((x) => (Math.abs(x) < 1e-30 ? 0 : x))
const special = fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e-30, 3e38)

/** Within 2 units in the last place of max(|expected|, |expected - before|); NaN, infinities exactly. */
function close(actual: Float32Array, expected: Float32Array, before: Float32Array, what: string): void {
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!
    const e = expected[i]!
    if (Number.isNaN(a) && Number.isNaN(e)) continue
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e) assert.unreachable(`${what}[${i}]: ${a} but the reference rule gives ${e}`)
      continue
    }
    const scale = Math.max(Math.abs(e), Math.abs(e - before[i]!))
    // (plus float32's smallest normal: below it both sides underflow differently)
    if (Math.abs(a - e) > 2 * 2 ** -23 * scale + 2 ** -126) assert.unreachable(`${what}[${i}]: ${a} but the reference rule gives ${e} (before the step: ${before[i]})`)
  }
}

function sameBits(actual: Float32Array, expected: Float32Array, what: string): void {
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length)
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length)
  for (let i = 0; i < a.length; i++) {
    // Every NaN is the same NaN to the reference loop's float32 store.
    if (Number.isNaN(actual[i]!) && Number.isNaN(expected[i]!)) continue
    if (a[i] !== e[i]) assert.unreachable(`${what}[${i}]: ${actual[i]} but the reference rule gives ${expected[i]}`)
  }
}

test('adamUpdateF32 matches the reference adamUpdate step after step: m and v bit for bit, the parameter within float32 rounding', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 37 }).chain((n) => fc.tuple(
        fc.array(fc.oneof({ weight: 9, arbitrary: f32 }, { weight: 1, arbitrary: special }), { minLength: n, maxLength: n }),
        fc.array(fc.array(f32, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }),
      )),
      fc.record({
        lr: fc.constantFrom(1e-3, 2e-4, 0.1),
        beta1: fc.constantFrom(0.9, 0.5, 0),
        beta2: fc.constantFrom(0.999, 0.9),
        eps: fc.constantFrom(1e-8, 1e-3),
        weightDecay: fc.constantFrom(0, 0.01, 0.5),
        decoupled: fc.boolean(),
      }),
      ([values, grads], h: AdamHyper) => {
        const n = values.length
        const ref = { param: Float32Array.from(values), m: new Float32Array(n), v: new Float32Array(n) }
        const fast = { param: Float32Array.from(values), m: new Float32Array(n), v: new Float32Array(n) }
        grads.forEach((g, t) => {
          const grad = Float32Array.from(g)
          const before = Float32Array.from(ref.param)
          adamUpdate(ref.param, grad, { step: t + 1, expAvg: ref.m, expAvgSq: ref.v }, h)
          assert.ok(adamUpdateF32(fast.param, grad, fast.m, fast.v, t + 1, h))
          close(fast.param, ref.param, before, `param after step ${t + 1}`)
          fast.param.set(ref.param) // each step from the same parameters: errors do not compound
          sameBits(fast.m, ref.m, `m after step ${t + 1}`)
          sameBits(fast.v, ref.v, `v after step ${t + 1}`)
        })
      },
    ),
    { seed: 14, numRuns: 200 },
  )
})

test('adamUpdateF32 leaves float64 to the reference rule and refuses mismatched lengths', () => {
  const h = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false }
  const p = new Float64Array([1, 2])
  assert.is(adamUpdateF32(p, new Float64Array(2), new Float64Array(2), new Float64Array(2), 1, h), false)
  assert.equal([...p], [1, 2])
  assert.throws(() => adamUpdateF32(new Float32Array(3), new Float32Array(2), new Float32Array(3), new Float32Array(3), 1, h), /adam: the parameter has 3 values but its gradient 2, m 3 and v 3/)
})

test('Adam.step on float32 parameters gives what the reference rule gives, within float32 rounding', () => {
  const w = tensor([[0.5, -1.5, 2], [3, -0.25, 0.125]], { requiresGrad: true })
  const expected = Float32Array.from(w.toTypedArray())
  const m = new Float32Array(6)
  const v = new Float32Array(6)
  const optimizer = new Adam([w], { lr: 0.01, weightDecay: 0.1 })
  for (let t = 1; t <= 3; t++) {
    optimizer.zeroGrad()
    w.mul(w).sum().backward()
    const grad = Float32Array.from(w.grad!.toTypedArray())
    const before = Float32Array.from(expected)
    adamUpdate(expected, grad, { step: t, expAvg: m, expAvgSq: v }, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decoupled: false })
    optimizer.step()
    close(w.toTypedArray() as Float32Array, expected, before, `w after step ${t}`)
    expected.set(w.toTypedArray())
  }
})

test.run()
