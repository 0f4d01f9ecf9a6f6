import { gradedFile } from './support.ts'
gradedFile('10.3', '#kata/eval/frechet') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { frechetDistance, sqrtPsd } from '#kata/eval/frechet'
import { assertClose, assertThrowsMatching } from './support.ts'

const gaussian = (mean: number[], covariance: number[]) => ({ dim: mean.length, mean, covariance })

test('sqrtPsd of a diagonal matrix takes the square roots of the diagonal [x1]', () => {
  assertClose(Array.from(sqrtPsd([4, 0, 0, 9], 2)), [2, 0, 0, 3], 1e-12)
})

test('sqrtPsd of [[2, 1], [1, 2]] (eigenvalues 3 and 1) is V diag(sqrt 3, 1) V^T [x1]', () => {
  const [a, b] = [(Math.sqrt(3) + 1) / 2, (Math.sqrt(3) - 1) / 2]
  const r = sqrtPsd([2, 1, 1, 2], 2)
  assertClose(Array.from(r), [a, b, b, a], 1e-12)
})

// Property tests: fast-check with a fixed seed per test (assertProperty).
import fc from 'fast-check'
import { assertProperty } from './support.ts'
import { matmul64 } from '#kata/eval/frechet'

test('sqrtPsd of [[4, 1, 0], [1, 3, 1], [0, 1, 2]]: a symmetric R with R R = M (its eigenvector matrix is not symmetric) [x2]', () => {
  const m = [4, 1, 0, 1, 3, 1, 0, 1, 2]
  const r = sqrtPsd(m, 3)
  assertClose(Array.from(matmul64(r, r, 3)), m, 1e-10)
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assertClose(r[i * 3 + j]!, r[j * 3 + i]!, 1e-12, `R[${i}][${j}] against R[${j}][${i}]`)
})

test('sqrtPsd of random SPD matrices B B^T + I of sizes 1 to 8: R is symmetric, positive on the diagonal, and R R = M [x3]', () => {
  const spd = fc.integer({ min: 1, max: 8 }).chain((n) =>
    fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n * n, maxLength: n * n }).map((b) => {
      const m = new Float64Array(n * n)
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = i === j ? 1 : 0
        for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!
        m[i * n + j] = s
      }
      return { n, m }
    }),
  )
  assertProperty('10.3 sqrtPsd squares back', fc.property(spd, ({ n, m }) => {
    const r = sqrtPsd(m, n)
    const scale = Math.max(...Array.from(m, Math.abs))
    const rr = matmul64(r, r, n)
    for (let i = 0; i < n * n; i++) {
      const [row, col] = [Math.floor(i / n), i % n]
      assert.ok(Math.abs(r[i]! - r[col * n + row]!) <= 1e-9 * Math.sqrt(scale), `n = ${n}: R[${row}][${col}] = ${r[i]} but R[${col}][${row}] = ${r[col * n + row]}`)
      assert.ok(Math.abs(rr[i]! - m[i]!) <= 1e-9 * scale, `n = ${n}: (R R)[${row}][${col}] = ${rr[i]}, expected M[${row}][${col}] = ${m[i]}`)
    }
    for (let i = 0; i < n; i++) assert.ok(r[i * n + i]! > 0, `n = ${n}: R[${i}][${i}] = ${r[i * n + i]}, expected > 0 (the positive root)`)
  }), { numRuns: 60 })
})

test('sqrtPsd of a singular matrix: a rank-one v v^T gives v v^T / |v|, with no NaN [x1]', () => {
  // v = (1, 2): one eigenvalue 5, the other 0 (or -1e-16 after rounding)
  const r = sqrtPsd([1, 2, 2, 4], 2)
  assertClose(Array.from(r), [1, 2, 2, 4].map((x) => x / Math.sqrt(5)), 1e-8)
})

test('a covariance with a rounding-level negative eigenvalue still gives a finite distance [x2]', () => {
  // diag(1, -1e-13) is diag(1, 0) up to rounding: against diag(4, 0) the distance is (1 - 2)^2 = 1
  const d = frechetDistance(gaussian([0, 0], [1, 0, 0, -1e-13]), gaussian([0, 0], [4, 0, 0, 0]))
  assertClose(d, 1, 1e-6)
})

