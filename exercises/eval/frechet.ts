// GENERATED from solutions/eval/frechet.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

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
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

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
  // TODO(10.3): the square root through the eigendecomposition of 10.2: the root of each eigenvalue, the matrix rebuilt from the eigenvectors
  throw new NotImplementedError('10.3', 'the square root through the eigendecomposition of 10.2: the root of each eigenvalue, the matrix rebuilt from the eigenvectors')
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
  // TODO(10.3): the closed form of the Frechet distance: the squared distance of the means, plus the traces of the covariances, minus twice the trace of the square root of the cross term, built with sqrtPsd
  throw new NotImplementedError('10.3', 'the closed form of the Frechet distance: the squared distance of the means, plus the traces of the covariances, minus twice the trace of the square root of the cross term, built with sqrtPsd')
}
