// Value computations: allocate the result and run the backend, or build a view. No graph is
// recorded here; autograd wraps these and adds the backward pass.
import ndarray from 'ndarray'
import { getBackend } from '../backend/index.ts'
import type { Backend } from '../backend/backend.ts'
import type { BinaryOp, ReduceOp, UnaryOp } from './scalar_ops.ts'
import type { DType, Strided } from './strided.ts'
import { allocate, formatShape, isContiguous, promote, sameShape, sizeOf } from './strided.ts'
import { shapeError } from './errors.ts'
import { checkElementCount } from './limits.ts'
import { Tensor } from './tensor.ts'
import { contiguousStrides } from '#kata/tensor/strides'
import { broadcastShapes } from '#kata/tensor/broadcast'
import { tensorMap } from '#kata/tensor/map_zip_reduce'

/** [start, end, step) along one axis; null keeps the whole axis. Negative start/end count from the end. */
export type SliceRange = readonly [start?: number, end?: number, step?: number] | null

export function empty(shape: readonly number[], dtype: DType, op = 'empty'): Tensor {
  checkElementCount(op, shape) // every new tensor's storage is allocated here or in output()
  return new Tensor(allocate(dtype, sizeOf(shape)), shape, contiguousStrides(shape), 0)
}

/** A fresh contiguous tensor for `backend` to write: on its device when it keeps outputs there. */
export function output(backend: Backend, shape: readonly number[], dtype: DType, op = 'output'): Tensor {
  checkElementCount(op, shape)
  const size = sizeOf(shape)
  return new Tensor(backend.allocateOutput?.(dtype, size) ?? allocate(dtype, size), shape, contiguousStrides(shape), 0)
}

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

export function map(op: UnaryOp, a: Tensor, p0 = 0, p1 = 0): Tensor {
  const backend = getBackend()
  const out = output(backend, a.shape, a.dtype, op)
  backend.map(op, a, out, p0, p1)
  return out
}

export function zip(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const backend = getBackend()
  const out = output(backend, broadcastShapesFor(op, a.shape, b.shape), promote(a.dtype, b.dtype), op)
  backend.zip(op, a, b, out)
  return out
}

/** Reduce over `axes` (sorted, normalized); the result keeps them as size 1 when keepDims. */
export function reduce(op: ReduceOp | 'mean', a: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  const kept = a.shape.map((d, i) => (axes.includes(i) ? 1 : d))
  if (op === 'max' && axes.some((axis) => a.shape[axis] === 0)) {
    throw shapeError('max', `cannot take the max over an empty axis of shape ${formatShape(a.shape)}`)
  }
  const backend = getBackend()
  let out = output(backend, kept, a.dtype, op)
  backend.reduce(op === 'mean' ? 'sum' : op, a, out)
  if (op === 'mean') {
    const count = sizeOf(a.shape) / Math.max(sizeOf(kept), 1)
    out = zip('div', out, scalar(count, a.dtype))
  }
  return keepDims ? out : reshape(out, a.shape.filter((_, i) => !axes.includes(i)))
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim < 2 || b.ndim < 2) {
    throw shapeError('matmul', `both operands need at least 2 dimensions, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`)
  }
  const [n, k] = a.shape.slice(-2) as [number, number]
  const [k2, m] = b.shape.slice(-2) as [number, number]
  if (k !== k2) {
    throw shapeError('matmul', `inner dimensions differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)} (${k} vs ${k2})`)
  }
  const batch = broadcastShapesFor(`matmul: batch dimensions of ${formatShape(a.shape)} @ ${formatShape(b.shape)}`, a.shape.slice(0, -2), b.shape.slice(0, -2))
  const backend = getBackend()
  const out = output(backend, [...batch, n, m], promote(a.dtype, b.dtype), 'matmul')
  backend.matmul(a, b, out)
  return out
}

/** A contiguous copy (or `a` itself when it already is one). */
export function contiguous(a: Tensor): Tensor {
  return isContiguous(a) ? a : map('copy', a)
}

export function cast(a: Tensor, dtype: DType): Tensor {
  if (a.dtype === dtype) return a
  const backend = getBackend()
  const out = output(backend, a.shape, dtype, 'cast')
  backend.map('copy', a, out, 0, 0)
  return out
}

