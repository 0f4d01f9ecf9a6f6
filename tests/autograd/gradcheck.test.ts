// gradcheck itself: it passes correct functions, fails a deliberately broken op and names it as
// the culprit, leaves its inputs untouched, and reads relative errors in CS231n's bands.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { band, fromArray, gradcheck, relativeError, tensor } from '../../src/index.ts'
import type { Tensor } from '../../src/index.ts'
import * as raw from '../../src/tensor/raw/ops.ts'
import { apply, type OpDefinition } from '../../src/autograd/node.ts'
import { tensorCaseArb } from '../helpers/arbitraries.ts'
import { needsFloat64 } from '../helpers/float64.ts'
const test64 = needsFloat64(test)

/** square with a backward that forgets the factor 2: the classic student bug. */
const brokenSquare: OpDefinition<null> = {
  name: 'brokenSquare',
  forward: ([x]) => raw.map('square', x!),
  backward: (grad, [x]) => [grad.mul(x!)],
}
const square = (x: Tensor) => apply(brokenSquare, [x], null)

/** mul whose backward swaps nothing but gets the second input's gradient wrong (sign flipped). */
const brokenMul: OpDefinition<null> = {
  name: 'brokenMul',
  forward: ([a, b]) => raw.zip('mul', a!, b!),
  backward: (grad, [a, b]) => [grad.mul(b!), grad.mul(a!).neg()],
}

test64('gradcheck passes correct functions and reports every input in the good band', () => {
  const a = tensor([[0.5, -1.2, 2], [1.1, 0.3, -0.7]])
  const b = tensor([[1.5], [-0.25]])
  const report = gradcheck((x, y) => x.mul(y).tanh().add(x.exp()).sum(1), [a, b])
  assert.ok(report.ok, report.summary)
  assert.is(report.culprit, null)
  assert.is(report.inputs.length, 2)
  assert.equal(report.inputs[0]!.shape, [2, 3])
  assert.equal(report.inputs[1]!.shape, [2, 1])
  for (const input of report.inputs) {
    assert.ok(input.worstError < 1e-7, `input ${input.index}: ${input.worstError}`)
    assert.is(input.band, 'good')
  }
  assert.match(report.summary, /input 0 \[2,3\]: worst relative error .* \(good\)/)
})

test64('gradcheck passes correct functions of random non-contiguous inputs', () => {
  fc.assert(
    fc.property(tensorCaseArb({ maxDims: 3, maxSize: 4, maxElements: 24 }, { maxBaseSize: 72 }), (c) => {
      const report = gradcheck((b) => c.view(b).sigmoid().mul(c.view(b)).sum(), [c.base()])
      assert.ok(report.ok, `${report.summary}\n${c.layout}`)
    }),
    { numRuns: 25 },
  )
})

test64('gradcheck fails a deliberately broken op and names it as the culprit', () => {
  const x = tensor([0.5, -1, 2])
  const report = gradcheck((t) => square(t.exp()).sum(), [x])
  assert.not.ok(report.ok)
  assert.ok(report.culprit, 'a culprit is named')
  assert.is(report.culprit!.op, 'brokenSquare')
  assert.is(report.culprit!.input, 0)
  // backward gives x where the truth is 2x: a relative error of exactly 1/2, measured on the op alone
  assert.ok(Math.abs(report.culprit!.worstError - 0.5) < 1e-6, `culprit error ${report.culprit!.worstError}`)
  assert.is(report.inputs[0]!.band, 'wrong')
  assert.match(report.summary, /'brokenSquare'/)
  assert.match(report.summary, /at element \d+: backward .*, numeric /)
})

