import { gradedFile } from './support.ts'
gradedFile('10.3', '#kata/eval/frechet') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { frechetDistance, sqrtPsd } from '#kata/eval/frechet'
import { assertClose, assertThrowsMatching } from './support.ts'

const gaussian = (mean: number[], covariance: number[]) => ({ dim: mean.length, mean, covariance })

test('sqrtPsd of a diagonal matrix takes the square roots of the diagonal', () => {
  assertClose(Array.from(sqrtPsd([4, 0, 0, 9], 2)), [2, 0, 0, 3], 1e-12)
})

test('sqrtPsd of [[2, 1], [1, 2]] (eigenvalues 3 and 1) is V diag(sqrt 3, 1) V^T', () => {
  const [a, b] = [(Math.sqrt(3) + 1) / 2, (Math.sqrt(3) - 1) / 2]
  const r = sqrtPsd([2, 1, 1, 2], 2)
  assertClose(Array.from(r), [a, b, b, a], 1e-12)
})

test('sqrtPsd of a singular matrix: a rank-one v v^T gives v v^T / |v|, with no NaN', () => {
  // v = (1, 2): one eigenvalue 5, the other 0 (or -1e-16 after rounding)
  const r = sqrtPsd([1, 2, 2, 4], 2)
  assertClose(Array.from(r), [1, 2, 2, 4].map((x) => x / Math.sqrt(5)), 1e-8)
})

test('PSD clamping: an eigenvalue of -1e-13 is rounding and becomes 0; -0.5 is an error', () => {
  assertClose(Array.from(sqrtPsd([1, 0, 0, -1e-13], 2)), [1, 0, 0, 0], 1e-12)
  assertThrowsMatching(() => sqrtPsd([1, 0, 0, -0.5], 2), /positive semi-definite/)
})

test('one dimension: N(0, 1) against N(3, 4) is 3^2 + 1 + 4 - 2 sqrt(1 * 4) = 10', () => {
  assertClose(frechetDistance(gaussian([0], [1]), gaussian([3], [4])), 10, 1e-12)
})

test('a Gaussian against itself is at distance 0', () => {
  const g = gaussian([1, -2, 0.5], [2, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 0.5])
  assert.ok(Math.abs(frechetDistance(g, g)) < 1e-12, `got ${frechetDistance(g, g)}`)
})

test('diagonal covariances: sum of (mu1 - mu2)^2 + (sqrt s1 - sqrt s2)^2 per coordinate', () => {
  // means (0, 0) and (1, 1); variances (1, 4) and (9, 16): 2 + (1 - 3)^2 + (2 - 4)^2 = 10
  assertClose(frechetDistance(gaussian([0, 0], [1, 0, 0, 4]), gaussian([1, 1], [9, 0, 0, 16])), 10, 1e-12)
})

test('rotated, non-diagonal covariances: the same answer as before the rotation', () => {
  const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)]
  // R diag(a, b) R^T for the rotation R by 30 degrees
  const rotated = (a: number, b: number) => [a * c * c + b * s * s, (a - b) * c * s, (a - b) * c * s, a * s * s + b * c * c]
  const d = frechetDistance(gaussian([0, 0], rotated(1, 4)), gaussian([1, 1], rotated(9, 16)))
  assertClose(d, 10, 1e-10)
})

test('covariances that do not commute: diag(4, 1) against [[2, 1], [1, 2]]', () => {
  // S1^(1/2) S2 S1^(1/2) = [[8, 2], [2, 2]]: trace 10, determinant 12, so the trace of its square
  // root is sqrt(10 + 2 sqrt 12); the distance is 5 + 4 - 2 sqrt(10 + 4 sqrt 3)
  const expected = 9 - 2 * Math.sqrt(10 + 4 * Math.sqrt(3))
  const a = gaussian([0, 0], [4, 0, 0, 1])
  const b = gaussian([0, 0], [2, 1, 1, 2])
  assertClose(frechetDistance(a, b), expected, 1e-10)
  assertClose(frechetDistance(b, a), expected, 1e-10) // symmetric in its arguments
})

test.run()
