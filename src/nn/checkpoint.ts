// Checkpoints: a module's state dict (and any JSON `extra`: epoch, options, optimizer state) in
// one binary file.
//
// Layout (format version 2), little-endian:
//   bytes 0..7    magic "GKTCKPT\0"
//   bytes 8..11   format version (uint32), 2
//   bytes 12..15  header length H in bytes (uint32)
//   bytes 16..47  SHA-256 of everything else: bytes 0..15, then 48 to the end (header and data)
//   bytes 48..    header: UTF-8 JSON, padded with spaces so the data starts on an 8-byte boundary
//   then          the data: each tensor's values in row-major order, raw float32 (or float64)
// The header lists every tensor (name, dtype, shape, byte offset into the data, byte length) and
// the data's total length, so a truncated file is caught before any value is read; the checksum,
// checked on every read, catches a flipped byte anywhere. Tensors inside `extra` are stored the
// same way and appear in its JSON as {"$tensor": index}. Non-finite tensor values (NaN, +-Inf) are
// refused on save and on load: a diverged model is not a checkpoint to resume from.
//
// Version 1 (no checksum; the header starts at byte 16) still loads, with a one-line warning.
//
// Writes go through writeFileAtomic: a crash leaves the old checkpoint or the new one, never half.
import { readFileSync } from 'node:fs'
import { endianness } from 'node:os'
import { createHash } from 'node:crypto'
import { writeFileAtomic } from '../report/atomic.ts'
import { Tensor } from '../tensor/tensor.ts'
import { fromArray } from '../tensor/creation.ts'
import type { DType } from '../tensor/strided.ts'
import { sizeOf } from '../tensor/strided.ts'
import type { Module, StateDict } from './module.ts'

export const CHECKPOINT_MAGIC = 'GKTCKPT\0'
export const CHECKPOINT_VERSION = 2
/** Bytes before the header: magic, version, header length, then (version 2) the SHA-256. */
const FIXED_BYTES = 16
const DIGEST_BYTES = 32
const PREFIX_BYTES: Record<number, number> = { 1: FIXED_BYTES, 2: FIXED_BYTES + DIGEST_BYTES }

/** Where the one-line warning for an old-format checkpoint goes; tests replace it. */
export const checkpointWarnings = { warn: (line: string): void => console.warn(line) }

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

/** Refuse NaN and infinities, naming the tensor and the first bad index. */
function checkFinite(values: ArrayLike<number>, name: string, fail: (why: string) => never): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isFinite(v)) fail(`tensor '${name}' holds ${v} at flat index ${i} of ${values.length}; non-finite values are refused (the model diverged)`)
  }
}

// ---- extra: JSON with tensors ----------------------------------------------------------------

