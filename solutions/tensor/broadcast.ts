// Exercise 1.2: NumPy's broadcasting rules.
//
// Two shapes are aligned at their last axes. Along each axis the sizes must be equal, or one of
// them must be 1 (that tensor is repeated along the axis); a missing leading axis counts as 1.
// [8,1,6,1] with [7,1,5] -> [8,7,6,5].

/** The broadcast shape of `a` and `b`; throws an Error naming the axis and both sizes when they clash. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  // BEGIN SOLUTION hint: align from the right; for each axis take the size that is not 1, and throw if both are not 1 and differ
  const ndim = Math.max(a.length, b.length)
  const out = new Array<number>(ndim)
  for (let i = 1; i <= ndim; i++) {
    const da = a.length - i >= 0 ? a[a.length - i]! : 1
    const db = b.length - i >= 0 ? b[b.length - i]! : 1
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `cannot broadcast shapes [${a.join(', ')}] and [${b.join(', ')}]: axis ${ndim - i} has sizes ${da} and ${db}`,
      )
    }
    out[ndim - i] = da === 1 ? db : da
  }
  return out
  // END SOLUTION
}

/**
 * Map an index into the big (broadcast) shape to the index of the element of a tensor of `shape`
 * that gets repeated there. `bigShape` has at least as many axes as `shape`. Writes into `out`.
 * Example: bigShape [2,3], shape [3], bigIndex [1,2] -> [2]; shape [2,1] -> [1,0].
 */
export function broadcastIndex(
  bigIndex: ArrayLike<number>,
  bigShape: readonly number[],
  shape: readonly number[],
  out: number[],
): void {
  // BEGIN SOLUTION hint: axis i of shape lines up with axis i + (bigShape.length - shape.length); a size-1 axis always reads index 0
  const lead = bigShape.length - shape.length
  for (let axis = 0; axis < shape.length; axis++) {
    out[axis] = shape[axis] === 1 ? 0 : bigIndex[axis + lead]!
  }
  // END SOLUTION
}
