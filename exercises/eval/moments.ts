// GENERATED from solutions/eval/moments.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 10.1: the first two moments of a set of feature vectors, in float64.
//
// FID compares two sets of features by their means and covariances. The features arrive as
// float32, but the statistics must not: a covariance accumulated in float32 over 10000 vectors
// loses about half of its digits, and the matrix square root downstream amplifies the loss. So
// every sum here is a float64 sum, and the covariance is taken around the mean (two passes)
// instead of as E[x x^T] - mu mu^T, which cancels catastrophically when the mean is large.
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** Mean and covariance of `count` vectors of length `dim`. */
export interface Moments {
  count: number
  dim: number
  /** [dim] */
  mean: Float64Array
  /** [dim, dim] row-major, symmetric; divided by count - 1 (the unbiased estimate, numpy.cov's default) */
  covariance: Float64Array
}

/**
 * 10.1 The mean and the (unbiased) covariance of the rows of a [count, dim] row-major matrix.
 *   mean_j = (1/N) sum_i x_ij
 *   cov_jk = 1/(N-1) sum_i (x_ij - mean_j) (x_ik - mean_k)
 */
export function moments(rows: ArrayLike<number>, count: number, dim: number): Moments {
  if (!(Number.isInteger(count) && count >= 2)) throw new RangeError(`moments: a covariance needs at least 2 vectors, got count ${count}`)
  if (!(Number.isInteger(dim) && dim >= 1)) throw new RangeError(`moments: dim must be a positive integer, got ${dim}`)
  if (rows.length !== count * dim) throw new RangeError(`moments: ${count} vectors of length ${dim} need ${count * dim} values, got ${rows.length}`)
  const mean = new Float64Array(dim)
  const covariance = new Float64Array(dim * dim)
  // TODO(10.1): two passes in float64: the column means first, then the covariance as the sum of outer products of the centred rows, unbiased
  throw new NotImplementedError('10.1', 'two passes in float64: the column means first, then the covariance as the sum of outer products of the centred rows, unbiased')
  return { count, dim, mean, covariance }
}