test('PSD clamping: an eigenvalue of -1e-13 is rounding and becomes 0; -0.5 is an error [x3]', () => {
  assertClose(Array.from(sqrtPsd([1, 0, 0, -1e-13], 2)), [1, 0, 0, 0], 1e-12)
  assertThrowsMatching(() => sqrtPsd([1, 0, 0, -0.5], 2), /positive semi-definite/)
})

test('one dimension: N(0, 1) against N(3, 4) is 3^2 + 1 + 4 - 2 sqrt(1 * 4) = 10 [x2]', () => {
  assertClose(frechetDistance(gaussian([0], [1]), gaussian([3], [4])), 10, 1e-12)
})

test('a Gaussian against itself is at distance 0 [x1]', () => {
  const g = gaussian([1, -2, 0.5], [2, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 0.5])
  assert.ok(Math.abs(frechetDistance(g, g)) < 1e-12, `got ${frechetDistance(g, g)}`)
})

test('diagonal covariances: sum of (mu1 - mu2)^2 + (sqrt s1 - sqrt s2)^2 per coordinate [x1]', () => {
  // means (0, 0) and (1, 1); variances (1, 4) and (9, 16): 2 + (1 - 3)^2 + (2 - 4)^2 = 10
  assertClose(frechetDistance(gaussian([0, 0], [1, 0, 0, 4]), gaussian([1, 1], [9, 0, 0, 16])), 10, 1e-12)
})

test('rotated, non-diagonal covariances: the same answer as before the rotation [x1]', () => {
  const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)]
  // R diag(a, b) R^T for the rotation R by 30 degrees
  const rotated = (a: number, b: number) => [a * c * c + b * s * s, (a - b) * c * s, (a - b) * c * s, a * s * s + b * c * c]
  const d = frechetDistance(gaussian([0, 0], rotated(1, 4)), gaussian([1, 1], rotated(9, 16)))
  assertClose(d, 10, 1e-10)
})

test('covariances that do not commute: diag(4, 1) against [[2, 1], [1, 2]] [x2]', () => {
  // S1^(1/2) S2 S1^(1/2) = [[8, 2], [2, 2]]: trace 10, determinant 12, so the trace of its square
  // root is sqrt(10 + 2 sqrt 12); the distance is 5 + 4 - 2 sqrt(10 + 4 sqrt 3)
  const expected = 9 - 2 * Math.sqrt(10 + 4 * Math.sqrt(3))
  const a = gaussian([0, 0], [4, 0, 0, 1])
  const b = gaussian([0, 0], [2, 1, 1, 2])
  assertClose(frechetDistance(a, b), expected, 1e-10)
  assertClose(frechetDistance(b, a), expected, 1e-10) // symmetric in its arguments
})

test('random 2x2 Gaussians: the distance against the closed form Tr sqrt(M) = sqrt(Tr M + 2 sqrt(det M)) [x3]', () => {
  // For 2x2 SPD M, sqrt(M) has trace sqrt(Tr M + 2 sqrt(det M)); with M = S1^(1/2) S2 S1^(1/2),
  // Tr M = Tr(S1 S2) and det M = det S1 det S2: no eigendecomposition needed to check the answer.
  const cov = fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }))
    .map(([a, b, c, d]) => [a * a + b * b + 0.5, a * c + b * d, a * c + b * d, c * c + d * d + 0.5])
  const mean = fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: -4, max: 4 }))
  assertProperty('10.3 frechet 2x2', fc.property(mean, cov, mean, cov, (m1, s1, m2, s2) => {
    const trProduct = s1[0]! * s2[0]! + s1[1]! * s2[2]! + s1[2]! * s2[1]! + s1[3]! * s2[3]!
    const det = (s: number[]) => s[0]! * s[3]! - s[1]! * s[2]!
    const trRoot = Math.sqrt(trProduct + 2 * Math.sqrt(det(s1) * det(s2)))
    const expected = (m1[0] - m2[0]) ** 2 + (m1[1] - m2[1]) ** 2 + s1[0]! + s1[3]! + s2[0]! + s2[3]! - 2 * trRoot
    assertClose(frechetDistance(gaussian(m1, s1), gaussian(m2, s2)), expected, 1e-9)
  }))
})

test.run()
