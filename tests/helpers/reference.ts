// A float64 reference for the tensor library, written as plain loops over row-major arrays and
// sharing no code with src/ or solutions/: the independent answer every property compares against.
// An Nd is a shape plus its values in row-major order; a Tensor enters through toArray().
import * as assert from 'uvu/assert'
import type { Tensor } from '../../src/index.ts'

export interface Nd {
  readonly shape: readonly number[]
  readonly data: Float64Array
}

export function sizeOfShape(shape: readonly number[]): number {
  let size = 1
  for (const d of shape) size *= d
  return size
}

export function nd(shape: readonly number[], values: ArrayLike<number>): Nd {
  if (values.length !== sizeOfShape(shape)) throw new Error(`nd: ${values.length} values for shape [${shape}]`)
  return { shape: [...shape], data: Float64Array.from(values) }
}

export function fullNd(shape: readonly number[], value: number): Nd {
  return { shape: [...shape], data: new Float64Array(sizeOfShape(shape)).fill(value) }
}

/** The multi-index of the `ordinal`-th element of a row-major array of `shape`. */
export function unravel(ordinal: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length)
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = ordinal % shape[axis]!
    ordinal = Math.floor(ordinal / shape[axis]!)
  }
  return index
}

export function ravel(index: readonly number[], shape: readonly number[]): number {
  let ordinal = 0
  for (let axis = 0; axis < shape.length; axis++) ordinal = ordinal * shape[axis]! + index[axis]!
  return ordinal
}

/** A tensor's values through toArray(), checking that the nesting matches its shape. */
export function fromTensor(t: Tensor): Nd {
  const flat: number[] = []
  const walk = (level: unknown, axis: number): void => {
    if (axis === t.shape.length) {
      assert.type(level, 'number', `toArray: expected a number at depth ${axis}`)
      flat.push(level as number)
      return
    }
    assert.ok(Array.isArray(level) && level.length === t.shape[axis], `toArray: expected ${t.shape[axis]} entries at depth ${axis} of shape [${t.shape}]`)
    for (const item of level as unknown[]) walk(item, axis + 1)
  }
  walk(t.toArray(), 0)
  return nd(t.shape, flat)
}

export function toNested(a: Nd): unknown {
  if (a.shape.length === 0) return a.data[0]
  const walk = (axis: number, start: number, span: number): unknown[] => {
    const n = a.shape[axis]!
    const inner = span / n
    return Array.from({ length: n }, (_, i) => (axis === a.shape.length - 1 ? a.data[start + i] : walk(axis + 1, start + i * inner, inner)))
  }
  return walk(0, 0, a.data.length)
}

export function reshape(a: Nd, shape: readonly number[]): Nd {
  return nd(shape, a.data)
}

// ---- element-wise --------------------------------------------------------------------------

export function map(a: Nd, f: (x: number) => number): Nd {
  return { shape: [...a.shape], data: a.data.map(f) }
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1
    const db = b[b.length - n + i] ?? 1
    if (da !== db && da !== 1 && db !== 1) throw new Error(`reference: [${a}] and [${b}] do not broadcast`)
    out.push(da === 1 ? db : da)
  }
  return out
}

/** The ordinal in an array of `shape` that index `outIndex` of a bigger broadcast shape reads. */
export function broadcastOrdinal(outIndex: readonly number[], shape: readonly number[]): number {
  const lead = outIndex.length - shape.length
  let ordinal = 0
  for (let axis = 0; axis < shape.length; axis++) ordinal = ordinal * shape[axis]! + (shape[axis] === 1 ? 0 : outIndex[axis + lead]!)
  return ordinal
}

export function zip(a: Nd, b: Nd, f: (x: number, y: number) => number): Nd {
  const shape = broadcastShape(a.shape, b.shape)
  const data = new Float64Array(sizeOfShape(shape))
  for (let i = 0; i < data.length; i++) {
    const index = unravel(i, shape)
    data[i] = f(a.data[broadcastOrdinal(index, a.shape)]!, b.data[broadcastOrdinal(index, b.shape)]!)
  }
  return { shape, data }
}

