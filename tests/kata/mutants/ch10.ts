// Plausible student bugs in chapter 10 (evaluation); each must cost a fair share of the exercise's points.
import type { Mutant } from './types.ts'

export const mutants: Mutant[] = [
  { exercise: '10.1', bug: 'divided by N, the population covariance', find: 'covariance[jk]! /= count - 1', replace: 'covariance[jk]! /= count' },
  { exercise: '10.1', bug: 'rows not centred: E[x x^T]', find: 'centred[j] = rows[i * dim + j]! - mean[j]!', replace: 'centred[j] = rows[i * dim + j]!' },
  { exercise: '10.1', bug: 'the mean summed in float32', find: 'for (let j = 0; j < dim; j++) mean[j]! += rows[i * dim + j]!', replace: 'for (let j = 0; j < dim; j++) mean[j] = Math.fround(mean[j]! + rows[i * dim + j]!)' },
  { exercise: '10.1', bug: 'upper triangle only, not mirrored', find: 'for (let k = 0; k < dim; k++) covariance', replace: 'for (let k = j; k < dim; k++) covariance' },
  { exercise: '10.2', bug: 'rotation with the wrong sign on the columns', find: 'a[k * n + p] = c * akp - s * akq', replace: 'a[k * n + p] = c * akp + s * akq' },
  { exercise: '10.2', bug: 'in-place update reads the new a_kp', find: 'a[k * n + q] = s * akp + c * akq', replace: 'a[k * n + q] = s * a[k * n + p]! + c * akq' },
  { exercise: '10.2', bug: 'the larger root for t (rotation over 45 degrees)', find: '(Math.abs(theta) + Math.sqrt(theta * theta + 1))', replace: '(Math.abs(theta) - Math.sqrt(theta * theta + 1))' },
  { exercise: '10.2', bug: 'V rotated by rows instead of columns', find: '    const vkp = v[k * n + p]!\n    const vkq = v[k * n + q]!\n    v[k * n + p] = c * vkp - s * vkq\n    v[k * n + q] = s * vkp + c * vkq\n', replace: '    const vkp = v[p * n + k]!\n    const vkq = v[q * n + k]!\n    v[p * n + k] = c * vkp - s * vkq\n    v[q * n + k] = s * vkp + c * vkq\n' },
  { exercise: '10.2', bug: 'offDiagonalNorm includes the diagonal', find: 'if (i !== j) s += a[i * n + j]! ** 2', replace: 's += a[i * n + j]! ** 2' },
  { exercise: '10.2', bug: 'a single sweep, no convergence loop', find: 'while (offDiagonalNorm(a, n) > tolerance * norm) {', replace: 'if (offDiagonalNorm(a, n) > tolerance * norm) {' },
  { exercise: '10.3', bug: 'sqrtPsd with rows of V as the eigenvectors', find: 'sum += vectors[i * n + k]! * roots[k]! * vectors[j * n + k]!', replace: 'sum += vectors[k * n + i]! * roots[k]! * vectors[k * n + j]!' },
  { exercise: '10.3', bug: 'no clamping of rounding negatives', find: 'return Math.sqrt(Math.max(0, w))', replace: 'return Math.sqrt(w)' },
  { exercise: '10.3', bug: 'cross term S1^(1/2) S2^(1/2) instead of (S1^(1/2) S2 S1^(1/2))^(1/2)', find: 'const cross = sqrtPsd(product, n)', replace: 'const cross = matmul64(root, sqrtPsd(b.covariance, n), n)' },
  { exercise: '10.3', bug: 'trace of the cross term not doubled', find: '- 2 * cross[i * n + i]!', replace: '- cross[i * n + i]!' },
  { exercise: '10.3', bug: 'mean term not squared', find: 'meanTerm += (a.mean[i]! - b.mean[i]!) ** 2', replace: 'meanTerm += Math.abs(a.mean[i]! - b.mean[i]!)' },
]
