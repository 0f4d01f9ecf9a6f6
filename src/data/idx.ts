// The IDX file format (LeCun's MNIST format), raw or gzip-compressed: read, validate and write.
// Layout: 00 00, a type byte, a dimension-count byte, one big-endian uint32 size per dimension,
// then the elements in row-major order, big-endian.
import { readFileSync } from 'node:fs'
import { writeFileAtomic } from '../report/atomic.ts'
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib'

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64'
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array

export interface IdxArray {
  dtype: IdxDtype
  shape: number[]
  data: IdxData
}

interface DtypeInfo {
  code: number
  bytes: number
  make: (n: number) => IdxData
  get: (view: DataView, offset: number) => number
  set: (view: DataView, offset: number, value: number) => void
}

// DataView's getters default to big-endian, which is what IDX uses.
const DTYPES: Record<IdxDtype, DtypeInfo> = {
  uint8: { code: 0x08, bytes: 1, make: (n) => new Uint8Array(n), get: (v, o) => v.getUint8(o), set: (v, o, x) => v.setUint8(o, x) },
  int8: { code: 0x09, bytes: 1, make: (n) => new Int8Array(n), get: (v, o) => v.getInt8(o), set: (v, o, x) => v.setInt8(o, x) },
  int16: { code: 0x0b, bytes: 2, make: (n) => new Int16Array(n), get: (v, o) => v.getInt16(o), set: (v, o, x) => v.setInt16(o, x) },
  int32: { code: 0x0c, bytes: 4, make: (n) => new Int32Array(n), get: (v, o) => v.getInt32(o), set: (v, o, x) => v.setInt32(o, x) },
  float32: { code: 0x0d, bytes: 4, make: (n) => new Float32Array(n), get: (v, o) => v.getFloat32(o), set: (v, o, x) => v.setFloat32(o, x) },
  float64: { code: 0x0e, bytes: 8, make: (n) => new Float64Array(n), get: (v, o) => v.getFloat64(o), set: (v, o, x) => v.setFloat64(o, x) },
}

export const IDX_DTYPES = Object.keys(DTYPES) as IdxDtype[]

const hex = (b: number) => b.toString(16).padStart(2, '0')
const typeList = IDX_DTYPES.map((d) => `0x${hex(DTYPES[d].code)} ${d}`).join(', ')
const describe = (dtype: IdxDtype, shape: number[]) => `${dtype} [${shape.join(', ')}]`

export const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b

/** The most an IDX file may decompress to: 1 GiB (the full MNIST training images take 47 MB). */
export const MAX_IDX_BYTES = 2 ** 30
/** Room past the size the header announces, so that a few trailing bytes get their own message. */
const TRAILING_SLACK = 4096

/**
 * How many bytes the IDX file inside `gz` says it holds, from its first few decompressed bytes.
 * Deflate expands at most about 1032:1, so inflating a prefix of the compressed bytes is bounded
 * however the stream continues; the prefix grows until the header is in, or the input ends.
 * Returns null when the decompressed bytes do not start with an IDX header (parseIdx says why).
 */
function announcedIdxBytes(gz: Uint8Array): number | null {
  for (let take = 64; ; take *= 8) {
    const head = gunzipSync(gz.subarray(0, take), { finishFlush: zlibConstants.Z_SYNC_FLUSH })
    const headerBytes = head.length >= 4 ? 4 + 4 * head[3]! : 4
    if (head.length >= headerBytes) {
      if (head[0] !== 0 || head[1] !== 0) return null
      const dtype = IDX_DTYPES.find((d) => DTYPES[d].code === head[2])
      if (dtype === undefined) return null
      const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
      let count = 1
      for (let i = 0; i < head[3]!; i++) count *= view.getUint32(4 + 4 * i)
      return headerBytes + count * DTYPES[dtype].bytes
    }
    if (take >= gz.length) return null
  }
}

// Decompresses when the bytes start with the gzip magic; `what` names the source in errors. The
// output is capped by the size the IDX header announces (and MAX_IDX_BYTES), so a gzip bomb is
// refused after inflating no more than that, instead of filling memory.
export function maybeGunzip(bytes: Uint8Array, what: string): Uint8Array {
  if (!isGzip(bytes)) return bytes
  const corrupt = (err: unknown) => {
    const reason = err instanceof Error ? err.message : String(err)
    return new Error(`${what}: corrupt gzip data (${reason}): it starts with the gzip magic 1f 8b but does not decompress; fetch or reinstall the file`)
  }
  let announced: number | null
  try {
    announced = announcedIdxBytes(bytes)
  } catch (err) {
    throw corrupt(err)
  }
  if (announced !== null && announced > MAX_IDX_BYTES) {
    throw new Error(`${what}: its IDX header announces ${announced} bytes, more than the ${MAX_IDX_BYTES} genkata decompresses (MAX_IDX_BYTES); refused`)
  }
  // Not an IDX header: decompress a little past it, and parseIdx names what is wrong.
  const limit = (announced ?? 4096) + TRAILING_SLACK
  try {
    return gunzipSync(bytes, { maxOutputLength: limit })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(`${what}: decompresses to more than ${limit} bytes where its IDX header announces ${announced ?? 'no valid header, so at most 4096'}: refused (a gzip bomb, or a corrupt file); fetch or reinstall the file`)
    }
    throw corrupt(err)
  }
}

