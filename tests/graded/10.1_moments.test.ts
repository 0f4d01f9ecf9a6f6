import { gradedFile } from './support.ts'
gradedFile('10.1', '#kata/eval/moments') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { moments } from '#kata/eval/moments'
import { assertClose } from './support.ts'

test('three points on a line: the mean, and the covariance around it divided by N - 1 [x2]', () => {
  // centred rows (-2, -4), (0, 0), (2, 4): sum of outer products [[8, 16], [16, 32]], over N - 1 = 2
  const m = moments([1, 2, 3, 6, 5, 10], 3, 2)
  assert.is(m.count, 3)
  assert.is(m.dim, 2)
  assertClose(Array.from(m.mean), [3, 6], 1e-12)
  assertClose(Array.from(m.covariance), [4, 8, 8, 16], 1e-12)
})

test('two points: the unbiased variance (N - 1), not the population one (N) [x1]', () => {
  const m = moments([0, 2], 2, 1)
  assertClose(Array.from(m.mean), [1], 1e-12)
  assertClose(Array.from(m.covariance), [2], 1e-12)
})

test('the results are float64 arrays, and the covariance is exactly symmetric [x2]', () => {
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

test('float32 features are summed in float64: 100000 copies of 0.1 average to float32(0.1) exactly [x2]', () => {
  const rows = new Float32Array(100000).fill(0.1)
  const m = moments(rows, 100000, 1)
  // a float32 running sum drifts by about 1e-3 here
  assert.ok(Math.abs(m.mean[0]! - Math.fround(0.1)) < 1e-12, `mean ${m.mean[0]}, expected ${Math.fround(0.1)}`)
  assert.ok(Math.abs(m.covariance[0]!) < 1e-15, `variance ${m.covariance[0]}, expected 0`)
})

test('around the mean, not E[x^2] - mean^2: a large offset does not cancel the variance away [x1]', () => {
  // values 1e9 + 1, 1e9 + 2, 1e9 + 3: variance exactly 1; E[x^2] - mean^2 loses it in float64
  const m = moments([1e9 + 1, 1e9 + 2, 1e9 + 3], 3, 1)
  assertClose(Array.from(m.covariance), [1], 1e-9)
})

// Property tests: fast-check with a fixed seed per test (assertProperty).
import fc from 'fast-check'
import { assertProperty } from './support.ts'

test('random sets of vectors: every entry of the mean and the covariance against its definition [x2]', () => {
  const input = fc.tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 4 })).chain(([count, dim]) =>
    fc.record({ count: fc.constant(count), dim: fc.constant(dim), rows: fc.array(fc.integer({ min: -20, max: 20 }), { minLength: count * dim, maxLength: count * dim }) }),
  )
  assertProperty('10.1 moments', fc.property(input, ({ count, dim, rows }) => {
    const m = moments(rows, count, dim)
    const x = (i: number, j: number) => rows[i * dim + j]!
    const mean = Array.from({ length: dim }, (_, j) => Array.from({ length: count }, (_, i) => x(i, j)).reduce((a, b) => a + b, 0) / count)
    assertClose(Array.from(m.mean), mean, 1e-12, 'mean')
    const cov = Array.from({ length: dim * dim }, (_, jk) => {
      const [j, k] = [Math.floor(jk / dim), jk % dim]
      let s = 0
      for (let i = 0; i < count; i++) s += (x(i, j) - mean[j]!) * (x(i, k) - mean[k]!)
      return s / (count - 1)
    })
    assertClose(Array.from(m.covariance), cov, 1e-12, 'covariance')
  }))
})

test.run()
