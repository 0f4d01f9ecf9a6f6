// The WebAssembly side of the cpu backend: kernels.wat assembled and compiled once, one shared
// memory that every thread's instance works in, and a bump allocator for each call's buffers.
//
// Memory map: the first 64 KiB hold the thread pool's control block (pool.ts); each backend call
// then allocates its buffers above it and releases them all when it returns (beginCall). Tensors
// live in ordinary JavaScript arrays, so a kernel's inputs are copied in and its output copied out.
import { readFileSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import type { Strided } from '../../tensor/strided.ts'
import { isContiguous, sizeOf } from '../../tensor/strided.ts'
import { assemble } from './wat.ts'

// The WebAssembly JS API as this backend uses it (the project compiles against ES2022 and Node's
// types, which do not declare it).
declare global {
  namespace WebAssembly {
    class Module {
      constructor(bytes: Uint8Array<ArrayBuffer>)
      static exports(module: Module): { name: string; kind: string }[]
    }
    class Instance {
      constructor(module: Module, imports: Record<string, Record<string, unknown>>)
      readonly exports: Record<string, unknown>
    }
    class Memory {
      constructor(descriptor: { initial: number; maximum?: number; shared?: boolean })
      readonly buffer: ArrayBuffer
      grow(pages: number): number
    }
    function validate(bytes: Uint8Array<ArrayBuffer>): boolean
  }
}

/** The kernels kernels.wat exports, by name. */
export interface Kernels {
  pack_a(src: number, rs: number, cs: number, n: number, k: number, dst: number, q0: number, q1: number): void
  pack_b(src: number, rs: number, cs: number, k: number, m: number, dst: number, q0: number, q1: number): void
  gemm(a: number, b: number, c: number, ldc: number, k: number, i0: number, i1: number, j0: number, j1: number): void
  im2col(...args: number[]): void
  col2im(...args: number[]): void
  swap_outer(src: number, sa: number, sb: number, dst: number, countA: number, run: number, b0: number, b1: number): void
  map_range(op: number, src: number, dst: number, params: number, i0: number, i1: number): void
  zip(op: number, a: number, sa: number, b: number, sb: number, dst: number, n: number): void
  zip_rows(op: number, a: number, aq: number, aj: number, sa: number, b: number, bq: number, bj: number, sb: number, dst: number, inner: number, n: number, r0: number, r1: number): void
  reduce_rows(op: number, src: number, dst: number, n: number, r0: number, r1: number): void
  reduce_columns(op: number, src: number, dst: number, acc: number, n: number, rows: number): void
  reduce_middle(op: number, src: number, dst: number, outer: number, middle: number, inner: number, b0: number, b1: number): void
  copy2d(src: number, rs: number, cs: number, cols: number, dst: number, r0: number, r1: number): void
  adam(p: number, g: number, m: number, v: number, h: number, decoupled: number, i0: number, i1: number): void
}
export type KernelName = keyof Kernels
/** The order kernels are numbered in when a job names one across threads. */
export const kernelNames: readonly KernelName[] = ['pack_a', 'pack_b', 'gemm', 'im2col', 'col2im', 'swap_outer', 'zip', 'reduce_rows', 'reduce_columns', 'copy2d', 'reduce_middle', 'adam', 'map_range', 'zip_rows']

const PAGE = 65536
/** Addresses stay below 2^31 so they fit the i32 arguments the kernels take. */
const MAX_PAGES = 32767
export const CONTROL_BYTES = PAGE

export interface Runtime {
  readonly module: WebAssembly.Module
  readonly memory: WebAssembly.Memory
  readonly kernels: Kernels
  /** Whether the GEMM uses fused multiply-adds (relaxed SIMD), or multiplies then adds. */
  readonly relaxedSimd: boolean
}

let runtime: Runtime | null = null

/** The source of the kernels (read once; wat.ts turns it into the binary). */
export function kernelSource(): string {
  return readFileSync(new URL('./kernels.wat', import.meta.url), 'utf8')
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernels {
  const instance = new WebAssembly.Instance(module, { env: { memory } })
  return instance.exports as unknown as Kernels
}

/** A module that uses f32x4.relaxed_madd, to ask the engine whether it has relaxed SIMD. */
const relaxedProbe = '(module (func (param v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0))))'

/**
 * Whether this engine runs relaxed SIMD. Node 22 has it; Node 20's V8 has it behind a flag, which
 * is turned on here (it only adds instructions). GENKATA_RELAXED_SIMD=0 keeps it off.
 */
export function relaxedSimdAvailable(): boolean {
  if (process.env.GENKATA_RELAXED_SIMD === '0') return false
  const bytes = assemble(relaxedProbe)
  if (WebAssembly.validate(bytes)) return true
  setFlagsFromString('--experimental-wasm-relaxed-simd')
  return WebAssembly.validate(bytes)
}

/** Assemble, compile and instantiate on first use. */
export function getRuntime(): Runtime {
  if (!runtime) {
    const relaxedSimd = relaxedSimdAvailable()
    const module = new WebAssembly.Module(assemble(kernelSource(), { relaxedSimd }))
    const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true })
    runtime = { module, memory, kernels: instantiate(module, memory), relaxedSimd }
  }
  return runtime
}

