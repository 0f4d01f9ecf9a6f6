// Checkpoints: a module's state dict (and any JSON `extra`: epoch, options, optimizer state) in
// one binary file.
//
// Layout, little-endian:
//   bytes 0..7    magic "GKTCKPT\0"
//   bytes 8..11   format version (uint32), 1
//   bytes 12..15  header length H in bytes (uint32)
//   bytes 16..    header: UTF-8 JSON, padded with spaces so the data starts on an 8-byte boundary
//   then          the data: each tensor's values in row-major order, raw float32 (or float64)
// The header lists every tensor (name, dtype, shape, byte offset into the data, byte length) and
// the data's total length, so a truncated file is caught before any value is read. Tensors inside
// `extra` are stored the same way and appear in its JSON as {"$tensor": index}.
//
// Writes go to a temporary file in the same folder, flushed to disk, then renamed over the target:
// a rename within one file system is atomic, so a crash leaves the old checkpoint or the new one,
// never half of one.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { endianness } from 'node:os'
import { randomBytes } from 'node:crypto'
import { Tensor } from '../tensor/tensor.ts'
import { fromArray } from '../tensor/creation.ts'
import type { DType } from '../tensor/strided.ts'
import { sizeOf } from '../tensor/strided.ts'
import type { Module, StateDict } from './module.ts'

export const CHECKPOINT_MAGIC = 'GKTCKPT\0'
export const CHECKPOINT_VERSION = 1
const PREFIX_BYTES = 16

interface TensorEntry {
  name: string
  dtype: DType
  shape: number[]
  offset: number
  bytes: number
}

interface Header {
  tensors: TensorEntry[]
  extraTensors: TensorEntry[]
  extra: unknown
  dataBytes: number
}

export interface Checkpoint {
  version: number
  /** The module's state dict. */
  tensors: StateDict
  /** The `extra` passed to saveCheckpoint, with its tensors restored; null when none was given. */
  extra: CheckpointExtra | null
}

/**
 * JSON-like values and Tensors. Typed loosely on purpose: whatever comes back was read from a file,
 * so check it (Optimizer.loadStateDict does) rather than trust a static type.
 */
export type CheckpointExtra = Record<string, any>

/** A checkpoint that cannot be read or does not fit: the message names the file. */
export class CheckpointError extends Error {
  override name = 'CheckpointError'
}

function itemSize(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4
}

function checkEndianness(): void {
  // Typed arrays use the machine's byte order; the format is little-endian.
  if (endianness() !== 'LE') throw new CheckpointError('checkpoints: this machine is big-endian; genkata checkpoints are little-endian only')
}

// ---- extra: JSON with tensors ----------------------------------------------------------------

function encodeExtra(value: unknown, path: string, tensors: Tensor[]): unknown {
  if (value instanceof Tensor) {
    tensors.push(value)
    return { $tensor: tensors.length - 1 }
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) }
  if (Array.isArray(value)) return value.map((item, i) => encodeExtra(item ?? null, `${path}[${i}]`, tensors))
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      if (key === '$tensor' || key === '$number') throw new CheckpointError(`saveCheckpoint: extra${path}: the key '${key}' is reserved`)
      if (item !== undefined) out[key] = encodeExtra(item, `${path}.${key}`, tensors)
    }
    return out
  }
  const kind = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value
  throw new CheckpointError(`saveCheckpoint: extra${path || ''} is a ${kind}; extra may hold JSON values and Tensors only`)
}

function decodeExtra(value: unknown, tensors: Tensor[], fail: (why: string) => never): unknown {
  if (Array.isArray(value)) return value.map((item) => decodeExtra(item, tensors, fail))
  if (value === null || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  if ('$tensor' in record) {
    const tensor = tensors[record.$tensor as number]
    if (!tensor) fail(`extra refers to tensor ${String(record.$tensor)}, the file has ${tensors.length}`)
    return tensor
  }
  if ('$number' in record) return Number(record.$number)
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(record)) out[key] = decodeExtra(item, tensors, fail)
  return out
}

// ---- writing ---------------------------------------------------------------------------------

