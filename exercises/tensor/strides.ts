// GENERATED from solutions/tensor/strides.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 1.1: how a flat Float32Array becomes an n-dimensional tensor.
//
// A tensor of shape [d0, d1, ..., dn-1] stores its elements in one flat array. Element
// (i0, i1, ..., in-1) lives at  offset + i0*s0 + i1*s1 + ... + in-1*sn-1,  where s are the
// strides. Views (transpose, slice, expand) change shape, strides and offset, never the data.
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** Row-major (C order) strides: the last axis moves fastest. shape [2,3,4] -> [12,4,1]. */
export function contiguousStrides(shape: readonly number[]): number[] {
  // TODO(1.1): one pass over the axes from last to first, carrying a running product of the sizes
  throw new NotImplementedError('1.1', 'one pass over the axes from last to first, carrying a running product of the sizes')
}

/** Where the element at `index` lives in storage: offset + sum(index[i] * strides[i]). */
export function indexToOffset(index: ArrayLike<number>, strides: readonly number[], offset = 0): number {
  // TODO(1.1): accumulate over the axes, starting from the offset
  throw new NotImplementedError('1.1', 'accumulate over the axes, starting from the offset')
}

/**
 * The inverse for a contiguous tensor: the multi-index of the `ordinal`-th element in row-major
 * order, written into `out` (which has shape.length entries). Example: shape [2,3], ordinal 4 -> [1,1].
 */
export function ordinalToIndex(ordinal: number, shape: readonly number[], out: number[]): void {
  // TODO(1.1): repeated division with remainder, last axis first (a number written in mixed radix)
  throw new NotImplementedError('1.1', 'repeated division with remainder, last axis first (a number written in mixed radix)')
}
