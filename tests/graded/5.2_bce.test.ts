import { test } from 'uvu'
import { tensor, rand, Rng } from '../../src/index.ts'
import { bce } from '../../src/nn/losses.ts'
import { bceBackward, bceForward } from '#kata/nn/losses/bce'
import { assertClose, assertGradcheck, assertSame, gradedFile } from './support.ts'

gradedFile('5.2', '#kata/nn/losses/bce')

test('bceForward: -(y log p + (1 - y) log(1 - p)) on small values [x3]', () => {
  const p = tensor([0.5, 0.9, 0.2, 0.25])
  const y = tensor([1, 1, 0, 0.5])
  const expected = [Math.log(2), -Math.log(0.9), -Math.log(0.8), -(0.5 * Math.log(0.25) + 0.5 * Math.log(0.75))]
  assertClose(bceForward(p, y).toArray(), expected, 1e-6)
})

test('bceForward clamps each log at -100: a certain wrong answer costs 100, a certain right one 0 [x3]', () => {
  assertClose(bceForward(tensor([0, 1, 0, 1]), tensor([1, 0, 0, 1])).toArray(), [100, 100, 0, 0], 1e-5, 'bceForward(p [0, 1, 0, 1], y [1, 0, 0, 1])')
  // Half right: the log that is -inf is weighted by 0.5 and clamped.
  assertClose(bceForward(tensor([0]), tensor([0.5])).toArray(), [50], 1e-5, 'bceForward(p [0], y [0.5])')
})

test('bceBackward: grad (p - y) / (p (1 - p)) for p, grad (log(1 - p) - log p) for y [x3]', () => {
  const p = tensor([0.5, 0.8])
  const y = tensor([1, 0])
  const grad = tensor([1, 2])
  const [dp, dy] = bceBackward(grad, p, y)
  // p = 0.5, y = 1: (0.5 - 1) / 0.25 = -2.  p = 0.8, y = 0: 2 * 0.8 / 0.16 = 10.
  assertClose(dp!.toArray(), [-2, 10], 1e-5, 'dL/dp at p [0.5, 0.8], y [1, 0], grad [1, 2]')
  assertClose(dy!.toArray(), [0, 2 * Math.log(0.2 / 0.8)], 1e-5, 'dL/dy at p [0.5, 0.8], y [1, 0], grad [1, 2]')
})

test('bceBackward returns null for what needs says is not wanted (a data target)', () => {
  const p = tensor([0.5, 0.8])
  const y = tensor([1, 0])
  const [dp, dy] = bceBackward(tensor([1, 2]), p, y, [true, false])
  assertClose(dp!.toArray(), [-2, 10], 1e-5)
  assertSame(dy, null, 'dL/dy with needs [true, false]')
  const [dp2, dy2] = bceBackward(tensor([1, 2]), p, y, [false, true])
  assertSame(dp2, null, 'dL/dp with needs [false, true]')
  assertClose(dy2!.toArray(), [0, 2 * Math.log(0.2 / 0.8)], 1e-5)
})

test('bceBackward stays finite at p = 0 and p = 1: the denominator is at least 1e-12 [x3]', () => {
  const [dp] = bceBackward(tensor([1, 1, 1, 1]), tensor([0, 1, 0, 1]), tensor([1, 0, 0, 1]))
  assertClose(dp!.toArray(), [-1e12, 1e12, 0, 0], 1e-6, 'dL/dp at p [0, 1, 0, 1], y [1, 0, 0, 1]')
})

test('bce as a loss: mean by default, gradients match central differences', () => {
  const rng = new Rng(4)
  const p = rand([3, 4], { rng, low: 0.05, high: 0.95 })
  const y = rand([3, 4], { rng })
  const sum = (bce(p, y, { reduction: 'none' }).toArray() as number[][]).flat().reduce((a, b) => a + b, 0)
  assertClose(bce(p, y).item(), sum / 12, 1e-5)
  assertClose(bce(p, y, { reduction: 'sum' }).item(), sum, 1e-5)
  assertGradcheck((a, b) => bce(a, b), [p, y])
})

test.run()
