// Matrix products on the WebAssembly GEMM (kernels.wat): operands are read where they are in wasm
// memory (resident.ts) or copied in as they are laid out, packed into panels by reading them through
// their strides (so a transposed operand costs nothing extra and is never materialised), and
// multiplied tile by tile on every thread, into the output's own block when it is resident and
// whole tiles cover it, else into scratch copied to the output.
import type { Strided } from '../../tensor/strided.ts'
import { sizeOf } from '../../tensor/strided.ts'
import { parallel } from './pool.ts'
import { alloc, beginCall, getRuntime, heap, mark, release } from './wasm.ts'
import type { Staged } from './resident.ts'
import { hostView, residentAddress, stage } from './resident.ts'

/** Rows of A per panel and columns of B per panel: the micro-kernel's 4x8 tile. */
export const MR = 4
export const NR = 8
/** Below this many multiply-adds, waking the workers costs more than it saves. */
const THREAD_MIN_WORK = 1 << 20

/** A matrix in wasm memory: address of element [0, 0] and byte strides. */
export interface WasmMatrix {
  address: number
  rowStride: number
  colStride: number
}

/** The packed panels of an [n, k] @ [k, m] product, ready for gemm. */
export interface Packed {
  a: number
  b: number
}

export function packA(a: WasmMatrix, n: number, k: number): number {
  const panels = Math.ceil(n / MR)
  const dst = alloc(panels * MR * k)
  parallel('pack_a', [a.address, a.rowStride, a.colStride, n, k, dst, 0, 0], 6, panels, Math.max(1, Math.ceil(panels / 16)), n * k >= THREAD_MIN_WORK / 8)
  return dst
}

export function packB(b: WasmMatrix, k: number, m: number): number {
  const panels = Math.ceil(m / NR)
  const dst = alloc(panels * NR * k)
  parallel('pack_b', [b.address, b.rowStride, b.colStride, k, m, dst, 0, 0], 6, panels, Math.max(1, Math.ceil(panels / 16)), k * m >= THREAD_MIN_WORK / 8)
  return dst
}

/**
 * C = A B from packed panels into a fresh wasm buffer of rows padded to whole tiles; returns its
 * address and row length (floats). Threads split whichever of the two panel counts is larger.
 */
export function gemmPacked(a: number, b: number, n: number, k: number, m: number, into = -1): { c: number; ldc: number } {
  const rowPanels = Math.ceil(n / MR)
  const colPanels = Math.ceil(m / NR)
  const ldc = colPanels * NR
  // Whole tiles fill exactly [n, m] when n and m are multiples of the tile: then C can be the output itself.
  const c = into >= 0 && n % MR === 0 && m % NR === 0 ? into : alloc(rowPanels * MR * ldc)
  const threads = n * k * m >= THREAD_MIN_WORK
  if (colPanels >= rowPanels) {
    parallel('gemm', [a, b, c, ldc, k, 0, rowPanels, 0, 0], 7, colPanels, grainFor(colPanels, rowPanels * MR * NR * k), threads)
  } else {
    parallel('gemm', [a, b, c, ldc, k, 0, 0, 0, colPanels], 5, rowPanels, grainFor(rowPanels, colPanels * MR * NR * k), threads)
  }
  return { c, ldc }
}

/**
 * Panels per item: enough for about 2^20 multiply-adds (tens of microseconds, so claiming an item
 * costs nothing in comparison), but no more than a sixteenth of the panels, so that a thread slowed
 * down by another process leaves the rest to claim.
 */
function grainFor(panels: number, multiplyAddsPerPanel: number): number {
  return Math.max(1, Math.min(Math.ceil(2 ** 20 / multiplyAddsPerPanel), Math.ceil(panels / 16)))
}

/** Copy an [n, m] result with row length ldc (floats) into out from element `at`; nothing when gemm wrote it in place. */
export function copyOut(c: number, ldc: number, n: number, m: number, out: Strided, at: number): void {
  const f = heap()
  const from = c / 4
  const resident = residentAddress(out)
  if (resident >= 0) {
    const to = resident / 4 + at
    if (to === from) return
    if (ldc === m) f.copyWithin(to, from, from + n * m)
    else for (let i = 0; i < n; i++) f.copyWithin(to + i * m, from + i * ldc, from + i * ldc + m)
    return
  }
  const dst = out.data as Float32Array
  if (ldc === m) {
    dst.set(f.subarray(from, from + n * m), at)
    return
  }
  for (let i = 0; i < n; i++) dst.set(f.subarray(from + i * ldc, from + i * ldc + m), at + i * m)
}

