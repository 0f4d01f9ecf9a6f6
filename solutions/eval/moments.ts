// Exercise 10.1: the first two moments of a set of feature vectors, in float64.
//
// FID compares two sets of features by their means and covariances. The features arrive as
// float32, but the statistics must not: a covariance accumulated in float32 over 10000 vectors
// loses about half of its digits, and the matrix square root downstream amplifies the loss. So
// every sum here is a float64 sum, and the covariance is taken around the mean (two passes)
// instead of as E[x x^T] - mu mu^T, which cancels catastrophically when the mean is large.

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
  // BEGIN SOLUTION hint: two passes in float64: the column means first, then the covariance as the sum of outer products of the centred rows, unbiased
  // HINT 2: never E[x x^T] - mu mu^T: subtract the mean from each row before multiplying; divide by count - 1; the matrix is symmetric, so both halves must hold the same values.
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < dim; j++) mean[j]! += rows[i * dim + j]!
  }
  for (let j = 0; j < dim; j++) mean[j]! /= count
  const centred = new Float64Array(dim)
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < dim; j++) centred[j] = rows[i * dim + j]! - mean[j]!
    for (let j = 0; j < dim; j++) {
      for (let k = 0; k < dim; k++) covariance[j * dim + k]! += centred[j]! * centred[k]!
    }
  }
  for (let jk = 0; jk < dim * dim; jk++) covariance[jk]! /= count - 1
  // END SOLUTION
  return { count, dim, mean, covariance }
}
