// Shape arithmetic shared by the Tensor methods and the graph-free ops: axes, target shapes,
// broadcasting and slice ranges, each checked with an error that names the op. Pure functions
// of shapes; no tensor is touched here.
import { formatShape, sizeOf } from './strided.ts'
import { shapeError } from './errors.ts'
import { broadcastShapes } from '#kata/tensor/broadcast'

/** [start, end, step) along one axis; null keeps the whole axis. Negative start/end count from the end. */
export type SliceRange = readonly [start?: number, end?: number, step?: number] | null

export function normalizeAxis(op: string, axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis
  if (!Number.isInteger(a) || a < 0 || a >= ndim) {
    throw shapeError(op, `axis ${axis} is out of range for a tensor with ${ndim} dimensions`)
  }
  return a
}

/** The axes a reduction covers: all of them when `axes` is undefined. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, ndim: number): number[] {
  if (axes === undefined) return [...Array(ndim).keys()]
  const list = (typeof axes === 'number' ? [axes] : axes).map((a) => normalizeAxis(op, a, ndim))
  if (new Set(list).size !== list.length) throw shapeError(op, `axis listed twice in [${axes}]`)
  return list.sort((x, y) => x - y)
}

export function broadcastShapesFor(op: string, a: readonly number[], b: readonly number[]): number[] {
  try {
    return broadcastShapes(a, b)
  } catch (error) {
    throw shapeError(op, (error as Error).message)
  }
}

/** Resolve one -1 in a requested shape and check the sizes agree. */
export function resolveShape(op: string, from: readonly number[], to: readonly number[]): number[] {
  const size = sizeOf(from)
  const unknown = to.filter((d) => d === -1).length
  if (unknown > 1 || to.some((d) => !Number.isInteger(d) || d < -1)) {
    throw shapeError(op, `invalid target shape ${formatShape(to)}`)
  }
  const known = sizeOf(to.filter((d) => d !== -1))
  const shape = to.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d))
  if (sizeOf(shape) !== size || !shape.every(Number.isInteger)) {
    throw shapeError(op, `cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(to)}`)
  }
  return shape
}

/** Normalize Python-style ranges against a shape: [start, end, step] with 0 <= start <= end. */
export function resolveRanges(shape: readonly number[], ranges: readonly SliceRange[]): [number, number, number][] {
  if (ranges.length > shape.length) {
    throw shapeError('slice', `${ranges.length} ranges for a tensor of shape ${formatShape(shape)}`)
  }
  return shape.map((size, axis) => {
    const range = ranges[axis] ?? null
    const step = range?.[2] ?? 1
    if (!Number.isInteger(step) || step <= 0) throw shapeError('slice', `step must be a positive integer, got ${step} on axis ${axis}`)
    const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size)
    const start = clampIndex(range?.[0] ?? 0)
    const end = Math.max(start, clampIndex(range?.[1] ?? size))
    return [start, end, step]
  })
}
