// Host-side bookkeeping around the kernels: turning any Strided view into what a kernel reads
// (a slice of the storage plus strides), and fewer axes.
//
// Kernels index with float32 arithmetic on the webasm and webgpu backends, exact only below 2^24,
// so every buffer a kernel sees is checked against that limit.
import type { Strided } from '../../tensor/strided.ts'
import { formatShape } from '../../tensor/strided.ts'

/** The largest index float32 arithmetic addresses exactly. */
export const MAX_INDEX = 2 ** 24

/** An operand as a kernel sees it: strides over a fresh view of the storage that starts at 0. */
export interface KernelOperand {
  readonly data: Float32Array
  readonly strides: readonly number[]
}

/** Broadcast strides: a's strides right-aligned on `shape`, 0 where a has size 1 or no axis. */
export function broadcastStrides(a: Strided, shape: readonly number[]): number[] {
  const lead = shape.length - a.shape.length
  return shape.map((d, i) => (i < lead || a.shape[i - lead] === 1 ? 0 : a.strides[i - lead]!))
}

/**
 * Merge adjacent axes that every operand walks as one (stride[i] = stride[i + 1] * size[i + 1]) and
 * drop axes of size 1: [2, 3, 4] contiguous becomes [24]. Returns the new shape and, per operand,
 * the new strides.
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = []
  const outStrides: number[][] = strides.map(() => [])
  for (let axis = 0; axis < shape.length; axis++) {
    const size = shape[axis]!
    if (size === 1) continue
    const last = outShape.length - 1
    const mergeable = last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[axis]! * size)
    if (mergeable) {
      outShape[last]! *= size
      strides.forEach((s, k) => (outStrides[k]![last] = s[axis]!))
    } else {
      outShape.push(size)
      strides.forEach((s, k) => outStrides[k]!.push(s[axis]!))
    }
  }
  return { shape: outShape, strides: outStrides }
}

/** How many storage elements, from `offset` on, a view of `shape` and `strides` reaches. */
export function spanOf(shape: readonly number[], strides: readonly number[]): number {
  let last = 0
  for (let axis = 0; axis < shape.length; axis++) {
    if (shape[axis] === 0) return 0
    last += (shape[axis]! - 1) * strides[axis]!
  }
  return last + 1
}

/**
 * The part of a's storage a kernel needs, starting at `offset`: a subarray, so a kernel reads from
 * index 0 and the same compiled kernel serves every offset (slices of a batch, say).
 */
export function operandData(op: string, a: Strided, offset: number, shape: readonly number[], strides: readonly number[]): Float32Array {
  if (!(a.data instanceof Float32Array)) {
    throw new Error(`${op}: expected float32 storage, got ${a.data.constructor.name}`)
  }
  const span = operandSpan(op, shape, strides)
  return a.data.subarray(offset, offset + span)
}

/** How many storage elements a kernel operand reaches (at least 1), checked against what kernels index. */
export function operandSpan(op: string, shape: readonly number[], strides: readonly number[]): number {
  if (strides.some((s) => s < 0)) throw new Error(`${op}: negative strides [${strides}] are not supported`)
  const span = Math.max(spanOf(shape, strides), 1)
  if (span > MAX_INDEX) {
    throw new Error(`${op}: an operand of shape ${formatShape(shape)} spans ${span} elements; gpu.js kernels index in float32, exact only below 2^24 = ${MAX_INDEX}`)
  }
  return span
}

/**
 * Split `shape` into leading axes looped over on the host and at most `rank` trailing axes a
 * kernel handles: calls `body` once per leading index with each operand's offset (strides per
 * operand, offsets start at `base`).
 */
export function forEachBlock(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  base: readonly number[],
  rank: number,
  body: (offsets: number[], block: number) => void,
): void {
  const lead = Math.max(shape.length - rank, 0)
  const leadShape = shape.slice(0, lead)
  let blocks = 1
  for (const d of leadShape) blocks *= d
  const index = new Array<number>(lead).fill(0)
  for (let block = 0; block < blocks; block++) {
    body(
      strides.map((s, k) => index.reduce((at, i, axis) => at + i * s[axis]!, base[k]!)),
      block,
    )
    for (let axis = lead - 1; axis >= 0; axis--) {
      if (++index[axis]! < leadShape[axis]!) break
      index[axis] = 0
    }
  }
}

/** Pad a shape (or strides) on the left to `rank` entries with `fill`. */
export function padLeft(values: readonly number[], rank: number, fill: number): number[] {
  return [...new Array<number>(Math.max(rank - values.length, 0)).fill(fill), ...values.slice(Math.max(values.length - rank, 0))]
}
