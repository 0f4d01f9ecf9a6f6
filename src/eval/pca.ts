// Principal component analysis in float64: the eigenvectors of the covariance (exercises 10.1 and
// 10.2) with the largest eigenvalues are the directions of largest variance; projecting the
// centred data on the first two gives the best 2-D linear view of it (least squares).
// Cost: O(N D^2) for the covariance and O(D^3) per Jacobi sweep; fine for D up to a few hundred.
import { moments } from '#kata/eval/moments'
import { symmetricEigen } from '#kata/eval/jacobi'

export interface Pca {
  /** [k, dim] row-major: component i is row i, a unit vector. */
  components: Float64Array
  /** The variance along each component (the covariance's eigenvalues, descending). */
  variance: Float64Array
  /** variance / total variance. */
  varianceRatio: Float64Array
  mean: Float64Array
  /** [count, k] row-major: the centred data's coordinates along the components. */
  projection: Float64Array
  k: number
}

/**
 * The first k principal components of the rows of a [count, dim] row-major matrix. Each
 * component's sign is fixed so its largest-magnitude coordinate is positive (eigenvectors have no
 * sign of their own), so the same data gives the same picture.
 */
export function pca(rows: ArrayLike<number>, count: number, dim: number, k = 2): Pca {
  if (!(Number.isInteger(k) && k >= 1 && k <= dim)) throw new RangeError(`pca: k must be an integer in 1..${dim} (the data's dimension), got ${k}`)
  const { mean, covariance } = moments(rows, count, dim)
  const { values, vectors } = symmetricEigen(covariance, dim)
  const total = values.reduce((a, b) => a + Math.max(0, b), 0)
  const components = new Float64Array(k * dim)
  for (let c = 0; c < k; c++) {
    let big = 0
    for (let j = 0; j < dim; j++) if (Math.abs(vectors[j * dim + c]!) > Math.abs(vectors[big * dim + c]!)) big = j
    const sign = vectors[big * dim + c]! < 0 ? -1 : 1
    for (let j = 0; j < dim; j++) components[c * dim + j] = sign * vectors[j * dim + c]!
  }
  const projection = new Float64Array(count * k)
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0
      for (let j = 0; j < dim; j++) s += (rows[i * dim + j]! - mean[j]!) * components[c * dim + j]!
      projection[i * k + c] = s
    }
  }
  const variance = values.slice(0, k)
  const varianceRatio = variance.map((v) => (total > 0 ? Math.max(0, v) / total : 0))
  return { components, variance, varianceRatio, mean, projection, k }
}
