// softplus, the op added the way docs/ARCHITECTURE.md says to add one: its float32 values against
// a float64 reference (far out on both sides too, where the naive log(1 + e^x) overflows or loses
// every digit), NaN passed through, and its gradient, sigmoid(x), by gradcheck. Part of the op
// suite, so each backend (reference, cpu, gpu.js) is held to it.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fromArray, getBackend, gradcheck, rand, tensor } from '../../src/index.ts'
import { needsFloat64 } from '../helpers/float64.ts'

const test64 = needsFloat64(test)

/** log(1 + e^x) in float64 by the textbook formula, where it is exact enough; x itself past 30. */
const reference = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x)))

test('softplus matches the float64 reference to float32 rounding, from -30 to 100', () => {
  const xs = [-30, -20, -8, -3.5, -1, -0.25, -1e-3, 0, 1e-3, 0.25, 1, 3.5, 8, 15, 20, 30, 50, 100]
  const got = fromArray(xs, [xs.length]).softplus().toTypedArray()
  xs.forEach((x, i) => {
    const want = reference(x)
    // float32 rounding of the input and the output, plus the backend's own exp/log1p in float32;
    // WGSL's exp may be off by 3 + 2|x| units in the last place, so webgpu gets that on top
    const expUlps = getBackend().name === 'gpu.js-webgpu' ? (3 + 2 * Math.abs(x)) * 2 ** -23 : 0
    assert.ok(Math.abs(got[i]! - want) <= (4e-7 + expUlps) * Math.max(Math.abs(want), 1e-30) + 1e-45, `softplus(${x}) on ${getBackend().name}: got ${got[i]}, want ${want}`)
  })
})

test('softplus is finite and close to x for large x, where log(1 + e^x) in float32 is Infinity', () => {
  const naive = fromArray([100], [1]).exp().add(1).log().item()
  assert.is(naive, Infinity, 'the naive formula overflows in float32')
  assert.is(fromArray([100], [1]).softplus().item(), 100)
})

test('softplus passes NaN through and keeps the shape of a strided view', () => {
  assert.ok(Number.isNaN(fromArray([NaN], [1]).softplus().item()))
  const x = rand([3, 4], { seed: 3, low: -4, high: 4 }).transpose()
  const y = x.softplus()
  assert.equal(y.shape, [4, 3])
  const xv = x.toArray() as number[][]
  const yv = y.toArray() as number[][]
  xv.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(yv[i]![j]! - reference(v)) < 1e-6, `[${i}, ${j}]`)))
})

test('the gradient of softplus is sigmoid(x), also at 0 where relu has its kink', () => {
  const x = tensor([-3, -0.5, 0, 0.5, 3], { requiresGrad: true })
  x.softplus().sum().backward()
  const grad = x.grad!.toTypedArray()
  ;[-3, -0.5, 0, 0.5, 3].forEach((v, i) => assert.ok(Math.abs(grad[i]! - 1 / (1 + Math.exp(-v))) < 1e-6, `d softplus/dx at ${v}: ${grad[i]}`))
})

test64('gradcheck: softplus inside a composite, in float64, within the default tolerance (1e-5)', () => {
  const x = rand([4, 5], { seed: 7, low: -6, high: 6, dtype: 'float64' })
  const w = rand([5], { seed: 8, low: -1, high: 1, dtype: 'float64' })
  const report = gradcheck((a, b) => a.mul(b).softplus().sum(1), [x, w])
  assert.ok(report.ok, report.summary)
})

test.run()
