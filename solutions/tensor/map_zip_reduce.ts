// Exercise 1.3: the three loops every element-wise op and every reduction is built from
// (MiniTorch's map, zip and reduce). They must work for any strides: transposed, sliced and
// broadcast (stride 0) views included. `out` is written in place.
import type { Strided } from '../../src/tensor/strided.ts'
import { sizeOf } from '../../src/tensor/strided.ts'
import { indexToOffset, ordinalToIndex } from '#kata/tensor/strides'
import { broadcastIndex } from '#kata/tensor/broadcast'

/** out[i] = fn(a[i']) for every index i of out, where i' is i broadcast back to a's shape. */
export function tensorMap(fn: (x: number) => number, a: Strided, out: Strided): void {
  // BEGIN SOLUTION hint: visit out's elements by ordinal and convert between ordinals, indices and storage positions with your exercise 1.1 and 1.2 functions
  // HINT 2: an ordinal says WHICH element of out, not WHERE it is stored: out may be a view (transposed, sliced) with its own strides and offset, so turn the ordinal into an index, then into a position with out's strides and offset. Do the same for a, after broadcasting the index into a's shape.
  const outIndex = new Array<number>(out.shape.length)
  const aIndex = new Array<number>(a.shape.length)
  const size = sizeOf(out.shape)
  for (let ordinal = 0; ordinal < size; ordinal++) {
    ordinalToIndex(ordinal, out.shape, outIndex)
    broadcastIndex(outIndex, out.shape, a.shape, aIndex)
    const x = a.data[indexToOffset(aIndex, a.strides, a.offset)]!
    out.data[indexToOffset(outIndex, out.strides, out.offset)] = fn(x)
  }
  // END SOLUTION
}

/** out[i] = fn(a[i'], b[i'']) with a and b each broadcast to out's shape. */
export function tensorZip(fn: (x: number, y: number) => number, a: Strided, b: Strided, out: Strided): void {
  // BEGIN SOLUTION hint: the same loop as tensorMap, with a second input broadcast the same way
  // HINT 2: a [2, 1] and b [3] into out [2, 3]: out's index (1, 2) reads a at (1, 0) and b at (2). Each input keeps its own strides and offset.
  const outIndex = new Array<number>(out.shape.length)
  const aIndex = new Array<number>(a.shape.length)
  const bIndex = new Array<number>(b.shape.length)
  const size = sizeOf(out.shape)
  for (let ordinal = 0; ordinal < size; ordinal++) {
    ordinalToIndex(ordinal, out.shape, outIndex)
    broadcastIndex(outIndex, out.shape, a.shape, aIndex)
    broadcastIndex(outIndex, out.shape, b.shape, bIndex)
    const x = a.data[indexToOffset(aIndex, a.strides, a.offset)]!
    const y = b.data[indexToOffset(bIndex, b.strides, b.offset)]!
    out.data[indexToOffset(outIndex, out.strides, out.offset)] = fn(x, y)
  }
  // END SOLUTION
}

/**
 * Reduce `a` into `out`, whose shape is a's with every reduced axis set to 1 (keepDims).
 * out starts at `init` everywhere; then out[j] = fn(out[j], a[i]) for every i that lands on j.
 * Reduction is broadcasting run backwards: j is i broadcast into out's shape.
 */
export function tensorReduce(fn: (acc: number, x: number) => number, init: number, a: Strided, out: Strided): void {
  // BEGIN SOLUTION hint: two passes: set every element of out to init, then walk every element of a and fold it into the element of out it broadcasts onto
  // HINT 2: a [2, 3] summed into out [2, 1]: a's element (1, 2) folds into out's (1, 0), which is broadcastIndex with a's shape as the big shape. Never assume out already holds init, and read a through its strides and offset.
  const outSize = sizeOf(out.shape)
  const outIndex = new Array<number>(out.shape.length)
  for (let ordinal = 0; ordinal < outSize; ordinal++) {
    ordinalToIndex(ordinal, out.shape, outIndex)
    out.data[indexToOffset(outIndex, out.strides, out.offset)] = init
  }
  const aIndex = new Array<number>(a.shape.length)
  const size = sizeOf(a.shape)
  for (let ordinal = 0; ordinal < size; ordinal++) {
    ordinalToIndex(ordinal, a.shape, aIndex)
    broadcastIndex(aIndex, a.shape, out.shape, outIndex)
    const at = indexToOffset(outIndex, out.strides, out.offset)
    out.data[at] = fn(out.data[at]!, a.data[indexToOffset(aIndex, a.strides, a.offset)]!)
  }
  // END SOLUTION
}