export function expand(a: Nd, shape: readonly number[]): Nd {
  const data = new Float64Array(sizeOfShape(shape))
  for (let i = 0; i < data.length; i++) data[i] = a.data[broadcastOrdinal(unravel(i, shape), a.shape)]!
  return { shape: [...shape], data }
}

/** Sum a gradient of a broadcast shape back down to `shape` (what broadcasting's backward does). */
export function sumTo(g: Nd, shape: readonly number[]): Nd {
  const data = new Float64Array(sizeOfShape(shape))
  for (let i = 0; i < g.data.length; i++) data[broadcastOrdinal(unravel(i, g.shape), shape)]! += g.data[i]!
  return { shape: [...shape], data }
}

// ---- reductions ------------------------------------------------------------------------------

export type ReduceKind = 'sum' | 'mean' | 'max'

/** Reduce over `axes` (non-negative, any order; undefined is all axes). */
export function reduce(a: Nd, axes: readonly number[] | undefined, keepDims: boolean, kind: ReduceKind): Nd {
  const over = axes ?? a.shape.map((_, i) => i)
  const kept = a.shape.map((d, i) => (over.includes(i) ? 1 : d))
  const acc = new Float64Array(sizeOfShape(kept)).fill(kind === 'max' ? -Infinity : 0)
  for (let i = 0; i < a.data.length; i++) {
    const index = unravel(i, a.shape).map((x, axis) => (over.includes(axis) ? 0 : x))
    const j = ravel(index, kept)
    const x = a.data[i]!
    acc[j] = kind === 'max' ? (x > acc[j]! || Number.isNaN(x) ? x : acc[j]!) : acc[j]! + x
  }
  if (kind === 'mean') {
    const count = a.data.length / Math.max(acc.length, 1)
    for (let j = 0; j < acc.length; j++) acc[j]! /= count
  }
  return { shape: keepDims ? kept : a.shape.filter((_, i) => !over.includes(i)), data: acc }
}

/** max + log(sum(exp(x - max))), with an all -Infinity slice giving -Infinity. */
export function logSumExp(a: Nd, axes: readonly number[] | undefined, keepDims: boolean): Nd {
  const m = reduce(a, axes, true, 'max')
  const shift = map(m, (x) => (Number.isFinite(x) ? x : 0))
  const s = reduce(zip(a, shift, (x, c) => Math.exp(x - c)), axes, true, 'sum')
  const out = zip(map(s, Math.log), shift, (x, c) => x + c)
  return keepDims ? out : reshape(out, a.shape.filter((_, i) => !(axes ?? a.shape.map((_, k) => k)).includes(i)))
}

export function logSoftmax(a: Nd, axis: number): Nd {
  return zip(a, logSumExp(a, [axis], true), (x, l) => x - l)
}

export function softmax(a: Nd, axis: number): Nd {
  return map(logSoftmax(a, axis), Math.exp)
}

// ---- products and shapes ---------------------------------------------------------------------

/** a [...batch, n, k] @ b [...batch, k, m], batch axes broadcast; sums in float64. */
export function matmul(a: Nd, b: Nd): Nd {
  const [n, k] = a.shape.slice(-2) as [number, number]
  const [k2, m] = b.shape.slice(-2) as [number, number]
  if (k !== k2) throw new Error(`reference matmul: [${a.shape}] @ [${b.shape}]`)
  const aBatch = a.shape.slice(0, -2)
  const bBatch = b.shape.slice(0, -2)
  const batch = broadcastShape(aBatch, bBatch)
  const shape = [...batch, n, m]
  const data = new Float64Array(sizeOfShape(shape))
  for (let t = 0; t < sizeOfShape(batch); t++) {
    const index = unravel(t, batch)
    const aBase = broadcastOrdinal(index, aBatch) * n * k
    const bBase = broadcastOrdinal(index, bBatch) * k * m
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let sum = 0
        for (let p = 0; p < k; p++) sum += a.data[aBase + i * k + p]! * b.data[bBase + p * m + j]!
        data[t * n * m + i * m + j] = sum
      }
    }
  }
  return { shape, data }
}

