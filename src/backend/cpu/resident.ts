// Tensor storage that lives in wasm memory, and operands brought into it.
//
// Outputs of float32 ops are blocks of wasm memory (allocateResident), so the next kernel reads
// them where they are and a kernel writes its result in place: no copy in, no copy out, and no
// fresh typed array to zero and page-fault in on every op. To JavaScript they are device storage,
// like the gpu.js-webgpu backend's buffers (device_buffer.ts): reading `data` copies the values
// out once and frees the block, and dispose(), tidy() and the garbage collector free it too.
// JavaScript never holds a view of a tensor's block, so a freed block can be reused with no view
// left to see it change. The one kind of storage JavaScript does see in wasm memory is an
// optimizer's state (allocateState: Adam's m and v, which only the optimizer and its one-pass
// kernel touch): a Float32Array over its block, freed only once that array is collected.
//
// Freed blocks are kept by size class and reused for the next output of that class: a training
// step makes the same shapes every time. A synchronous loop without tidy() frees nothing until it
// yields (finalizers run between event-loop turns), so past residentTuning.maxBytes new outputs
// are ordinary typed arrays again; counted in residentInfo().fallbacks.
import { DeviceBuffer, type DeviceOwner } from '../device_buffer.ts'
import type { DType } from '../../tensor/dtype.ts'
import type { Strided } from '../../tensor/strided.ts'
import { isContiguous, sizeOf } from '../../tensor/strided.ts'
import { alloc, claim, claimedBytes, heap } from './wasm.ts'

export const residentTuning = {
  /** Smaller outputs stay ordinary arrays: ops that small run TypeScript loops, which read `data`. */
  minFloats: 512,
  /** Bytes of wasm memory resident blocks may claim; past it, new outputs are ordinary arrays. */
  maxBytes: 1024 * 2 ** 20,
  /** Fill every block handed out with NaN, so a kernel that leaves part of its output unwritten shows (tests). */
  poison: false,
}

/** Freed blocks by size class (bytes), ready for reuse. */
const freeBlocks = new Map<number, number[]>()
/** The size class of every block in use, by address. */
const inUse = new Map<number, number>()
let liveBytes = 0
let fallbacks = 0

/**
 * A block's size for `bytes`: 8 classes per doubling, so a block is at most 12.5% larger than
 * asked and a freed block serves every later request of its class.
 */
function sizeClass(bytes: number): number {
  const step = Math.max(64, 2 ** (Math.floor(Math.log2(bytes)) - 3))
  return Math.ceil(bytes / step) * step
}

/** The owner of resident blocks: what a DeviceBuffer calls to read one back or free it. */
export const wasmOwner: DeviceOwner = {
  name: 'cpu',
  read(id: number, length: number): Float32Array {
    return heap().slice(id / 4, id / 4 + length)
  },
  release(id: number): void {
    const size = inUse.get(id)
    if (size === undefined) throw new Error(`cpu backend: resident block at ${id} freed twice or never handed out`)
    inUse.delete(id)
    liveBytes -= size
    const list = freeBlocks.get(size)
    if (list) list.push(id)
    else freeBlocks.set(size, [id])
  },
}

/** A block for `size` float32s (a freed one of its class, or a new claim); -1 past the limit. */
function takeBlock(size: number): number {
  // 64 bytes of slack: vector kernels may write a few floats past the end of a row (as alloc's scratch allows).
  const bytes = sizeClass(size * 4 + 64)
  let address = freeBlocks.get(bytes)?.pop()
  if (address === undefined) {
    address = claimedBytes() + bytes > residentTuning.maxBytes ? -1 : claim(bytes)
    if (address < 0) {
      fallbacks++
      return -1
    }
  }
  inUse.set(address, bytes)
  liveBytes += bytes
  if (residentTuning.poison) heap().fill(NaN, address / 4, (address + bytes) / 4)
  return address
}

/** A resident block for an output of `size` values; undefined (ordinary storage) for float64, small outputs, or past the limit. */
export function allocateResident(dtype: DType, size: number): DeviceBuffer | undefined {
  if (dtype !== 'float32' || size < residentTuning.minFloats) return undefined
  const address = takeBlock(size)
  return address < 0 ? undefined : new DeviceBuffer(wasmOwner, address, 'float32', size)
}