function encodeExtra(value: unknown, path: string, tensors: Tensor[]): unknown {
  if (value instanceof Tensor) {
    checkFinite(value.toTypedArray(), `extra${path}`, (why) => {
      throw new CheckpointError(`saveCheckpoint: ${why}`)
    })
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
    checkFinite(values, name, (why) => {
      throw new CheckpointError(`saveCheckpoint: ${why}`)
    })
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
  const prefixBytes = PREFIX_BYTES[CHECKPOINT_VERSION]!
  json += ' '.repeat((8 - ((prefixBytes + Buffer.byteLength(json)) % 8)) % 8)
  const headerBytes = Buffer.from(json, 'utf8')
  const prefix = Buffer.alloc(prefixBytes)
  prefix.write(CHECKPOINT_MAGIC, 0, 'latin1')
  prefix.writeUInt32LE(CHECKPOINT_VERSION, 8)
  prefix.writeUInt32LE(headerBytes.byteLength, 12)
  const body = [headerBytes, ...chunks]
  digest(prefix.subarray(0, FIXED_BYTES), body).copy(prefix, FIXED_BYTES)
  return [prefix, ...body]
}

/** The version-2 checksum: SHA-256 over the fixed 16 bytes, then the header and the data. */
function digest(fixed: Uint8Array, body: readonly Uint8Array[]): Buffer {
  const hash = createHash('sha256').update(fixed)
  for (const chunk of body) hash.update(chunk)
  return hash.digest()
}

/**
 * Save a module's parameters and buffers (or any state dict) to `path`, atomically. `extra` is
 * any JSON-like object, and may hold Tensors anywhere (an optimizer's stateDict(), say).
 */
export function saveCheckpoint(path: string, module: Module | StateDict, extra?: CheckpointExtra): void {
  const tensors = typeof (module as Module).stateDict === 'function' ? (module as Module).stateDict() : (module as StateDict)
  writeFileAtomic(path, encodeCheckpoint(tensors, extra), { mkdir: false })
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

function readTensor(data: Uint8Array, e: TensorEntry, name: string, fail: (why: string) => never): Tensor {
  const copy = new Uint8Array(e.bytes) // a fresh, aligned buffer the tensor owns
  copy.set(data.subarray(e.offset, e.offset + e.bytes))
  const values = e.dtype === 'float64' ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer)
  checkFinite(values, name, fail)
  return fromArray(values, e.shape, { dtype: e.dtype })
}

/** Decode checkpoint bytes (version 2, or version 1 with a warning); `source` names the file in error messages. */
export function decodeCheckpoint(file: Uint8Array, source: string): Checkpoint {
  checkEndianness()
  const fail = (why: string): never => {
    throw new CheckpointError(`checkpoint ${source}: ${why}`)
  }
  if (file.byteLength < FIXED_BYTES) fail(`truncated: ${file.byteLength} bytes, where the fixed header alone needs ${FIXED_BYTES}`)
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength)
  const magic = bytes.subarray(0, 8)
  if (!magic.equals(Buffer.from(CHECKPOINT_MAGIC, 'latin1'))) {
    fail(`not a genkata checkpoint: expected the magic bytes ${Buffer.from(CHECKPOINT_MAGIC, 'latin1').toString('hex')} ("GKTCKPT\\0"), found ${magic.toString('hex')} (${JSON.stringify(magic.toString('latin1'))})`)
  }
  const version = bytes.readUInt32LE(8)
  const prefixBytes = PREFIX_BYTES[version]
  if (prefixBytes === undefined) fail(`format version ${version}; this genkata reads versions 1 and ${CHECKPOINT_VERSION}`)
  if (file.byteLength < prefixBytes!) fail(`truncated: ${file.byteLength} bytes, where the fixed header of version ${version} alone needs ${prefixBytes}`)
  const headerBytes = bytes.readUInt32LE(12)
  const dataStart = prefixBytes! + headerBytes
  // Sizes first (a cut file is reported as truncated, the likelier story), then the checksum,
  // then the header's contents: nothing damaged is parsed as if it were whole.
  if (dataStart > file.byteLength) fail(`truncated: the header needs bytes up to ${dataStart}, the file has ${file.byteLength}`)
  let header: Header | null = null
  let headerError = ''
  try {
    header = JSON.parse(bytes.subarray(prefixBytes, dataStart).toString('utf8')) as Header
  } catch (error) {
    headerError = (error as Error).message
  }
  const sized = header !== null && typeof header === 'object' && Number.isInteger(header.dataBytes)
  const expectedSize = sized ? dataStart + header!.dataBytes : null
  if (expectedSize !== null && file.byteLength < expectedSize) fail(`truncated: expected ${expectedSize} bytes (${header!.dataBytes} of tensor data), found ${file.byteLength}`)
  if (expectedSize !== null && file.byteLength > expectedSize) fail(`expected ${expectedSize} bytes, found ${file.byteLength}: ${file.byteLength - expectedSize} unexpected bytes at the end`)
  if (version >= 2) {
    const stored = bytes.subarray(FIXED_BYTES, FIXED_BYTES + DIGEST_BYTES)
    const actual = digest(bytes.subarray(0, FIXED_BYTES), [bytes.subarray(prefixBytes)])
    if (!actual.equals(stored)) fail(`checksum mismatch: the file is damaged (SHA-256 of its contents ${actual.toString('hex').slice(0, 16)}..., recorded ${stored.toString('hex').slice(0, 16)}...)`)
  } else {
    checkpointWarnings.warn(`genkata: warning: checkpoint ${source} is in the old format version 1, which has no checksum: damage to it cannot be detected; saving it again writes version ${CHECKPOINT_VERSION}`)
  }
  if (header === null) return fail(`the header is not valid JSON (${headerError})`)
  if (typeof header !== 'object' || !Array.isArray(header.tensors) || !Array.isArray(header.extraTensors) || !sized) {
    fail('the header lacks its tensor lists or data length')
  }
  const data = file.subarray(dataStart)
  const tensors: StateDict = {}
  header.tensors.forEach((entry, i) => {
    const e = checkEntry(entry, `tensor ${i}`, header!.dataBytes, fail)
    if (Object.hasOwn(tensors, e.name)) fail(`the tensor name '${e.name}' appears twice`)
    tensors[e.name] = readTensor(data, e, e.name, fail)
  })
  const extraTensors = header.extraTensors.map((entry, i) => readTensor(data, checkEntry(entry, `extra tensor ${i}`, header!.dataBytes, fail), `extra tensor ${i}`, fail))
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
