// Seeded randomness: every random draw names its generator; the same seed gives the same bits;
// uniform lies in [0, 1) and normal has mean ~0 and standard deviation ~1.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rng, rand, randn } from '../../src/index.ts'
import type { RandomOptions } from '../../src/tensor/creation.ts'
import { needsFloat64 } from '../helpers/float64.ts'
const test64 = needsFloat64(test)

test('random creation without rng or seed throws, saying how to pass one', () => {
  assert.throws(() => randn([2], {} as RandomOptions), (e: Error) => e instanceof TypeError && /randn: pass \{ rng \} or \{ seed \}/.test(e.message))
  assert.throws(() => rand([2], {} as RandomOptions), /rand: pass \{ rng \} or \{ seed \}/)
  assert.throws(() => randn([2], undefined as unknown as RandomOptions))
})

test64('the same seed gives bit-identical randn and rand, in float32 and float64', () => {
  fc.assert(
    fc.property(fc.integer(), fc.constantFrom('float32' as const, 'float64' as const), (seed, dtype) => {
      const a = randn([7, 3], { seed, dtype })
      const b = randn([7, 3], { seed, dtype })
      assert.equal(Array.from(a.toTypedArray()), Array.from(b.toTypedArray()))
      assert.ok(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer)), 'the bits differ')
      const u = rand([5], { seed, low: -2, high: 3 })
      assert.equal(Array.from(u.toTypedArray()), Array.from(rand([5], { seed, low: -2, high: 3 }).toTypedArray()))
    }),
    { numRuns: 50 },
  )
})

test('different seeds give different draws; a shared rng continues its stream', () => {
  assert.not.equal(Array.from(randn([8], { seed: 1 }).toTypedArray()), Array.from(randn([8], { seed: 2 }).toTypedArray()))
  const rng = new Rng(5)
  const first = randn([4], { rng })
  const second = randn([4], { rng })
  assert.not.equal(Array.from(first.toTypedArray()), Array.from(second.toTypedArray()))
  const together = randn([8], { seed: 5 })
  assert.equal(Array.from(together.toTypedArray()), [...first.toTypedArray(), ...second.toTypedArray()], 'two draws from one rng equal one draw of both')
})

test('Rng is a fixed stream: seed 42 gives the pinned first values (a generator change would change every seeded run)', () => {
  const a = new Rng(42)
  assert.equal(Array.from({ length: 4 }, () => a.nextUint32()), [2837322924, 544945897, 479756282, 3500138142])
  const b = new Rng(42)
  assert.is(b.uniform(), 2837322924 / 2 ** 32)
  assert.equal([b.normal(), b.normal(), b.normal()], [0.3978072837396858, 0.33632447757374795, 1.6146212941544271])
  assert.throws(() => new Rng(1.5), /the seed must be an integer, got 1.5/)
})

test('Rng.uniform lies in [0, 1) with mean 1/2 and variance 1/12 over 1e5 draws', () => {
  const rng = new Rng(123)
  const n = 100_000
  let sum = 0
  let sumSq = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    const u = rng.uniform()
    sum += u
    sumSq += u * u
    min = Math.min(min, u)
    max = Math.max(max, u)
  }
  assert.ok(min >= 0 && max < 1, `uniform left [0, 1): min ${min}, max ${max}`)
  const mean = sum / n
  const variance = sumSq / n - mean * mean
  // Standard error of the mean: sqrt(1/12 / 1e5) = 0.0009; 0.005 is more than 5 of them.
  assert.ok(Math.abs(mean - 0.5) < 0.005, `uniform mean ${mean}`)
  assert.ok(Math.abs(variance - 1 / 12) < 0.002, `uniform variance ${variance}`)
})

test('Rng.normal has mean within 0.02 of 0 and standard deviation within 0.02 of 1 over 1e5 draws', () => {
  // The standard error of the mean is 1/sqrt(1e5) = 0.0032 and of the std about 0.0022: 0.02 is over 6 of them.
  for (const seed of [0, 1, 2024]) {
    const rng = new Rng(seed)
    const n = 100_000
    let sum = 0
    let sumSq = 0
    for (let i = 0; i < n; i++) {
      const x = rng.normal()
      assert.ok(Number.isFinite(x))
      sum += x
      sumSq += x * x
    }
    const mean = sum / n
    const std = Math.sqrt(sumSq / n - mean * mean)
    assert.ok(Math.abs(mean) < 0.02, `seed ${seed}: normal mean ${mean}`)
    assert.ok(Math.abs(std - 1) < 0.02, `seed ${seed}: normal std ${std}`)
  }
})

test64('randn honours mean and std; rand honours low and high', () => {
  const t = randn([20000], { seed: 3, mean: 5, std: 0.5, dtype: 'float64' })
  const mean = t.mean().item()
  const std = Math.sqrt(t.sub(mean).square().mean().item())
  assert.ok(Math.abs(mean - 5) < 0.02, `mean ${mean}`)
  assert.ok(Math.abs(std - 0.5) < 0.02, `std ${std}`)
  const u = rand([20000], { seed: 4, low: -3, high: -1 }).toTypedArray()
  assert.ok(u.every((x) => x >= -3 && x <= -1))
})

test('Rng.int stays in [0, n) and permutation is a seeded shuffle of 0..n-1', () => {
  fc.assert(
    fc.property(fc.integer(), fc.integer({ min: 1, max: 50 }), (seed, n) => {
      const rng = new Rng(seed)
      for (let i = 0; i < 20; i++) {
        const k = rng.int(n)
        assert.ok(Number.isInteger(k) && k >= 0 && k < n)
      }
      const p = Array.from(new Rng(seed).permutation(n))
      assert.equal([...p].sort((x, y) => x - y), [...Array(n).keys()])
      assert.equal(p, Array.from(new Rng(seed).permutation(n)))
    }),
    { numRuns: 50 },
  )
})

test('a generator restored from getState() continues the same stream, through JSON; a bad state is an error', () => {
  fc.assert(
    fc.property(fc.integer(), fc.nat(20), (seed, skip) => {
      const a = new Rng(seed)
      for (let i = 0; i < skip; i++) a.normal() // odd counts leave a Box-Muller spare behind
      const b = Rng.fromState(JSON.parse(JSON.stringify(a.getState())))
      for (let i = 0; i < 10; i++) assert.is(b.normal(), a.normal())
      assert.is(b.nextUint32(), a.nextUint32())
    }),
    { numRuns: 50 },
  )
  assert.throws(() => Rng.fromState({ seed: 1, s: [0, 0, 0, 0], spare: null }), /not a generator state/)
  assert.throws(() => Rng.fromState({ seed: 1, s: [1, 2, 3], spare: null } as never), /not a generator state/)
  assert.throws(() => Rng.fromState(null as never), /not a generator state/)
})

test.run()