/** The last two axes of a staged view as a matrix, at batch offset `base` (bytes). */
function matrixOf(s: Staged, ndim: number, base: number): WasmMatrix {
  return { address: s.address + base, rowStride: s.strides[ndim - 2]!, colStride: s.strides[ndim - 1]! }
}

/** Byte offset of each batch of a view broadcast against the batch shape. */
function batchOffsets(view: Strided, staged: Staged, batchShape: readonly number[]): number[] {
  const lead = batchShape.length - (view.shape.length - 2)
  const offsets: number[] = []
  const index = new Array<number>(batchShape.length).fill(0)
  const count = sizeOf(batchShape)
  for (let b = 0; b < count; b++) {
    let offset = 0
    for (let axis = lead; axis < batchShape.length; axis++) {
      if (view.shape[axis - lead] !== 1) offset += index[axis]! * staged.strides[axis - lead]!
    }
    offsets.push(offset)
    for (let axis = batchShape.length - 1; axis >= 0; axis--) {
      if (++index[axis]! < batchShape[axis]!) break
      index[axis] = 0
    }
  }
  return offsets
}

/** out [...batch, n, m] = a [...batch, n, k] @ b [...batch, k, m], float32, batch axes broadcast. */
export function matmulF32(a: Strided, b: Strided, out: Strided): void {
  const nd = out.shape.length
  const n = out.shape[nd - 2]!
  const m = out.shape[nd - 1]!
  const k = a.shape[a.shape.length - 1]!
  const batchShape = out.shape.slice(0, nd - 2)
  const batches = sizeOf(batchShape)
  if (n === 0 || m === 0 || batches === 0) return
  if (k === 0) {
    const o = hostView(out)
    o.data.fill(0, o.offset, o.offset + batches * n * m)
    return
  }
  getRuntime()
  beginCall()
  // A shared right operand (a weight applied to a batch of inputs) with rows of a that follow each
  // other at one stride: the whole batch is one tall product.
  const oneB = b.shape.slice(0, -2).every((d) => d === 1)
  if (oneB && batches > 1 && a.shape.length === nd && rowsMerge(a)) {
    const sa = stage(a)
    const sb = stage(b)
    const rows = batches * n
    const pa = packA({ address: sa.address, rowStride: sa.strides[nd - 2]!, colStride: sa.strides[nd - 1]! }, rows, k)
    const pb = packB(matrixOf(sb, b.shape.length, 0), k, m)
    const { c, ldc } = gemmPacked(pa, pb, rows, k, m, residentAddress(out))
    copyOut(c, ldc, rows, m, out, 0)
    return
  }
  const sa = stage(a)
  const sb = stage(b)
  const aOffsets = batchOffsets(a, sa, batchShape)
  const bOffsets = batchOffsets(b, sb, batchShape)
  // An operand broadcast over every batch is packed once; the rest per batch, in buffers the next
  // batch reuses.
  const aShared = aOffsets.every((o) => o === aOffsets[0])
  const bShared = bOffsets.every((o) => o === bOffsets[0])
  const fixedA = aShared ? packA(matrixOf(sa, a.shape.length, aOffsets[0]!), n, k) : -1
  const fixedB = bShared ? packB(matrixOf(sb, b.shape.length, bOffsets[0]!), k, m) : -1
  const start = mark()
  for (let batch = 0; batch < batches; batch++) {
    release(start)
    const pa = aShared ? fixedA : packA(matrixOf(sa, a.shape.length, aOffsets[batch]!), n, k)
    const pb = bShared ? fixedB : packB(matrixOf(sb, b.shape.length, bOffsets[batch]!), k, m)
    const resident = residentAddress(out)
    const { c, ldc } = gemmPacked(pa, pb, n, k, m, resident < 0 ? -1 : resident + batch * n * m * 4)
    copyOut(c, ldc, n, m, out, batch * n * m)
  }
}

/** True when a's batch axes and row axis walk its rows at one common stride. */
function rowsMerge(a: Strided): boolean {
  const nd = a.shape.length
  let stride = a.strides[nd - 2]!
  let extent = a.shape[nd - 2]!
  for (let axis = nd - 3; axis >= 0; axis--) {
    if (a.shape[axis] === 1) continue
    if (a.strides[axis] !== stride * extent) return false
    stride = a.strides[axis]!
    extent = a.shape[axis]!
  }
  return true
}