export function scalar(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1)
  data[0] = value
  return new Tensor(data, [], [], 0)
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

/** A view when the data is contiguous, otherwise a contiguous copy first. */
export function reshape(a: Tensor, shape: readonly number[]): Tensor {
  const target = resolveShape('reshape', a.shape, shape)
  const source = contiguous(a)
  return new Tensor(source.storage, target, contiguousStrides(target), source.offset)
}

function asNdarray(a: Strided) {
  // Only the view arithmetic is used: device storage stays where it is (reading data would download it).
  return ndarray(a.device ? [] : a.data, [...a.shape], [...a.strides], a.offset)
}

/** Reorder the axes; a view (ndarray's transpose). */
export function permute(a: Tensor, dims: readonly number[]): Tensor {
  const sorted = [...dims].map((d) => (d < 0 ? d + a.ndim : d)).sort((x, y) => x - y)
  if (dims.length !== a.ndim || sorted.some((d, i) => d !== i)) {
    throw shapeError('permute', `[${dims.join(', ')}] is not a permutation of the ${a.ndim} axes of ${formatShape(a.shape)}`)
  }
  const view = asNdarray(a).transpose(...dims.map((d) => (d < 0 ? d + a.ndim : d)))
  return new Tensor(a.storage, view.shape, view.stride, view.offset)
}

/** Repeat size-1 (or missing leading) axes up to `shape` with stride 0: no copy. */
export function expand(a: Tensor, shape: readonly number[]): Tensor {
  const target = broadcastShapesFor('expand', a.shape, shape)
  if (!sameShape(target, shape)) {
    throw shapeError('expand', `cannot expand ${formatShape(a.shape)} to ${formatShape(shape)}`)
  }
  const lead = shape.length - a.ndim
  const strides = shape.map((d, i) => (i < lead || a.shape[i - lead] !== d ? 0 : a.strides[i - lead]!))
  return new Tensor(a.storage, shape, strides, a.offset)
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

/** A strided view of a sub-block (ndarray's lo/hi/step). */
export function slice(a: Tensor, ranges: readonly SliceRange[]): Tensor {
  const resolved = resolveRanges(a.shape, ranges)
  const view = asNdarray(a)
    .lo(...resolved.map(([start]) => start))
    .hi(...resolved.map(([start, end]) => end - start))
    .step(...resolved.map(([, , step]) => step))
  return new Tensor(a.storage, view.shape, view.stride, view.offset)
}

/** Copy `source` (broadcast to its shape) into the view `target`, which may be strided. */
export function assign(target: Strided, source: Strided): void {
  tensorMap((x) => x, source, target)
}

export function concat(tensors: readonly Tensor[], axis: number): Tensor {
  const first = tensors[0]
  if (!first) throw shapeError('concat', 'needs at least one tensor')
  const ax = normalizeAxis('concat', axis, first.ndim)
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw shapeError('concat', `shapes ${tensors.map((x) => formatShape(x.shape)).join(', ')} differ off axis ${ax}`)
    }
  }
  const shape = [...first.shape]
  shape[ax] = tensors.reduce((sum, t) => sum + t.shape[ax]!, 0)
  const out = empty(shape, promote(...tensors.map((t) => t.dtype)))
  let start = 0
  for (const t of tensors) {
    const ranges: SliceRange[] = shape.map(() => null)
    ranges[ax] = [start, start + t.shape[ax]!]
    assign(slice(out, ranges), t)
    start += t.shape[ax]!
  }
  return out
}

/** Nested JavaScript arrays, for printing and tests. */
export function toNested(a: Strided): unknown {
  if (a.shape.length === 0) return a.data[a.offset]
  const walk = (axis: number, offset: number): unknown[] => {
    const out: unknown[] = []
    for (let i = 0; i < a.shape[axis]!; i++) {
      const at = offset + i * a.strides[axis]!
      out.push(axis === a.shape.length - 1 ? a.data[at] : walk(axis + 1, at))
    }
    return out
  }
  return walk(0, a.offset)
}