/** Frees a state block once its array is collected (nothing else refers to the block). */
const stateCollected = new FinalizationRegistry<number>((address) => wasmOwner.release(address))

/**
 * Zeroed float32 storage for an optimizer's state, as a Float32Array over a block of wasm memory,
 * so the one-pass update reads and writes it where it is; undefined (ordinary storage) as for
 * allocateResident. The block is freed once the array is collected.
 */
export function allocateState(dtype: DType, size: number): Float32Array | undefined {
  if (dtype !== 'float32' || size < residentTuning.minFloats) return undefined
  const address = takeBlock(size)
  if (address < 0) return undefined
  const view = new Float32Array(heap().buffer, address, size).fill(0)
  stateCollected.register(view, address)
  return view
}

/** Resident blocks in use and their bytes, bytes claimed in all, and outputs that got ordinary arrays because the limit was reached. */
export function residentInfo(): { blocks: number; liveBytes: number; claimedBytes: number; fallbacks: number } {
  return { blocks: inUse.size, liveBytes, claimedBytes: claimedBytes(), fallbacks }
}

/** t's storage when it is a resident block of this backend's; null otherwise (host storage, another device's, or downloaded). */
function residentBlock(t: Strided): DeviceBuffer | null {
  const d = t.device
  return d && d.owner === wasmOwner && d.resident ? d : null
}

/** Byte address of t's first element when its storage is a resident block; -1 otherwise. */
export function residentAddress(t: Strided): number {
  const block = residentBlock(t)
  return block ? block.id + t.offset * 4 : -1
}

/** t as a view of the memory the backend reads: the wasm heap for a resident block (no download), else t itself. */
export function hostView(t: Strided): Strided {
  const block = residentBlock(t)
  return block ? { data: heap(), shape: t.shape, strides: t.strides, offset: block.id / 4 + t.offset } : t
}

/** Whether a kernel may take t as float32: decided without downloading device storage. */
export function isFloat32(t: Strided): boolean {
  const d = t.device
  return d ? d.dtype === 'float32' : t.data instanceof Float32Array
}

// ---- operands and outputs in wasm memory ----------------------------------------------------------

/** A strided view in wasm memory: the address of its first element and its byte strides. */
export interface Staged {
  address: number
  strides: number[]
}

/**
 * A float32 view in wasm memory, keeping its layout: a resident view where it is; otherwise the
 * span of storage it covers copied in one block (a transposed or broadcast view stays transposed
 * or broadcast, and the kernels read it through its strides). A sparse view (a thin slice of a
 * large array) is gathered densely instead.
 */
export function stage(t: Strided): Staged {
  const resident = residentAddress(t)
  if (resident >= 0) return { address: resident, strides: t.strides.map((s) => s * 4) }
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

/** A float32 view in wasm memory as a dense row-major array (resident and contiguous: where it is); returns its byte address. */
export function stageDense(t: Strided): number {
  const resident = residentAddress(t)
  if (resident >= 0 && isContiguous(t)) return resident
  const size = sizeOf(t.shape)
  const address = alloc(size)
  const source = hostView(t)
  if (isContiguous(source)) heap().set(source.data.subarray(source.offset, source.offset + size), address / 4)
  else gather(source, heap(), address / 4)
  return address
}

/** Where a kernel should write out's `floats` values: out's own block when resident, else fresh scratch. */
export function outputAddress(out: Strided, floats: number): number {
  const resident = residentAddress(out)
  return resident >= 0 ? resident : alloc(floats)
}

/** Move a result written at `address` (see outputAddress) into out, from element `at` on: nothing to do when it was written in place. */
export function finishOutput(address: number, out: Strided, floats: number, at = 0): void {
  const resident = residentAddress(out)
  if (resident >= 0) {
    if (resident + at * 4 !== address) heap().copyWithin(resident / 4 + at, address / 4, address / 4 + floats)
    return
  }
  ;(out.data as Float32Array).set(heap().subarray(address / 4, address / 4 + floats), at)
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
