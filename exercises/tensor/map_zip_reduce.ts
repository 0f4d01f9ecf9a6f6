// GENERATED from solutions/tensor/map_zip_reduce.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 1.3: the three loops every element-wise op and every reduction is built from
// (MiniTorch's map, zip and reduce). They must work for any strides: transposed, sliced and
// broadcast (stride 0) views included. `out` is written in place.
import type { Strided } from '../../src/tensor/strided.ts'
import { sizeOf } from '../../src/tensor/strided.ts'
import { indexToOffset, ordinalToIndex } from '#kata/tensor/strides'
import { broadcastIndex } from '#kata/tensor/broadcast'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** out[i] = fn(a[i']) for every index i of out, where i' is i broadcast back to a's shape. */
export function tensorMap(fn: (x: number) => number, a: Strided, out: Strided): void {
  // TODO(1.3): visit out's elements by ordinal and convert between ordinals, indices and storage positions with your exercise 1.1 and 1.2 functions
  throw new NotImplementedError('1.3', 'visit out\'s elements by ordinal and convert between ordinals, indices and storage positions with your exercise 1.1 and 1.2 functions')
}

/** out[i] = fn(a[i'], b[i'']) with a and b each broadcast to out's shape. */
export function tensorZip(fn: (x: number, y: number) => number, a: Strided, b: Strided, out: Strided): void {
  // TODO(1.3): the same loop as tensorMap, with a second input broadcast the same way
  throw new NotImplementedError('1.3', 'the same loop as tensorMap, with a second input broadcast the same way')
}

/**
 * Reduce `a` into `out`, whose shape is a's with every reduced axis set to 1 (keepDims).
 * out starts at `init` everywhere; then out[j] = fn(out[j], a[i]) for every i that lands on j.
 * Reduction is broadcasting run backwards: j is i broadcast into out's shape.
 */
export function tensorReduce(fn: (acc: number, x: number) => number, init: number, a: Strided, out: Strided): void {
  // TODO(1.3): two passes: set every element of out to init, then walk every element of a and fold it into the element of out it broadcasts onto
  throw new NotImplementedError('1.3', 'two passes: set every element of out to init, then walk every element of a and fold it into the element of out it broadcasts onto')
}
