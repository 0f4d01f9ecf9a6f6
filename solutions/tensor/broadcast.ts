// Exercise 1.2: NumPy's broadcasting rules.
//
// Two shapes are aligned at their last axes. Along each axis the sizes must be equal, or one of
// them must be 1 (that tensor is repeated along the axis); a missing leading axis counts as 1.
// [8,1,6,1] with [7,1,5] -> [8,7,6,5].

/** The broadcast shape of `a` and `b`; when two sizes clash, throws an Error whose message names both sizes. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  // BEGIN SOLUTION hint: line the two shapes up at their right ends and compare them axis by axis, a missing axis counting as 1
  // HINT 2: [8, 1, 6, 1] with [7, 1, 5]: compare 1 with 5, 6 with 1, 1 with 7, then 8 with a missing axis. A size of 1 gives way to the other size, even to 0: [0] with [1] is [0], so taking the larger of the two sizes is wrong. Throw when neither size is 1 and they differ.
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
  // BEGIN SOLUTION hint: line shape up with the right end of bigShape and copy the index across, pinning size-1 axes to 0
  // HINT 2: bigShape [5, 2, 3], shape [1, 3]: shape's axis 0 lines up with bigShape's axis 1 (the shapes differ in length by 1), so index [4, 1, 2] maps to [0, 2]: the size-1 axis reads 0, the last axis copies 2.
  const lead = bigShape.length - shape.length
  for (let axis = 0; axis < shape.length; axis++) {
    out[axis] = shape[axis] === 1 ? 0 : bigIndex[axis + lead]!
  }
  // END SOLUTION
}
