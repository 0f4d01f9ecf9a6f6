// Exercise 1.1: how a flat Float32Array becomes an n-dimensional tensor.
//
// A tensor of shape [d0, d1, ..., dn-1] stores its elements in one flat array. Element
// (i0, i1, ..., in-1) lives at  offset + i0*s0 + i1*s1 + ... + in-1*sn-1,  where s are the
// strides. Views (transpose, slice, expand) change shape, strides and offset, never the data.

/** Row-major (C order) strides: the last axis moves fastest. shape [2,3,4] -> [12,4,1]. */
export function contiguousStrides(shape: readonly number[]): number[] {
  // BEGIN SOLUTION hint: walk the axes from last to first; each stride is the product of the sizes after it
  const strides = new Array<number>(shape.length)
  let step = 1
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = step
    step *= shape[axis]!
  }
  return strides
  // END SOLUTION
}

/** Where the element at `index` lives in storage: offset + sum(index[i] * strides[i]). */
export function indexToOffset(index: ArrayLike<number>, strides: readonly number[], offset = 0): number {
  // BEGIN SOLUTION hint: start from offset and add index[i] * strides[i] for every axis
  let position = offset
  for (let axis = 0; axis < strides.length; axis++) position += index[axis]! * strides[axis]!
  return position
  // END SOLUTION
}

/**
 * The inverse for a contiguous tensor: the multi-index of the `ordinal`-th element in row-major
 * order, written into `out` (which has shape.length entries). Example: shape [2,3], ordinal 4 -> [1,1].
 */
export function ordinalToIndex(ordinal: number, shape: readonly number[], out: number[]): void {
  // BEGIN SOLUTION hint: peel axes off from the last: index = ordinal % size, then ordinal = floor(ordinal / size)
  let rest = ordinal
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis]!
    out[axis] = rest % size
    rest = Math.floor(rest / size)
  }
  // END SOLUTION
}
