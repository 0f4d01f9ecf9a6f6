// Axis ticks. Linear: steps of 1, 2 or 5 times a power of ten, 3 to 10 ticks (at most maxTicks),
// the first at or below the data and the last at or above it, evenly spaced, labels that tell
// the ticks apart. Log: decade ticks covering the data.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { logTicks, niceTicks } from '../../src/report/ticks.ts'

// Data ranges across many magnitudes, including constant ones and ones straddling zero.
const magnitude = fc.integer({ min: -12, max: 12 })
const value = fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), magnitude).map(([m, e]) => m * 10 ** e)
const range = fc.oneof(
  fc.tuple(value, value).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
  value.map((v) => [v, v] as const),
  fc.tuple(value, fc.double({ min: 0, max: 1e-6, noNaN: true })).map(([v, d]) => [v, v + Math.abs(v) * d] as const), // a nearly flat curve
)

const isOneTwoFive = (step: number) => {
  const e = Math.floor(Math.log10(step))
  const m = step / 10 ** e
  return [1, 2, 5, 10].some((k) => Math.abs(m - k) < 1e-9 * k)
}

test('nice ticks cover the data, step 1/2/5 x 10^k, 3..maxTicks ticks, evenly spaced, distinct labels', () => {
  fc.assert(
    fc.property(range, fc.integer({ min: 5, max: 10 }), ([lo, hi], maxTicks) => {
      const t = niceTicks(lo, hi, maxTicks)
      const n = t.values.length
      assert.ok(n >= 3 && n <= maxTicks, `${n} ticks for [${lo}, ${hi}] (max ${maxTicks})`)
      assert.ok(t.values[0]! <= lo && t.values[n - 1]! >= hi, `[${t.values[0]}, ${t.values[n - 1]}] does not cover [${lo}, ${hi}]`)
      assert.ok(isOneTwoFive(t.step), `step ${t.step}`)
      t.values.forEach((v, i) => {
        if (i) assert.ok(Math.abs(v - t.values[i - 1]! - t.step) <= 1e-9 * Math.max(t.step, Math.abs(v)), `gap at tick ${i}: ${t.values}`)
        assert.ok(Math.abs(v / t.step - Math.round(v / t.step)) < 1e-6, `${v} is not a multiple of ${t.step}`)
      })
      assert.is(new Set(t.labels).size, n, `labels repeat: ${t.labels}`)
      // and each label reads back as its tick
      t.labels.forEach((l, i) => assert.ok(Math.abs(Number(l) - t.values[i]!) <= 1e-9 * Math.max(t.step, Math.abs(t.values[i]!)), `label ${l} for ${t.values[i]}`))
    }),
    { numRuns: 2000 },
  )
})

test('ticks fit snugly: at most one step beyond the data on each side, and 4+ ticks when 8 are allowed', () => {
  fc.assert(
    fc.property(range, ([lo, hi]) => {
      fc.pre(hi - lo > 1e-6 * Math.max(Math.abs(lo), Math.abs(hi)) && hi - lo > 1e-200) // not widened as constant
      const t = niceTicks(lo, hi)
      const slack = 1e-9 * t.step
      assert.ok(t.values[0]! > lo - t.step - slack && t.values.at(-1)! < hi + t.step + slack, `${t.values} for [${lo}, ${hi}]`)
      // a 1-2-5 step at most 2.5x the previous one, which needed more than 8 ticks, leaves at least 4
      assert.ok(t.values.length >= 4, `only ${t.values.length} ticks for [${lo}, ${hi}]`)
    }),
    { numRuns: 1000 },
  )
})

test('decimal ticks print cleanly: 0.1 steps are not 0.30000000000000004', () => {
  assert.equal(niceTicks(0.1, 0.7).labels, ['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7'])
  assert.ok(niceTicks(0.1, 0.7).values.includes(0.3))
  assert.equal(niceTicks(0, 2.5e-5).labels, ['0', '5.0e-6', '1.0e-5', '1.5e-5', '2.0e-5', '2.5e-5'])
  assert.equal(niceTicks(100, 1e7).labels, ['0', '2e6', '4e6', '6e6', '8e6', '1e7'])
  assert.equal(niceTicks(1e-199, 1.2e-199).values, [1e-199, 1.05e-199, 1.1e-199, 1.15e-199, 1.2e-199]) // exact past 10 ** 22
})

test('a constant range is widened around its value (or around 0)', () => {
  for (const v of [262.6, -3, 0, 1e-300]) {
    const t = niceTicks(v, v)
    assert.ok(t.values[0]! < v && t.values.at(-1)! > v, `${v}: ${t.values}`)
  }
})

test('niceTicks rejects non-finite, reversed or unlabellable ranges', () => {
  assert.throws(() => niceTicks(NaN, 1), /expected finite lo <= hi, got \[NaN, 1\]/)
  assert.throws(() => niceTicks(2, 1), /got \[2, 1\]/)
  assert.throws(() => niceTicks(-1e308, 1e308), /too wide to label/)
  assert.throws(() => niceTicks(0, 1, 4), /maxTicks must be an integer >= 5/)
})

test('log ticks: powers of ten (with 2 and 5 on short ranges) covering the data, 3..10 of them', () => {
  const positive = fc.tuple(fc.double({ min: 1, max: 10, noNaN: true }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => m * 10 ** e)
  fc.assert(
    fc.property(positive, positive, (a, b) => {
      const [lo, hi] = [Math.min(a, b), Math.max(a, b)]
      const t = logTicks(lo, hi)
      const n = t.values.length
      assert.ok(n >= 3 && n <= 10, `${n} ticks for [${lo}, ${hi}]`)
      assert.ok(t.values[0]! <= lo && t.values[n - 1]! >= hi, `${t.values} does not cover [${lo}, ${hi}]`)
      for (const v of t.values) {
        const e = Math.floor(Math.log10(v) + 1e-12)
        assert.ok([1, 2, 5].some((m) => Math.abs(v / 10 ** e - m) < 1e-9), `${v} is not 1, 2 or 5 x 10^k`)
      }
      assert.ok(t.values.every((v, i) => i === 0 || v > t.values[i - 1]!))
      assert.is(new Set(t.labels).size, n)
    }),
    { numRuns: 1000 },
  )
  assert.equal(logTicks(0.3, 4).labels, ['0.1', '0.2', '0.5', '1', '2', '5', '10'])
  assert.equal(logTicks(1e-30, 1e30).labels, ['1e-30', '1e-20', '1e-10', '1', '1e10', '1e20', '1e30'])
})

test('logTicks rejects ranges that are not positive', () => {
  assert.throws(() => logTicks(0, 1), /expected 0 < lo <= hi < Infinity, got \[0, 1\]/)
  assert.throws(() => logTicks(1, Infinity), /got \[1, Infinity\]/)
  assert.throws(() => logTicks(1, 10, 3), /maxTicks must be an integer >= 5/)
  assert.throws(() => logTicks(5e-324, 1), /below 1e-300/)
})

test.run()
