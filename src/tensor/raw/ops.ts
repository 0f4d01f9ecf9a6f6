// The raw ops: tensor values computed with no graph. Each allocates its result and runs the
// backend, or builds a view. src/autograd/ops.ts pairs the ones with a gradient with their backward
// formulas; call these directly only where no gradient may flow (always as `raw.map`, `raw.zip`,
// ... through `import * as raw`, so they never read as the differentiable ops of the same name).
// Loading this module installs map, zip and cast on Tensor for its graph-free methods (clone, to,
// the comparisons).
import ndarray from 'ndarray'
import { getBackend } from '../../backend/index.ts'
import type { Backend } from '../../backend/backend.ts'
import type { BinaryOp, ReduceOp, UnaryOp } from '../scalar_ops.ts'
import type { DType, Strided } from '../strided.ts'
import { allocate, formatShape, isContiguous, promote, sameShape, sizeOf } from '../strided.ts'
import { shapeError } from '../errors.ts'
import type { SliceRange } from '../shape.ts'
import { broadcastShapesFor, normalizeAxis, resolveRanges, resolveShape } from '../shape.ts'
import { checkElementCount } from '../limits.ts'
import { Tensor, installRawOps, scalar } from '../tensor.ts'
import { contiguousStrides } from '#kata/tensor/strides'
import { tensorMap } from '#kata/tensor/map_zip_reduce'

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

installRawOps({ map, zip, cast })
