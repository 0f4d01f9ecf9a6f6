// GENERATED from solutions/tensor/broadcast.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 1.2: NumPy's broadcasting rules.
//
// Two shapes are aligned at their last axes. Along each axis the sizes must be equal, or one of
// them must be 1 (that tensor is repeated along the axis); a missing leading axis counts as 1.
// [8,1,6,1] with [7,1,5] -> [8,7,6,5].
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** The broadcast shape of `a` and `b`; when two sizes clash, throws an Error whose message names both sizes. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  // TODO(1.2): line the two shapes up at their right ends and compare them axis by axis, a missing axis counting as 1
  throw new NotImplementedError('1.2', 'line the two shapes up at their right ends and compare them axis by axis, a missing axis counting as 1')
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
  // TODO(1.2): line shape up with the right end of bigShape and copy the index across, pinning size-1 axes to 0
  throw new NotImplementedError('1.2', 'line shape up with the right end of bigShape and copy the index across, pinning size-1 axes to 0')
}