test64('the culprit is the broken op even when correct ops come before and after it', () => {
  const a = tensor([[0.3, 0.6], [0.9, 1.2]])
  const b = tensor([[1.5, -0.5], [0.25, 2]])
  const report = gradcheck((x, y) => apply(brokenMul, [x.tanh(), y.exp()], null).matmul(x).logSumExp(), [a, b])
  assert.not.ok(report.ok)
  assert.is(report.culprit?.op, 'brokenMul')
  assert.is(report.culprit?.input, 1, 'the wrong gradient is the second input\'s')
  assert.ok(report.inputs[1]!.worstError > 1e-2, 'input 1 is reported wrong')
})

test64('a broken op is caught on random inputs (no lucky zeros hide it)', () => {
  fc.assert(
    fc.property(tensorCaseArb({ minDims: 1, maxDims: 2, maxSize: 3 }, { min: 0.5, max: 2 }), (c) => {
      const report = gradcheck((b) => square(c.view(b)).sum(), [c.base()])
      assert.not.ok(report.ok, c.layout)
      assert.is(report.culprit?.op, 'brokenSquare')
    }),
    { numRuns: 20 },
  )
})

test64('gradcheck leaves its inputs untouched (values, dtype and requiresGrad)', () => {
  const x = tensor([0.5, 1.5, -2])
  const before = Array.from(x.data)
  gradcheck((t) => t.square().sum(), [x])
  gradcheck((t) => square(t).sum(), [x])
  assert.equal(Array.from(x.data), before)
  assert.is(x.dtype, 'float32')
  assert.not.ok(x.requiresGrad)
  assert.is(x.grad, null)
})

test64('an input that the output does not depend on has zero gradient on both sides and passes', () => {
  const report = gradcheck((x, y) => x.exp().sum().add(y.mul(0).sum()), [tensor([1, 2]), tensor([3])])
  assert.ok(report.ok, report.summary)
})

test64('gradcheck works in float64 whatever the input dtype, and handles non-scalar outputs', () => {
  const report = gradcheck((x) => x.log().mul(x), [fromArray([0.1, 1, 10], [3], { dtype: 'float64' })])
  assert.ok(report.ok, report.summary)
  const r2 = gradcheck((x) => x.reciprocal(), [tensor([[0.2, 0.4], [3, 7]])])
  assert.ok(r2.ok, r2.summary)
})

test("relative error bands match CS231n: above 1e-2 wrong, 1e-4..1e-2 uncomfortable, 1e-7..1e-4 ok for kinks, below 1e-7 good", () => {
  assert.is(band(0.5), 'wrong')
  assert.is(band(1.01e-2), 'wrong')
  assert.is(band(1e-2), 'uncomfortable')
  assert.is(band(1e-3), 'uncomfortable')
  assert.is(band(1.01e-4), 'uncomfortable')
  assert.is(band(1e-4), 'ok for kinks')
  assert.is(band(1e-6), 'ok for kinks')
  assert.is(band(1.01e-7), 'ok for kinks')
  assert.is(band(1e-7), 'good')
  assert.is(band(1e-12), 'good')
  assert.is(band(0), 'good')
  assert.is(band(NaN), 'wrong', 'NaN is never good')
  assert.is(band(Infinity), 'wrong')
})

test('relativeError is |a - n| / max(|a|, |n|, floor): symmetric, 0 for equal values, floored near 0', () => {
  assert.is(relativeError(1, 1), 0)
  assert.is(relativeError(0, 0), 0)
  assert.is(relativeError(2, 1), 0.5)
  assert.is(relativeError(1, 2), 0.5)
  assert.is(relativeError(-1, 1), 2)
  assert.is(relativeError(1e-9, 0), 1e-9 / 1e-3, 'near 0 the floor of 1e-3 applies')
  assert.is(relativeError(1e-9, 0, 1e-12), 1)
  assert.ok(Number.isNaN(relativeError(NaN, 1)))
  fc.assert(
    fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (a, n) => {
      const e = relativeError(a, n)
      assert.is(e, relativeError(n, a))
      assert.ok(e >= 0 && e <= 2)
    }),
    { numRuns: 200 },
  )
})

test.run()
