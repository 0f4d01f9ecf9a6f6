// The eigen layer as the evaluation uses it: the checks around exercise 10.2 and 10.3's code,
// fromEigen, and the square root on matrices as FID meets them (large, singular, random).
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rng } from '../../src/index.ts'
import { fromEigen, matmul64, sqrtPsd, symmetricEigen } from '../../src/eval/eigen.ts'

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!))
  return m
}

// B B^T / k for a random [n, k] B: a covariance of rank min(n, k).
function randomCovariance(n: number, k: number, rng: Rng): Float64Array {
  const b = Float64Array.from({ length: n * k }, () => rng.normal())
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let t = 0; t < k; t++) out[i * n + j]! += (b[i * k + t]! * b[j * k + t]!) / k
  return out
}

test('fromEigen rebuilds the matrix, and with sqrt gives a matrix whose square is the original', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (n, k, seed) => {
      const a = randomCovariance(n, k, new Rng(seed))
      const e = symmetricEigen(a, n)
      const scale = Math.max(1, ...Array.from(a, Math.abs))
      assert.ok(maxAbsDiff(fromEigen(e), a) < 1e-10 * scale, 'V diag(w) V^T = A')
      const root = sqrtPsd(a, n)
      assert.ok(maxAbsDiff(matmul64(root, root, n), a) < 1e-8 * scale, 'sqrt(A)^2 = A, also when A is singular (k < n)')
    }),
    { numRuns: 60, seed: 4 },
  )
})

test('a 128x128 covariance of rank 40 (fewer samples than features): a PSD root, no NaN, in a few sweeps', () => {
  const n = 128
  const a = randomCovariance(n, 40, new Rng(1))
  const e = symmetricEigen(a, n)
  assert.ok(e.sweeps <= 15, `${e.sweeps} sweeps`)
  // 88 eigenvalues are zero in exact arithmetic; rounding leaves them within 1e-12 of it, of either sign
  const tiny = Array.from(e.values).filter((w) => Math.abs(w) < 1e-10)
  assert.is(tiny.length, 88)
  const root = sqrtPsd(a, n)
  assert.ok(root.every(Number.isFinite))
  assert.ok(maxAbsDiff(matmul64(root, root, n), a) < 1e-9)
})

test('the zero matrix and 1x1 matrices need no rotation', () => {
  const zero = symmetricEigen(new Float64Array(9), 3)
  assert.is(zero.sweeps, 0)
  assert.equal(Array.from(zero.values), [0, 0, 0])
  assert.equal(Array.from(symmetricEigen([-2], 1).values), [-2])
  assert.equal(Array.from(sqrtPsd([9], 1)), [3])
})

test('inputs that are not a symmetric n x n matrix of numbers are errors that say what came', () => {
  assert.throws(() => symmetricEigen([1, 2, 3], 2), /an \[2, 2\] matrix has 4 values, got 3/)
  assert.throws(() => symmetricEigen([1, 2, 3, 4], 2), /expected a symmetric matrix, but \[0, 1\] = 2 and \[1, 0\] = 3/)
  assert.throws(() => symmetricEigen([1, NaN, NaN, 1], 2), /non-finite value NaN at \[0, 1\]/)
  assert.throws(() => symmetricEigen([], 0), /n must be a positive integer, got 0/)
})

test.run()
