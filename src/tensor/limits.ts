// The largest tensor genkata allocates. A mistyped shape (an extra dimension, a batch of 2^31)
// would otherwise start filling gigabytes and end in an out-of-memory crash far from the cause;
// this refuses it before any memory is taken, naming the op and the shape. The limit is 2^28
// elements (1 GiB of float32) unless GENKATA_MAX_ELEMENTS or setMaxElements says otherwise.
import { formatShape, sizeOf } from './strided.ts'

export const DEFAULT_MAX_ELEMENTS = 2 ** 28

function parseLimit(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_ELEMENTS
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`GENKATA_MAX_ELEMENTS must be a positive integer (a count of tensor elements), got '${value}'`)
  return n
}

let maxElements: number | null = null

/** The current limit on a tensor's element count. */
export function getMaxElements(): number {
  maxElements ??= parseLimit(process.env.GENKATA_MAX_ELEMENTS)
  return maxElements
}

/** Set the limit on a tensor's element count; returns the previous one (to restore it). */
export function setMaxElements(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new RangeError(`setMaxElements: the limit must be a positive integer, got ${limit}`)
  const previous = getMaxElements()
  maxElements = limit
  return previous
}

/** Throw, before allocating, when a tensor of `shape` made by `op` would exceed the limit. */
export function checkElementCount(op: string, shape: readonly number[]): void {
  const size = sizeOf(shape)
  const limit = getMaxElements()
  if (size > limit) {
    throw new RangeError(`${op}: a tensor of shape ${formatShape(shape)} would hold ${size} elements, above the limit of ${limit}${Number.isInteger(Math.log2(limit)) ? ` (2^${Math.log2(limit)})` : ''}; raise it with GENKATA_MAX_ELEMENTS or setMaxElements if you mean it`)
  }
}
