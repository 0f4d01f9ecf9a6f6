import { gradedFile } from './support.ts'
gradedFile('10.1', '#kata/eval/moments') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { moments } from '#kata/eval/moments'
import { assertClose } from './support.ts'

test('three points on a line: the mean, and the covariance around it divided by N - 1', () => {
  // centred rows (-2, -4), (0, 0), (2, 4): sum of outer products [[8, 16], [16, 32]], over N - 1 = 2
  const m = moments([1, 2, 3, 6, 5, 10], 3, 2)
  assert.is(m.count, 3)
  assert.is(m.dim, 2)
  assertClose(Array.from(m.mean), [3, 6], 1e-12)
  assertClose(Array.from(m.covariance), [4, 8, 8, 16], 1e-12)
})

test('two points: the unbiased variance (N - 1), not the population one (N)', () => {
  const m = moments([0, 2], 2, 1)
  assertClose(Array.from(m.mean), [1], 1e-12)
  assertClose(Array.from(m.covariance), [2], 1e-12)
})

test('the results are float64 arrays, and the covariance is exactly symmetric', () => {
  const rows = [0.3, -1.2, 2.5, 1.1, 0.7, -0.4, 2.2, 0.1, -0.9, 1.6, 0.05, 3.3]
  const m = moments(rows, 4, 3)
  assert.instance(m.mean, Float64Array)
  assert.instance(m.covariance, Float64Array)
  for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) assert.is(m.covariance[j * 3 + k], m.covariance[k * 3 + j], `[${j}, ${k}]`)
  // the diagonal holds the variance of each column
  const column = [0.3, 1.1, 2.2, 1.6]
  const mean = column.reduce((a, b) => a + b) / 4
  assertClose(m.covariance[0]!, column.reduce((s, v) => s + (v - mean) ** 2, 0) / 3, 1e-12)
})

test('float32 features are summed in float64: 100000 copies of 0.1 average to float32(0.1) exactly', () => {
  const rows = new Float32Array(100000).fill(0.1)
  const m = moments(rows, 100000, 1)
  // a float32 running sum drifts by about 1e-3 here
  assert.ok(Math.abs(m.mean[0]! - Math.fround(0.1)) < 1e-12, `mean ${m.mean[0]}, expected ${Math.fround(0.1)}`)
  assert.ok(Math.abs(m.covariance[0]!) < 1e-15, `variance ${m.covariance[0]}, expected 0`)
})

test('around the mean, not E[x^2] - mean^2: a large offset does not cancel the variance away', () => {
  // values 1e9 + 1, 1e9 + 2, 1e9 + 3: variance exactly 1; E[x^2] - mean^2 loses it in float64
  const m = moments([1e9 + 1, 1e9 + 2, 1e9 + 3], 3, 1)
  assertClose(Array.from(m.covariance), [1], 1e-9)
})

test.run()