/** out axis i is a's axis dims[i]. */
export function permute(a: Nd, dims: readonly number[]): Nd {
  const shape = dims.map((d) => a.shape[d]!)
  const data = new Float64Array(a.data.length)
  for (let i = 0; i < data.length; i++) {
    const outIndex = unravel(i, shape)
    const inIndex = new Array<number>(a.shape.length)
    dims.forEach((d, axis) => (inIndex[d] = outIndex[axis]!))
    data[i] = a.data[ravel(inIndex, a.shape)]!
  }
  return { shape, data }
}

/** Swap the last two axes. */
export function transpose(a: Nd): Nd {
  const dims = a.shape.map((_, i) => i)
  const n = dims.length
  ;[dims[n - 2], dims[n - 1]] = [dims[n - 1]!, dims[n - 2]!]
  return permute(a, dims)
}

export type Range = readonly [start?: number, end?: number, step?: number] | null

/** Python's a[start:end:step] along each axis (positive steps). */
export function slice(a: Nd, ranges: readonly Range[]): Nd {
  const picks = a.shape.map((size, axis) => {
    const range = ranges[axis] ?? null
    const step = range?.[2] ?? 1
    const fix = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size)
    const start = fix(range?.[0] ?? 0)
    const end = fix(range?.[1] ?? size)
    const picked: number[] = []
    for (let i = start; i < end; i += step) picked.push(i)
    return picked
  })
  const shape = picks.map((p) => p.length)
  const data = new Float64Array(sizeOfShape(shape))
  for (let i = 0; i < data.length; i++) {
    data[i] = a.data[ravel(unravel(i, shape).map((x, axis) => picks[axis]![x]!), a.shape)]!
  }
  return { shape, data }
}

export function concat(list: readonly Nd[], axis: number): Nd {
  const shape = [...list[0]!.shape]
  shape[axis] = list.reduce((s, t) => s + t.shape[axis]!, 0)
  const data = new Float64Array(sizeOfShape(shape))
  for (let i = 0; i < data.length; i++) {
    const index = unravel(i, shape)
    let at = index[axis]!
    let which = 0
    while (at >= list[which]!.shape[axis]!) at -= list[which++]!.shape[axis]!
    index[axis] = at
    data[i] = list[which]!.data[ravel(index, list[which]!.shape)]!
  }
  return { shape, data }
}

// ---- comparing -------------------------------------------------------------------------------

function asNd(x: Tensor | Nd | number): Nd {
  if (typeof x === 'number') return nd([], [x])
  return 'toArray' in x ? fromTensor(x) : x
}

/**
 * Assert equal shapes and values within `tol`: each element's error is |actual - expected| /
 * max(1, |expected|) (relative for large values, absolute near 0). NaN matches NaN and an infinity
 * matches the same infinity. On failure the message names the worst element and both values.
 */
export function assertClose(actual: Tensor | Nd | number, expected: Tensor | Nd | number, tol = 1e-6, label = ''): void {
  const a = asNd(actual)
  const e = asNd(expected)
  const prefix = label ? `${label}: ` : ''
  assert.equal([...a.shape], [...e.shape], `${prefix}shape [${a.shape}] differs from the expected [${e.shape}]`)
  let worst = 0
  let at = -1
  for (let i = 0; i < e.data.length; i++) {
    const x = a.data[i]!
    const y = e.data[i]!
    let error: number
    if (Number.isNaN(x) || Number.isNaN(y)) error = Number.isNaN(x) && Number.isNaN(y) ? 0 : Infinity
    else if (!Number.isFinite(x) || !Number.isFinite(y)) error = x === y ? 0 : Infinity
    else error = Math.abs(x - y) / Math.max(1, Math.abs(y))
    if (error > worst || (at < 0 && error > tol)) {
      worst = error
      at = i
    }
  }
  if (worst > tol) {
    const index = unravel(at, e.shape)
    assert.unreachable(
      `${prefix}worst element at [${index}] of shape [${e.shape}]: actual ${a.data[at]}, expected ${e.data[at]} ` +
        `(error ${worst.toExponential(2)} > tolerance ${tol.toExponential(2)})`,
    )
  }
}