// ---- per-call buffers --------------------------------------------------------------------------

let top = CONTROL_BYTES
let heapView: Float32Array | null = null

/** A Float32Array over the whole memory (re-made after the memory grows). */
export function heap(): Float32Array {
  const { memory } = getRuntime()
  if (!heapView || heapView.buffer !== memory.buffer) heapView = new Float32Array(memory.buffer)
  return heapView
}

/** Release every buffer of the previous call: each backend entry point starts with this. */
export function beginCall(): void {
  top = CONTROL_BYTES
}

/** The allocator's position, to release everything allocated after it. */
export function mark(): number {
  return top
}

export function release(position: number): void {
  top = position
}

/** `floats` float32s of scratch, 64-byte aligned (plus 64 bytes of slack); returns a byte address. */
export function alloc(floats: number): number {
  const address = top
  const end = address + Math.ceil((floats * 4 + 64) / 64) * 64
  const { memory } = getRuntime()
  if (end > memory.buffer.byteLength) {
    const pages = Math.ceil((end - memory.buffer.byteLength) / PAGE)
    if (memory.buffer.byteLength / PAGE + pages > MAX_PAGES) {
      throw new RangeError(`cpu backend: a call needs ${(end / 2 ** 20).toFixed(0)} MiB of WebAssembly memory, more than the ${Math.floor((MAX_PAGES * PAGE) / 2 ** 20)} MiB it can address`)
    }
    memory.grow(pages)
  }
  top = end
  return address
}

/** A strided view copied into wasm memory: the address of its first element and its byte strides. */
export interface Staged {
  address: number
  strides: number[]
}

/**
 * Copy a float32 view into wasm memory, keeping its layout: the span of storage it covers is copied
 * in one block (a transposed or broadcast view stays transposed or broadcast, and the kernels read it
 * through its strides). A sparse view (a thin slice of a large array) is gathered densely instead.
 */
export function stage(t: Strided): Staged {
  let lo = t.offset
  let hi = t.offset
  let size = 1
  for (let axis = 0; axis < t.shape.length; axis++) {
    const reach = (t.shape[axis]! - 1) * t.strides[axis]!
    if (reach < 0) lo += reach
    else hi += reach
    size *= t.shape[axis]!
  }
  if (hi - lo + 1 <= 2 * size + 64) {
    const address = alloc(hi - lo + 1)
    heap().set(t.data.subarray(lo, hi + 1), address / 4)
    return { address: address + (t.offset - lo) * 4, strides: t.strides.map((s) => s * 4) }
  }
  const address = alloc(size)
  gather(t, heap(), address / 4)
  const strides = new Array<number>(t.shape.length)
  for (let axis = t.shape.length - 1, s = 4; axis >= 0; axis--) {
    strides[axis] = s
    s *= t.shape[axis]!
  }
  return { address, strides }
}

/** Copy a float32 view into wasm memory as a dense row-major array; returns its byte address. */
export function stageDense(t: Strided): number {
  const size = sizeOf(t.shape)
  const address = alloc(size)
  if (isContiguous(t)) heap().set(t.data.subarray(t.offset, t.offset + size), address / 4)
  else gather(t, heap(), address / 4)
  return address
}

/** Copy `t` in row-major order into dst from index `at`. */
function gather(t: Strided, dst: Float32Array, at: number): void {
  const nd = t.shape.length
  const index = new Array<number>(nd).fill(0)
  const inner = nd === 0 ? 1 : t.shape[nd - 1]!
  const innerStride = nd === 0 ? 0 : t.strides[nd - 1]!
  const rows = inner === 0 ? 0 : (t.shape.reduce((p, d) => p * d, 1) / inner)
  for (let r = 0; r < rows; r++) {
    let offset = t.offset
    for (let axis = 0; axis < nd - 1; axis++) offset += index[axis]! * t.strides[axis]!
    for (let j = 0; j < inner; j++) dst[at++] = t.data[offset + j * innerStride]!
    for (let axis = nd - 2; axis >= 0; axis--) {
      if (++index[axis]! < t.shape[axis]!) break
      index[axis] = 0
    }
  }
}
