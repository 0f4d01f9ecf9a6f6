// Exercise 1.1: how a flat Float32Array becomes an n-dimensional tensor.
//
// A tensor of shape [d0, d1, ..., dn-1] stores its elements in one flat array. Element
// (i0, i1, ..., in-1) lives at  offset + i0*s0 + i1*s1 + ... + in-1*sn-1,  where s are the
// strides. Views (transpose, slice, expand) change shape, strides and offset, never the data.

/** Row-major (C order) strides: the last axis moves fastest. shape [2,3,4] -> [12,4,1]. */
export function contiguousStrides(shape: readonly number[]): number[] {
  // BEGIN SOLUTION hint: one pass over the axes from last to first, carrying a running product of the sizes
  // HINT 2: shape [2, 3, 4]: one step along the last axis moves 1 element; one step along axis 1 skips a whole row of 4; one step along axis 0 skips a 3x4 block, 12. A scalar (shape []) has no strides.
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
  // BEGIN SOLUTION hint: accumulate over the axes, starting from the offset
  // HINT 2: index [2, 0, 1], strides [12, 4, 1], offset 7 gives 7 + 24 + 0 + 1 = 32. A stride of 0 (a broadcast axis) contributes nothing, whatever the index.
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
  // BEGIN SOLUTION hint: repeated division with remainder, last axis first (a number written in mixed radix)
  // HINT 2: shape [2, 3], ordinal 4: the remainder of 4 by 3 is the last index (1); what is left, 4 / 3 rounded down (1), is shared out among the earlier axes. The division must round down (Math.floor), or the earlier indices get fractions.
  let rest = ordinal
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis]!
    out[axis] = rest % size
    rest = Math.floor(rest / size)
  }
  // END SOLUTION
}
