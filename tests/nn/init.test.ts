// Initialisers: PyTorch's bounds and standard deviations, checked on the samples they draw.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rng, tensor, zeros, type Tensor } from '../../src/index.ts'
import { calculateGain, fans, kaimingNormal, kaimingUniform, xavierNormal, xavierUniform } from '../../src/nn/init.ts'

function moments(t: Tensor) {
  const v = Array.from(t.toTypedArray())
  const mean = v.reduce((a, b) => a + b, 0) / v.length
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length
  return { n: v.length, mean, variance, maxAbs: v.reduce((a, b) => Math.max(a, Math.abs(b)), 0) }
}

/**
 * The sample variance of n draws is within 5 standard errors of the true one: its standard error
 * is sqrt((m4 - s^4) / n), with m4 = 9 b^4 / 45 for U(-b, b) and 3 s^4 for a normal.
 */
function assertUniform(t: Tensor, bound: number, label: string): void {
  const { n, mean, variance, maxAbs } = moments(t)
  assert.ok(maxAbs <= bound, `${label}: |w| up to ${maxAbs}, bound ${bound}`)
  assert.ok(maxAbs > 0.99 * bound, `${label}: the draws should reach near the bound ${bound}, max ${maxAbs}`)
  const s2 = bound ** 2 / 3
  const se = Math.sqrt((bound ** 4 / 5 - s2 ** 2) / n)
  assert.ok(Math.abs(variance - s2) <= 5 * se, `${label}: variance ${variance}, expected ${s2} +- ${se}`)
  assert.ok(Math.abs(mean) <= 5 * Math.sqrt(s2 / n), `${label}: mean ${mean}`)
}

function assertNormal(t: Tensor, std: number, label: string): void {
  const { n, mean, variance } = moments(t)
  const se = Math.sqrt((2 * std ** 4) / n)
  assert.ok(Math.abs(variance - std ** 2) <= 5 * se, `${label}: variance ${variance}, expected ${std ** 2} +- ${se}`)
  assert.ok(Math.abs(mean) <= 5 * (std / Math.sqrt(n)), `${label}: mean ${mean}`)
}

test('fans of linear and convolution weights, and the gains of torch.nn.init.calculate_gain', () => {
  assert.equal(fans([30, 20]), { fanIn: 20, fanOut: 30 })
  assert.equal(fans([32, 16, 3, 3]), { fanIn: 144, fanOut: 288 })
  assert.throws(() => fans([5]), /init: fan in and fan out need a weight with at least 2 dimensions, got shape \[5\]/)
  assert.is(calculateGain('linear'), 1)
  assert.is(calculateGain('conv'), 1)
  assert.is(calculateGain('sigmoid'), 1)
  assert.is(calculateGain('tanh'), 5 / 3)
  assert.is(calculateGain('relu'), Math.SQRT2)
  assert.is(calculateGain('leakyRelu'), Math.sqrt(2 / (1 + 0.01 ** 2)))
  assert.is(calculateGain('leakyRelu', 0.2), Math.sqrt(2 / 1.04))
  assert.is(calculateGain('selu'), 0.75)
  assert.throws(() => calculateGain('swish' as 'relu'), /calculateGain: unknown nonlinearity "swish"/)
  assert.throws(() => calculateGain('leakyRelu', NaN), /slope must be a finite number/)
})

test('kaimingUniform: U(-b, b) with b = gain * sqrt(3 / fan), fanIn or fanOut', () => {
  const w = zeros([100, 200])
  assert.is(kaimingUniform(w, { seed: 1 }), w, 'fills in place and returns the tensor')
  assertUniform(w, Math.SQRT2 * Math.sqrt(3 / 200), 'default (leaky relu with a = 0, fanIn)')
  assertUniform(kaimingUniform(zeros([100, 200]), { seed: 2, mode: 'fanOut', nonlinearity: 'relu' }), Math.SQRT2 * Math.sqrt(3 / 100), 'fanOut relu')
  const a = Math.sqrt(5) // PyTorch's Linear default: the bound works out to 1 / sqrt(fanIn)
  assertUniform(kaimingUniform(zeros([50, 20, 2, 2]), { seed: 3, a }), 1 / Math.sqrt(80), 'a = sqrt(5)')
  assert.throws(() => kaimingUniform(zeros([4, 4]), { seed: 1, mode: 'in' as 'fanIn' }), /kaimingUniform: mode must be 'fanIn' or 'fanOut', got "in"/)
})

test('kaimingNormal: N(0, gain^2 / fan)', () => {
  assertNormal(kaimingNormal(zeros([100, 300]), { seed: 4 }), Math.SQRT2 / Math.sqrt(300), 'fanIn')
  assertNormal(kaimingNormal(zeros([100, 300]), { seed: 5, mode: 'fanOut', nonlinearity: 'tanh' }), 5 / 3 / Math.sqrt(100), 'fanOut tanh')
})

test('xavierUniform and xavierNormal: variance gain^2 * 2 / (fanIn + fanOut)', () => {
  assertUniform(xavierUniform(zeros([120, 80]), { seed: 6 }), Math.sqrt(6 / 200), 'xavierUniform')
  assertUniform(xavierUniform(zeros([120, 80]), { seed: 7, gain: 2 }), 2 * Math.sqrt(6 / 200), 'xavierUniform gain 2')
  assertNormal(xavierNormal(zeros([64, 32, 3, 3]), { seed: 8, gain: calculateGain('relu') }), Math.SQRT2 * Math.sqrt(2 / (96 * 9)), 'xavierNormal conv')
  assert.throws(() => xavierNormal(zeros([2, 2]), { seed: 1, gain: -1 }), /xavierNormal: gain must be a finite number >= 0, got -1/)
})

test('initialisers are seeded: the same seed gives the same weights, a generator goes on', () => {
  assert.equal(xavierNormal(zeros([3, 4]), { seed: 9 }).toArray(), xavierNormal(zeros([3, 4]), { seed: 9 }).toArray())
  const rng = new Rng(9)
  const first = kaimingNormal(zeros([3, 4]), { rng }).toArray()
  assert.not.equal(kaimingNormal(zeros([3, 4]), { rng }).toArray(), first)
  assert.throws(() => kaimingUniform(zeros([3, 4]), {}), /kaimingUniform: pass \{ rng \} or \{ seed \}/)
  assert.throws(() => xavierUniform(tensor([[1, 2], [3, 4]]).transpose(), { seed: 1 }), /xavierUniform: the tensor must be contiguous/)
})

test.run()
