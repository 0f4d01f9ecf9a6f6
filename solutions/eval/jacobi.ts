// Exercise 10.2: the eigendecomposition of a symmetric matrix by the cyclic Jacobi method.
//
// A symmetric A is V diag(w) V^T with V orthogonal. Jacobi's method finds V as a product of plane
// rotations: each one, J(p, q, theta), is chosen to zero the off-diagonal pair a_pq = a_qp, and
//   A <- J^T A J,   V <- V J.
// A rotation can refill entries zeroed earlier, but the sum of squares off the diagonal falls by
// 2 a_pq^2 every time, so sweeping over all pairs again and again drives A to diagonal form; the
// convergence is quadratic once the off-diagonal part is small (typically 6-10 sweeps for n <= 200).
// Each sweep costs O(n^3). Everything is float64: these are statistics, not activations.

export interface SymmetricEigen {
  /** The eigenvalues, in descending order. */
  values: Float64Array
  /** [n, n] row-major: column j is the unit eigenvector of values[j]. */
  vectors: Float64Array
  /** Sweeps over all pairs it took to converge. */
  sweeps: number
}

export interface JacobiOptions {
  /** Converged when the off-diagonal Frobenius norm is at most tolerance * ||A||_F (1e-14). */
  tolerance?: number
  /** An error after this many sweeps without convergence (60). */
  maxSweeps?: number
}

/** 10.2 sqrt of the sum of squares off the diagonal of the [n, n] matrix a. */
export function offDiagonalNorm(a: ArrayLike<number>, n: number): number {
  // BEGIN SOLUTION hint: the Frobenius norm restricted to the entries off the diagonal
  // HINT 2: square and add every entry whose row and column differ, then take the root.
  let s = 0
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += a[i * n + j]! ** 2
  return Math.sqrt(s)
  // END SOLUTION
}

/**
 * 10.2 Rotate rows and columns p and q of the [n, n] symmetric matrix `a` (in place) so that
 * a[p][q] = a[q][p] = 0, and apply the same rotation to the columns of `v`.
 * With theta = (a_qq - a_pp) / (2 a_pq), t = sign(theta) / (|theta| + sqrt(theta^2 + 1)) (the smaller
 * root of t^2 + 2 theta t - 1 = 0, so the rotation angle is at most 45 degrees),
 * c = 1 / sqrt(t^2 + 1), s = t c, and for every k:
 *   columns:  a_kp <- c a_kp - s a_kq,   a_kq <- s a_kp + c a_kq     (then the same on rows p and q)
 *   vectors:  v_kp <- c v_kp - s v_kq,   v_kq <- s v_kp + c v_kq
 */
export function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  // BEGIN SOLUTION hint: one Jacobi plane rotation (the comment above gives theta, t, c and s): apply it to columns p and q of a, then to rows p and q, then to columns p and q of v
  // HINT 2: each new value needs both old ones, so read a_kp and a_kq before writing either; do nothing when a_pq is already 0; finish by setting a_pq and a_qp to exactly 0.
  const apq = a[p * n + q]!
  if (apq === 0) return
  const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq)
  const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
  const c = 1 / Math.sqrt(t * t + 1)
  const s = t * c
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p]!
    const akq = a[k * n + q]!
    a[k * n + p] = c * akp - s * akq
    a[k * n + q] = s * akp + c * akq
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k]!
    const aqk = a[q * n + k]!
    a[p * n + k] = c * apk - s * aqk
    a[q * n + k] = s * apk + c * aqk
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p]!
    const vkq = v[k * n + q]!
    v[k * n + p] = c * vkp - s * vkq
    v[k * n + q] = s * vkp + c * vkq
  }
  // Zero by construction; rounding would leave ~1e-17 there, which the next sweep would chase.
  a[p * n + q] = 0
  a[q * n + p] = 0
  // END SOLUTION
}

/**
 * 10.2 The eigendecomposition of the symmetric [n, n] row-major matrix `matrix` (left untouched).
 * Sweeps rotate(p, q) over every pair p < q until the off-diagonal norm is small enough; throws,
 * naming the sweeps and the norm reached, if it is not after maxSweeps.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number, options: JacobiOptions = {}): SymmetricEigen {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`symmetricEigen: n must be a positive integer, got ${n}`)
  if (matrix.length !== n * n) throw new RangeError(`symmetricEigen: an [${n}, ${n}] matrix has ${n * n} values, got ${matrix.length}`)
  const tolerance = options.tolerance ?? 1e-14
  const maxSweeps = options.maxSweeps ?? 60
  const a = Float64Array.from(matrix)
  let norm = 0
  for (let i = 0; i < n * n; i++) {
    if (!Number.isFinite(a[i]!)) throw new RangeError(`symmetricEigen: the matrix has a non-finite value ${a[i]} at [${Math.floor(i / n)}, ${i % n}]`)
    norm += a[i]! ** 2
  }
  norm = Math.sqrt(norm)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const diff = Math.abs(a[i * n + j]! - a[j * n + i]!)
      if (diff > 1e-10 * Math.max(norm, Number.MIN_VALUE)) {
        throw new RangeError(`symmetricEigen: expected a symmetric matrix, but [${i}, ${j}] = ${a[i * n + j]} and [${j}, ${i}] = ${a[j * n + i]}`)
      }
    }
  }
  const v = new Float64Array(n * n)
  for (let i = 0; i < n; i++) v[i * n + i] = 1
  let sweeps = 0
  // BEGIN SOLUTION hint: the cyclic Jacobi method: sweep rotate over every pair p < q until the off-diagonal norm is small against the matrix's norm, giving up after maxSweeps
  // HINT 2: test convergence before each sweep (offDiagonalNorm against tolerance * norm) and count the sweeps; the error at maxSweeps names maxSweeps and the norm reached.
  while (offDiagonalNorm(a, n) > tolerance * norm) {
    if (sweeps === maxSweeps) {
      throw new Error(
        `symmetricEigen: no convergence after ${maxSweeps} sweeps: the off-diagonal norm is ${offDiagonalNorm(a, n)}, needed <= ${tolerance * norm} (tolerance ${tolerance} * ||A|| ${norm})`,
      )
    }
    sweeps++
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q)
  }
  // END SOLUTION
  // Descending order, each column of V moved with its eigenvalue.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]!)
  const values = Float64Array.from(order, (i) => a[i * n + i]!)
  const vectors = new Float64Array(n * n)
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from]!
  })
  return { values, vectors, sweeps }
}