function layout(named: [string, Tensor][], start: number, chunks: Uint8Array[]): [TensorEntry[], number] {
  let offset = start
  const entries = named.map(([name, t]) => {
    const values = t.toTypedArray() // contiguous copy, row-major
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
    chunks.push(bytes)
    const entry: TensorEntry = { name, dtype: t.dtype, shape: [...t.shape], offset, bytes: bytes.byteLength }
    offset += bytes.byteLength
    const pad = (8 - (offset % 8)) % 8 // keep every tensor 8-byte aligned
    if (pad) chunks.push(new Uint8Array(pad))
    offset += pad
    return entry
  })
  return [entries, offset]
}

/** Encode a state dict and extra as the bytes of a checkpoint file. */
export function encodeCheckpoint(tensors: StateDict, extra?: CheckpointExtra): Uint8Array[] {
  checkEndianness()
  const extraTensorList: Tensor[] = []
  const extraJson = extra === undefined ? null : encodeExtra(extra, '', extraTensorList)
  const chunks: Uint8Array[] = []
  const [tensorEntries, afterModule] = layout(Object.entries(tensors), 0, chunks)
  const [extraEntries, dataBytes] = layout(extraTensorList.map((t, i) => [String(i), t]), afterModule, chunks)
  const header: Header = { tensors: tensorEntries, extraTensors: extraEntries, extra: extraJson, dataBytes }
  let json = JSON.stringify(header)
  json += ' '.repeat((8 - ((PREFIX_BYTES + Buffer.byteLength(json)) % 8)) % 8)
  const headerBytes = Buffer.from(json, 'utf8')
  const prefix = Buffer.alloc(PREFIX_BYTES)
  prefix.write(CHECKPOINT_MAGIC, 0, 'latin1')
  prefix.writeUInt32LE(CHECKPOINT_VERSION, 8)
  prefix.writeUInt32LE(headerBytes.byteLength, 12)
  return [prefix, headerBytes, ...chunks]
}

/**
 * Save a module's parameters and buffers (or any state dict) to `path`, atomically. `extra` is
 * any JSON-like object, and may hold Tensors anywhere (an optimizer's stateDict(), say).
 */
export function saveCheckpoint(path: string, module: Module | StateDict, extra?: CheckpointExtra): void {
  const tensors = typeof (module as Module).stateDict === 'function' ? (module as Module).stateDict() : (module as StateDict)
  const chunks = encodeCheckpoint(tensors, extra)
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let fd: number | null = null
  try {
    fd = openSync(temporary, 'wx')
    for (const chunk of chunks) {
      let written = 0
      while (written < chunk.byteLength) written += writeSync(fd, chunk, written)
    }
    fsyncSync(fd)
    closeSync(fd)
    fd = null
    renameSync(temporary, path)
  } catch (error) {
    if (fd !== null) closeSync(fd)
    rmSync(temporary, { force: true })
    throw error
  }
  // Make the rename itself durable; not every platform can fsync a folder, which is harmless.
  try {
    const dir = openSync(dirname(path), 'r')
    try {
      fsyncSync(dir)
    } finally {
      closeSync(dir)
    }
  } catch {
    /* best effort */
  }
}

// ---- reading ---------------------------------------------------------------------------------

function checkEntry(entry: unknown, at: string, dataBytes: number, fail: (why: string) => never): TensorEntry {
  const e = entry as TensorEntry
  const shapeOk = Array.isArray(e?.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0)
  if (!e || typeof e.name !== 'string' || (e.dtype !== 'float32' && e.dtype !== 'float64') || !shapeOk) {
    fail(`the header's ${at} is malformed: ${JSON.stringify(entry)}`)
  }
  const expected = sizeOf(e.shape) * itemSize(e.dtype)
  if (e.bytes !== expected) fail(`'${e.name}' (${e.dtype} ${JSON.stringify(e.shape)}) should take ${expected} bytes, the header says ${e.bytes}`)
  if (!(Number.isInteger(e.offset) && e.offset >= 0 && e.offset % 8 === 0 && e.offset + e.bytes <= dataBytes)) {
    fail(`'${e.name}' lies at bytes ${e.offset}..${e.offset + e.bytes} of a data section of ${dataBytes} bytes`)
  }
  return e
}

