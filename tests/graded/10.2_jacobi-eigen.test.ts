import { gradedFile } from './support.ts'
gradedFile('10.2', '#kata/eval/jacobi') // says loudly when this file is testing solutions/, not exercises/
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { offDiagonalNorm, rotate, symmetricEigen } from '#kata/eval/jacobi'
import { assertClose, assertThrowsMatching } from './support.ts'

test('rotate zeroes the pair: [[2, 1], [1, 2]] becomes diag(1, 3), V the 45-degree rotation [x2]', () => {
  const a = Float64Array.from([2, 1, 1, 2])
  const v = Float64Array.from([1, 0, 0, 1])
  rotate(a, v, 2, 0, 1)
  // theta = 0, so t = 1, c = s = 1 / sqrt(2)
  const r = Math.SQRT1_2
  assertClose(Array.from(a), [1, 0, 0, 3], 1e-12)
  assertClose(Array.from(v), [r, r, -r, r], 1e-12)
  assert.is(a[1], 0, 'a[0][1] is set to exactly 0')
  assert.is(a[2], 0, 'a[1][0] is set to exactly 0')
})

test('rotate takes the smaller angle: [[1, 2], [2, 4]] (theta = 3/4, t = 1/2) [x2]', () => {
  const a = Float64Array.from([1, 2, 2, 4])
  const v = Float64Array.from([1, 0, 0, 1])
  rotate(a, v, 2, 0, 1)
  // c = 2/sqrt(5), s = 1/sqrt(5): the eigenvalues 0 and 5 land on the diagonal in that order
  const [c, s] = [2 / Math.sqrt(5), 1 / Math.sqrt(5)]
  assertClose(Array.from(a), [0, 0, 0, 5], 1e-12)
  assertClose(Array.from(v), [c, s, -s, c], 1e-12)
})

test('rotate on a 3x3 matrix touches rows and columns p and q only, and zeroes a[p][q] [x2]', () => {
  const a = Float64Array.from([4, 1, 2, 1, 3, 0.5, 2, 0.5, 1])
  const v = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1])
  const before = Float64Array.from(a)
  rotate(a, v, 3, 0, 2)
  assert.is(a[2], 0)
  assert.is(a[6], 0)
  assertClose(a[4]!, before[4]!, 1e-12) // a[1][1] is outside rows/columns 0 and 2
  // the trace and the Frobenius norm are invariant under a rotation
  assertClose(a[0]! + a[4]! + a[8]!, 8, 1e-12)
  const frob = (m: Float64Array) => m.reduce((s, x) => s + x * x, 0)
  assertClose(frob(a), frob(before), 1e-12)
  assertClose(v[1]!, 0, 1e-12) // V's middle row and column stay those of the identity
  assertClose(v[4]!, 1, 1e-12)
})

test('a diagonal matrix: its diagonal, sorted descending, with unit-vector columns [x1]', () => {
  const e = symmetricEigen([3, 0, 0, 5], 2)
  assertClose(Array.from(e.values), [5, 3], 1e-12)
  assertClose(Array.from(e.vectors).map(Math.abs), [0, 1, 1, 0], 1e-12)
})

test('the tridiagonal [[2,-1,0],[-1,2,-1],[0,-1,2]] has eigenvalues 2 + sqrt(2), 2, 2 - sqrt(2) [x2]', () => {
  const a = [2, -1, 0, -1, 2, -1, 0, -1, 2]
  const e = symmetricEigen(a, 3)
  assertClose(Array.from(e.values), [2 + Math.SQRT2, 2, 2 - Math.SQRT2], 1e-12)
  // the eigenvector of 2 is (1, 0, -1) / sqrt(2), up to sign
  const col = [e.vectors[1]!, e.vectors[4]!, e.vectors[7]!]
  const sign = Math.sign(col[0]!)
  assertClose(col.map((x) => x * sign), [Math.SQRT1_2, 0, -Math.SQRT1_2], 1e-12)
  assert.ok(e.sweeps >= 1 && e.sweeps <= 10, `converged in ${e.sweeps} sweeps`)
})

// Property tests: fast-check with a fixed seed per test (assertProperty).
import { assertProperty } from './support.ts'

// A random symmetric n x n matrix from fast-check's integers.
const symmetric = fc.integer({ min: 1, max: 7 }).chain((n) =>
  fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n * n, maxLength: n * n }).map((x) => {
    const a = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = x[i * n + j]!
    return { n, a }
  }),
)

test('A = V diag(w) V^T and V^T V = I, for random symmetric matrices [x3]', () => {
  assertProperty(
    '10.2 eigendecomposition',
    fc.property(symmetric, ({ n, a }) => {
      const { values, vectors } = symmetricEigen(a, n)
      const scale = Math.max(1, Math.sqrt(a.reduce((s, x) => s + x * x, 0)))
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let rebuilt = 0
          let gram = 0
          for (let k = 0; k < n; k++) {
            rebuilt += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!
            gram += vectors[k * n + i]! * vectors[k * n + j]!
          }
          assert.ok(Math.abs(rebuilt - a[i * n + j]!) <= 1e-10 * scale, `n = ${n}: (V diag(w) V^T)[${i}][${j}] = ${rebuilt}, expected A[${i}][${j}] = ${a[i * n + j]}`)
          assert.ok(Math.abs(gram - (i === j ? 1 : 0)) <= 1e-10, `n = ${n}: (V^T V)[${i}][${j}] = ${gram}, expected ${i === j ? 1 : 0}`)
        }
      }
      for (let k = 1; k < n; k++) assert.ok(values[k]! <= values[k - 1]!, `n = ${n}: eigenvalues not descending at ${k}: ${values[k - 1]} then ${values[k]}`)
    }),
  )
})

test('the input is left untouched, and a 12x12 matrix converges in few sweeps [x1]', () => {
  const n = 12
  const a = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 1 / (1 + i + j) + (i === j ? 1 : 0)
  const copy = Float64Array.from(a)
  const e = symmetricEigen(a, n)
  assert.equal(Array.from(a), Array.from(copy))
  assert.ok(e.sweeps <= 15, `${e.sweeps} sweeps: cyclic Jacobi converges quadratically, about 6-10 for this size`)
  assertClose(e.values.reduce((s, w) => s + w, 0), copy.reduce((s, x, i) => s + (i % (n + 1) === 0 ? x : 0), 0), 1e-10)
})

test('no convergence within maxSweeps is an error that says so [x1]', () => {
  const a = [4, 1, 2, 0.5, 1, 3, 0.3, 1, 2, 0.3, 5, 0.7, 0.5, 1, 0.7, 2]
  assertThrowsMatching(() => symmetricEigen(a, 4, { maxSweeps: 1 }), /sweeps/)
})

test('offDiagonalNorm is the norm of what is left off the diagonal [x1]', () => {
  assertClose(offDiagonalNorm([1, 3, 4, 2], 2), 5, 1e-12)
})

test.run()
