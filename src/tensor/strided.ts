// The one data layout every backend kernel reads and writes: flat storage plus shape, strides
// and an offset. A Tensor is a Strided; so is anything a backend is handed.
import type { DeviceBuffer } from '../backend/device_buffer.ts'
import type { DType, Storage } from './dtype.ts'

export type { DType, Storage } from './dtype.ts'

export interface Strided {
  /** The values on the host; for device-resident storage, reading this downloads them. */
  readonly data: Storage
  readonly shape: readonly number[]
  readonly strides: readonly number[]
  readonly offset: number
  /** The storage's device buffer, when it has one (see Backend.allocateOutput); check `resident` before using it. */
  readonly device?: DeviceBuffer | null
}

export function sizeOf(shape: readonly number[]): number {
  let size = 1
  for (const d of shape) size *= d
  return size
}

export function dtypeOf(data: Storage): DType {
  return data instanceof Float64Array ? 'float64' : 'float32'
}

export function allocate(dtype: DType, size: number): Storage {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size)
}

/** float64 wins: an op with any float64 input computes in float64 (gradcheck relies on it). */
export function promote(...dtypes: DType[]): DType {
  return dtypes.includes('float64') ? 'float64' : 'float32'
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}

/** Contiguous in row-major order with no gaps (size-1 axes may have any stride). */
export function isContiguous(t: Strided): boolean {
  let expected = 1
  for (let axis = t.shape.length - 1; axis >= 0; axis--) {
    const size = t.shape[axis]!
    if (size !== 1 && t.strides[axis] !== expected) return false
    expected *= size
  }
  return true
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`
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