function readTensor(data: Uint8Array, e: TensorEntry): Tensor {
  const copy = new Uint8Array(e.bytes) // a fresh, aligned buffer the tensor owns
  copy.set(data.subarray(e.offset, e.offset + e.bytes))
  const values = e.dtype === 'float64' ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer)
  return fromArray(values, e.shape, { dtype: e.dtype })
}

/** Decode checkpoint bytes; `source` names the file in error messages. */
export function decodeCheckpoint(file: Uint8Array, source: string): Checkpoint {
  checkEndianness()
  const fail = (why: string): never => {
    throw new CheckpointError(`checkpoint ${source}: ${why}`)
  }
  if (file.byteLength < PREFIX_BYTES) fail(`truncated: ${file.byteLength} bytes, where the fixed header alone needs ${PREFIX_BYTES}`)
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength)
  const magic = bytes.subarray(0, 8)
  if (!magic.equals(Buffer.from(CHECKPOINT_MAGIC, 'latin1'))) {
    fail(`not a genkata checkpoint: expected the magic bytes ${Buffer.from(CHECKPOINT_MAGIC, 'latin1').toString('hex')} ("GKTCKPT\\0"), found ${magic.toString('hex')} (${JSON.stringify(magic.toString('latin1'))})`)
  }
  const version = bytes.readUInt32LE(8)
  if (version !== CHECKPOINT_VERSION) fail(`format version ${version}; this genkata reads version ${CHECKPOINT_VERSION}`)
  const headerBytes = bytes.readUInt32LE(12)
  const dataStart = PREFIX_BYTES + headerBytes
  if (dataStart > file.byteLength) fail(`truncated: the header needs bytes up to ${dataStart}, the file has ${file.byteLength}`)
  let header: Header
  try {
    header = JSON.parse(bytes.subarray(PREFIX_BYTES, dataStart).toString('utf8')) as Header
  } catch (error) {
    return fail(`the header is not valid JSON (${(error as Error).message})`)
  }
  if (typeof header !== 'object' || header === null || !Array.isArray(header.tensors) || !Array.isArray(header.extraTensors) || !Number.isInteger(header.dataBytes)) {
    fail('the header lacks its tensor lists or data length')
  }
  const expectedSize = dataStart + header.dataBytes
  if (file.byteLength < expectedSize) fail(`truncated: expected ${expectedSize} bytes (${header.dataBytes} of tensor data), found ${file.byteLength}`)
  if (file.byteLength > expectedSize) fail(`expected ${expectedSize} bytes, found ${file.byteLength}: ${file.byteLength - expectedSize} unexpected bytes at the end`)
  const data = file.subarray(dataStart)
  const tensors: StateDict = {}
  header.tensors.forEach((entry, i) => {
    const e = checkEntry(entry, `tensor ${i}`, header.dataBytes, fail)
    if (Object.hasOwn(tensors, e.name)) fail(`the tensor name '${e.name}' appears twice`)
    tensors[e.name] = readTensor(data, e)
  })
  const extraTensors = header.extraTensors.map((entry, i) => readTensor(data, checkEntry(entry, `extra tensor ${i}`, header.dataBytes, fail)))
  const extra = header.extra === null || header.extra === undefined ? null : (decodeExtra(header.extra, extraTensors, fail) as CheckpointExtra)
  return { version, tensors, extra }
}

/** Read a checkpoint file: its tensors by name and its extra. */
export function readCheckpoint(path: string): Checkpoint {
  let file: Buffer
  try {
    file = readFileSync(path)
  } catch (error) {
    throw new CheckpointError(`checkpoint ${path}: cannot read it (${(error as Error).message})`)
  }
  return decodeCheckpoint(file, path)
}

/**
 * Load a checkpoint into a module (names and shapes must match exactly) and return the
 * checkpoint's extra (null when it had none).
 */
export function loadCheckpoint(path: string, module: Module): CheckpointExtra | null {
  const checkpoint = readCheckpoint(path)
  try {
    module.loadStateDict(checkpoint.tensors)
  } catch (error) {
    throw new CheckpointError(`checkpoint ${path}: ${(error as Error).message}`)
  }
  return checkpoint.extra
}