export function dtypeByteSize(dtype: IdxDtype): number {
  return DTYPES[dtype].bytes
}

// Parses an IDX file's bytes (raw or gzip). `what` (a path or a label) starts every error message.
export function parseIdx(input: Uint8Array, what: string): IdxArray {
  const bytes = maybeGunzip(input, what)
  if (bytes.length < 4) {
    throw new Error(`${what}: too short for an IDX header: expected at least 4 bytes (00 00 type dims), found ${bytes.length}`)
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${what}: bad magic: an IDX file starts with 00 00, found ${hex(bytes[0]!)} ${hex(bytes[1]!)}; not an IDX file`)
  }
  const code = bytes[2]!
  const dtype = IDX_DTYPES.find((d) => DTYPES[d].code === code)
  if (dtype === undefined) {
    throw new Error(`${what}: unknown IDX type byte 0x${hex(code)}: expected one of ${typeList}`)
  }
  const ndim = bytes[3]!
  const headerBytes = 4 + 4 * ndim
  if (bytes.length < headerBytes) {
    throw new Error(`${what}: too short for its IDX header: ${ndim} dimensions need ${headerBytes} header bytes, found ${bytes.length}`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const shape: number[] = []
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i))
  const info = DTYPES[dtype]
  const count = shape.reduce((a, b) => a * b, 1)
  const expected = count * info.bytes
  const found = bytes.length - headerBytes
  if (found < expected) {
    throw new Error(`${what}: file truncated: ${describe(dtype, shape)} needs ${expected} bytes of data, found ${found}`)
  }
  if (found > expected) {
    throw new Error(`${what}: ${found - expected} trailing bytes: ${describe(dtype, shape)} needs ${expected} bytes of data, found ${found}`)
  }
  let data: IdxData
  if (info.bytes === 1) {
    // A copy into a plain Uint8Array: the result never aliases the caller's buffer (nor a
    // Buffer's shared pool, where Buffer#slice would have made a view).
    const raw = new Uint8Array(bytes.subarray(headerBytes))
    data = dtype === 'int8' ? new Int8Array(raw.buffer) : raw
  } else {
    data = info.make(count)
    for (let i = 0, o = headerBytes; i < count; i++, o += info.bytes) data[i] = info.get(view, o)
  }
  return { dtype, shape, data }
}

export function readIdxFile(path: string): IdxArray {
  return parseIdx(readFileSync(path), path)
}

export interface WriteIdxOptions {
  /** gzip the output (level 9 unless `level` says otherwise) */
  gzip?: boolean
  level?: number
}

// Serialises an array to IDX bytes. `data` may be any array-like whose length matches the shape.
export function writeIdx(array: { dtype: IdxDtype; shape: readonly number[]; data: ArrayLike<number> }, options: WriteIdxOptions = {}): Uint8Array {
  const { dtype, shape, data } = array
  const info = DTYPES[dtype]
  if (info === undefined) throw new Error(`writeIdx: unknown dtype '${String(dtype)}': expected one of ${IDX_DTYPES.join(', ')}`)
  if (shape.length > 255) throw new Error(`writeIdx: IDX holds at most 255 dimensions, got ${shape.length}`)
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) throw new Error(`writeIdx: shape [${shape.join(', ')}] has a size that is not a uint32`)
  }
  const count = shape.reduce((a, b) => a * b, 1)
  if (data.length !== count) {
    throw new Error(`writeIdx: shape [${shape.join(', ')}] needs ${count} elements, data has ${data.length}`)
  }
  const headerBytes = 4 + 4 * shape.length
  const out = new Uint8Array(headerBytes + count * info.bytes)
  const view = new DataView(out.buffer)
  out[2] = info.code
  out[3] = shape.length
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d))
  if (dtype === 'uint8' && data instanceof Uint8Array) out.set(data, headerBytes)
  else for (let i = 0, o = headerBytes; i < count; i++, o += info.bytes) info.set(view, o, data[i]!)
  if (!options.gzip) return out
  return new Uint8Array(gzipSync(out, { level: options.level ?? 9 }))
}

// Writes an IDX file, gzip-compressed when the path ends in .gz (unless options say otherwise).
export function writeIdxFile(path: string, array: Parameters<typeof writeIdx>[0], options: WriteIdxOptions = {}): void {
  writeFileAtomic(path, writeIdx(array, { gzip: path.endsWith('.gz'), ...options }))
}
