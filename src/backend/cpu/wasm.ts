// The WebAssembly side of the cpu backend: kernels.wat assembled and compiled once, one shared
// memory that every thread's instance works in, and a bump allocator for each call's buffers.
//
// Memory map: the first 64 KiB hold the thread pool's control block (pool.ts); above it, the blocks
// of tensor storage that lives in wasm memory (resident.ts claims them and keeps them, reusing freed
// ones); above those, each backend call allocates its scratch buffers and releases them all when it
// ends (beginCall, endCall).
import { readFileSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
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
  im2col_quads(...args: number[]): void
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
export const kernelNames: readonly KernelName[] = ['pack_a', 'pack_b', 'gemm', 'im2col', 'col2im', 'swap_outer', 'zip', 'reduce_rows', 'reduce_columns', 'copy2d', 'reduce_middle', 'adam', 'map_range', 'zip_rows', 'im2col_quads']

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
/** End of the region resident blocks have claimed: each call's scratch starts here. */
let residentTop = CONTROL_BYTES
let heapView: Float32Array | null = null

/** Every SharedArrayBuffer the memory has been seen as (a new one each time it grows; views of the old ones stay valid). */
const memoryBuffers = new WeakSet<object>()

/** A Float32Array over the whole memory (re-made after the memory grows). */
export function heap(): Float32Array {
  const { memory } = getRuntime()
  if (!heapView || heapView.buffer !== memory.buffer) {
    heapView = new Float32Array(memory.buffer)
    memoryBuffers.add(memory.buffer)
  }
  return heapView
}

/** The byte address of a typed array that is a view of wasm memory; -1 for any other array. */
export function addressOf(array: ArrayBufferView): number {
  return memoryBuffers.has(array.buffer) ? array.byteOffset : -1
}

/** Release every buffer of the previous call: each backend entry point starts with this. */
export function beginCall(): void {
  top = residentTop
}

/** Release the call's buffers (the backend's entry points end with this), so a claim lands right above the resident blocks. */
export function endCall(): void {
  top = residentTop
}

/** The allocator's position, to release everything allocated after it. */
export function mark(): number {
  return top
}

export function release(position: number): void {
  top = position
}

/** Grow the memory to hold `end` bytes; false when that is past what it can address. */
function reach(end: number): boolean {
  const { memory } = getRuntime()
  if (end <= memory.buffer.byteLength) return true
  const pages = Math.ceil((end - memory.buffer.byteLength) / PAGE)
  if (memory.buffer.byteLength / PAGE + pages > MAX_PAGES) return false
  memory.grow(pages)
  return true
}

/** `floats` float32s of scratch, 64-byte aligned (plus 64 bytes of slack); returns a byte address. */
export function alloc(floats: number): number {
  const address = top
  const end = address + Math.ceil((floats * 4 + 64) / 64) * 64
  if (!reach(end)) {
    throw new RangeError(`cpu backend: a call needs ${(end / 2 ** 20).toFixed(0)} MiB of WebAssembly memory, more than the ${Math.floor((MAX_PAGES * PAGE) / 2 ** 20)} MiB it can address`)
  }
  top = end
  return address
}

/**
 * A new block of `bytes` (a multiple of 64) for resident storage, above every live buffer; it
 * stays claimed for good (resident.ts reuses it once freed). Returns its address, or -1 when the
 * memory cannot grow that far.
 */
export function claim(bytes: number): number {
  const address = top
  if (!reach(address + bytes)) return -1
  residentTop = top = address + bytes
  return address
}

/** Bytes claimed for resident blocks (and the control block below them). */
export function claimedBytes(): number {
  return residentTop
}
