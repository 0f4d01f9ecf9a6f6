// Symmetric eigendecomposition in float64 (cyclic Jacobi, exercise 10.2) and the square root of a
// positive semi-definite matrix built on it (exercise 10.3). The code is the kata's: imported
// through #kata so that the evaluation runs on the reference or on a student's work.
import { offDiagonalNorm, rotate, symmetricEigen, type JacobiOptions, type SymmetricEigen } from '#kata/eval/jacobi'
import { matmul64, PSD_TOLERANCE, sqrtPsd } from '#kata/eval/frechet'

export { offDiagonalNorm, rotate, symmetricEigen, matmul64, PSD_TOLERANCE, sqrtPsd }
export type { JacobiOptions, SymmetricEigen }

/** V diag(f(w)) V^T for an eigendecomposition: f = identity rebuilds the matrix. */
export function fromEigen(eigen: Pick<SymmetricEigen, 'values' | 'vectors'>, f: (w: number) => number = (w) => w): Float64Array {
  const n = eigen.values.length
  const fw = Float64Array.from(eigen.values, f)
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let k = 0; k < n; k++) s += eigen.vectors[i * n + k]! * fw[k]! * eigen.vectors[j * n + k]!
      out[i * n + j] = s
    }
  }
  return out
}
