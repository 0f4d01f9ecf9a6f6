// Exercise 10.3: the Fréchet distance between two Gaussians, the number behind FID.
//
// For N(mu1, S1) and N(mu2, S2) the squared 2-Wasserstein (Fréchet) distance is
//   d^2 = ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1^(1/2) S2 S1^(1/2))^(1/2))
// (Dowson and Landau, 1982). The square roots are of symmetric positive semi-definite matrices,
// which the eigendecomposition of exercise 10.2 gives directly: M = V diag(w) V^T has the square
// root V diag(sqrt(w)) V^T. A covariance estimated from fewer vectors than dimensions is singular,
// and rounding then turns some of its zero eigenvalues into -1e-17: those are clamped to 0. A
// clearly negative eigenvalue means the matrix was not a covariance at all, which is an error.
import { symmetricEigen } from '#kata/eval/jacobi'

/** Eigenvalues above -PSD_TOLERANCE * (the largest |eigenvalue|) count as rounding and become 0. */
export const PSD_TOLERANCE = 1e-9

/** Mean and covariance, as exercise 10.1's moments() returns them. */
export interface Gaussian {
  dim: number
  mean: ArrayLike<number>
  /** [dim, dim] row-major */
  covariance: ArrayLike<number>
}

/**
 * 10.3 The square root of a symmetric positive semi-definite [n, n] matrix: V diag(sqrt(w)) V^T,
 * from symmetricEigen. Eigenvalues in [-PSD_TOLERANCE * max|w|, 0) become 0; below that, throw an
 * error that names the eigenvalue.
 */
export function sqrtPsd(matrix: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n)
  // BEGIN SOLUTION hint: the square root through the eigendecomposition of 10.2: the root of each eigenvalue, the matrix rebuilt from the eigenvectors
  // HINT 2: clamp eigenvalues down to -PSD_TOLERANCE times the largest magnitude to 0 and throw below that; the eigenvectors are the COLUMNS of vectors, so entry (i, j) is the sum over k of V[i][k] sqrt(w_k) V[j][k].
  const { values, vectors } = symmetricEigen(matrix, n)
  const largest = Math.max(0, ...Array.from(values, Math.abs))
  const roots = values.map((w) => {
    if (w < -PSD_TOLERANCE * largest) {
      throw new RangeError(`sqrtPsd: the matrix is not positive semi-definite: it has the eigenvalue ${w} (the largest in magnitude is ${largest})`)
    }
    return Math.sqrt(Math.max(0, w))
  })
  // V diag(sqrt w) V^T: the eigenvectors are the columns of V.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0
      for (let k = 0; k < n; k++) sum += vectors[i * n + k]! * roots[k]! * vectors[j * n + k]!
      out[i * n + j] = sum
    }
  }
  // END SOLUTION
  return out
}

/** [n, n] row-major product a b, in float64. */
export function matmul64(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!
      if (aik === 0) continue
      for (let j = 0; j < n; j++) out[i * n + j]! += aik * b[k * n + j]!
    }
  }
  return out
}

/**
 * 10.3 The squared Fréchet distance between N(a.mean, a.covariance) and N(b.mean, b.covariance):
 * ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr((S1^(1/2) S2 S1^(1/2))^(1/2)).
 */
export function frechetDistance(a: Gaussian, b: Gaussian): number {
  if (a.dim !== b.dim) throw new RangeError(`frechetDistance: the two Gaussians have different dimensions, ${a.dim} and ${b.dim}`)
  const n = a.dim
  for (const [name, g] of [['first', a], ['second', b]] as const) {
    if (g.mean.length !== n || g.covariance.length !== n * n) {
      throw new RangeError(`frechetDistance: the ${name} Gaussian should have a mean of ${n} and a covariance of ${n * n} values, got ${g.mean.length} and ${g.covariance.length}`)
    }
  }
  // BEGIN SOLUTION hint: the closed form of the Frechet distance: the squared distance of the means, plus the traces of the covariances, minus twice the trace of the square root of the cross term, built with sqrtPsd
  // HINT 2: the cross term is r S2 r with r = sqrtPsd(S1) (matmul64 multiplies); symmetrise it as (M + M^T) / 2 before taking its root, since rounding leaves it slightly asymmetric; only the trace of that root is needed.
  let meanTerm = 0
  for (let i = 0; i < n; i++) meanTerm += (a.mean[i]! - b.mean[i]!) ** 2
  const root = sqrtPsd(a.covariance, n)
  const product = matmul64(matmul64(root, b.covariance, n), root, n)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = (product[i * n + j]! + product[j * n + i]!) / 2
      product[i * n + j] = s
      product[j * n + i] = s
    }
  }
  const cross = sqrtPsd(product, n)
  let trace = 0
  for (let i = 0; i < n; i++) trace += a.covariance[i * n + i]! + b.covariance[i * n + i]! - 2 * cross[i * n + i]!
  return meanTerm + trace
  // END SOLUTION
}
