// IDX reading and writing: round trips for every type, the exact byte layout, and an error that
// names the problem for each kind of malformed file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { IDX_DTYPES, isGzip, MAX_IDX_BYTES, parseIdx, readIdxFile, writeIdx, writeIdxFile, type IdxDtype } from '../../src/data/idx.ts'

const element: Record<IdxDtype, fc.Arbitrary<number>> = {
  uint8: fc.integer({ min: 0, max: 255 }),
  int8: fc.integer({ min: -128, max: 127 }),
  int16: fc.integer({ min: -32768, max: 32767 }),
  int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  float32: fc.float(), // includes NaN, infinities and -0
  float64: fc.double(),
}

// A dtype, a shape of 0..4 dimensions (sizes 0..5) and matching data.
const idxArray = fc
  .record({ dtype: fc.constantFrom(...IDX_DTYPES), shape: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }) })
  .chain(({ dtype, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1)
    return fc.array(element[dtype], { minLength: n, maxLength: n }).map((data) => ({ dtype, shape, data }))
  })

const sameValues = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]))

test('write then parse gives back dtype, shape and data, raw and gzip', () => {
  fc.assert(
    fc.property(idxArray, fc.boolean(), ({ dtype, shape, data }, gzip) => {
      const bytes = writeIdx({ dtype, shape, data }, { gzip })
      assert.is(isGzip(bytes), gzip)
      const back = parseIdx(bytes, 'roundtrip')
      assert.is(back.dtype, dtype)
      assert.equal(back.shape, shape)
      assert.ok(sameValues(back.data, data), `${dtype} [${shape}] data differs`)
    }),
    { numRuns: 300 },
  )
})

test('every dtype comes back as its own typed array', () => {
  const kinds = { uint8: Uint8Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }
  for (const dtype of IDX_DTYPES) {
    const back = parseIdx(writeIdx({ dtype, shape: [2, 3], data: [0, 1, 2, 3, 4, 5] }), dtype)
    assert.instance(back.data, kinds[dtype], dtype)
  }
})

test('the byte layout is big-endian with the documented type codes', () => {
  assert.equal(Array.from(writeIdx({ dtype: 'int16', shape: [2], data: [1, -2] })), [0, 0, 0x0b, 1, 0, 0, 0, 2, 0x00, 0x01, 0xff, 0xfe])
  assert.equal(Array.from(writeIdx({ dtype: 'uint8', shape: [1, 2], data: [7, 255] })), [0, 0, 0x08, 2, 0, 0, 0, 1, 0, 0, 0, 2, 7, 255])
  const codes = IDX_DTYPES.map((dtype) => writeIdx({ dtype, shape: [0], data: [] })[2])
  assert.equal(codes, [0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e])
  // a multi-dimension size over 2^16 tests the uint32 header
  const big = parseIdx(Uint8Array.from([0, 0, 8, 2, 0, 1, 0, 0, 0, 0, 0, 0]), 'big')
  assert.equal(big.shape, [65536, 0])
  const f = writeIdx({ dtype: 'float32', shape: [1], data: [1] })
  assert.equal(Array.from(f.subarray(8)), [0x3f, 0x80, 0, 0])
})

test('the parsed data never aliases the input bytes', () => {
  const bytes = writeIdx({ dtype: 'uint8', shape: [3], data: [1, 2, 3] })
  const back = parseIdx(bytes, 'alias')
  bytes[8] = 99
  assert.equal(Array.from(back.data), [1, 2, 3])
  // gunzip and readFileSync hand back Buffers; the result must still be a plain, unshared array
  const fromGz = parseIdx(writeIdx({ dtype: 'int8', shape: [3], data: [1, -2, 3] }, { gzip: true }), 'alias.gz')
  assert.is(fromGz.data.constructor, Int8Array)
  assert.is(fromGz.data.byteOffset, 0)
  assert.is(fromGz.data.buffer.byteLength, 3)
})

const throwsWith = (fn: () => unknown, ...patterns: RegExp[]) => {
  try {
    fn()
  } catch (err) {
    const message = (err as Error).message
    for (const p of patterns) assert.match(message, p)
    return
  }
  assert.unreachable(`expected an error matching ${patterns.join(' and ')}`)
}

test('bad magic names the file and the bytes found', () => {
  throwsWith(() => parseIdx(Uint8Array.from([0x50, 0x4b, 8, 1, 0, 0, 0, 0]), 'a.idx'), /^a\.idx: /, /bad magic/, /00 00/, /found 50 4b/)
})

test('an unknown type byte is reported with the known ones', () => {
  throwsWith(() => parseIdx(Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 0]), 'b.idx'), /^b\.idx: /, /unknown IDX type byte 0x0a/, /0x08 uint8/, /0x0e float64/)
})

test('a file too short for its header says how many bytes it needed', () => {
  throwsWith(() => parseIdx(Uint8Array.from([0, 0]), 'c.idx'), /too short for an IDX header/, /at least 4 bytes/, /found 2/)
  throwsWith(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]), 'c.idx'), /too short/, /3 dimensions need 16 header bytes, found 8/)
})

test('a truncated file gives the expected and found data sizes', () => {
  const full = writeIdx({ dtype: 'int32', shape: [3, 4], data: new Array(12).fill(5) })
  throwsWith(() => parseIdx(full.subarray(0, full.length - 5), 'd.idx'), /^d\.idx: /, /file truncated/, /int32 \[3, 4\]/, /needs 48 bytes of data, found 43/)
  // truncated inside a gzip too: the decompressed length is what counts
  throwsWith(() => parseIdx(gzipSync(full.subarray(0, 20)), 'd.idx.gz'), /truncated/, /needs 48 bytes of data, found 8/)
})

test('trailing bytes are an error, with the counts', () => {
  const full = writeIdx({ dtype: 'uint8', shape: [2, 2], data: [1, 2, 3, 4] })
  const longer = new Uint8Array(full.length + 3)
  longer.set(full)
  throwsWith(() => parseIdx(longer, 'e.idx'), /^e\.idx: /, /3 trailing bytes/, /needs 4 bytes of data, found 7/)
})

test('corrupt gzip is a clear error, whether cut short or damaged', () => {
  const gz = writeIdx({ dtype: 'uint8', shape: [100], data: new Array(100).fill(0).map((_, i) => i) }, { gzip: true })
  throwsWith(() => parseIdx(gz.subarray(0, gz.length - 10), 'f.gz'), /^f\.gz: /, /corrupt gzip/, /unexpected end of file/)
  const damaged = gz.slice()
  damaged[damaged.length - 6] ^= 0xff // inside the CRC-32 trailer
  throwsWith(() => parseIdx(damaged, 'f.gz'), /corrupt gzip/)
})

// Gzip bombs (issue 12): concatenated gzip members are one valid stream, so a 1 MiB run of
// zeros compressed once (about 1 KB) and repeated makes a small file that inflates without end.
function bomb(header: Uint8Array, mebibytes: number): Buffer {
  const zeros = gzipSync(Buffer.alloc(2 ** 20))
  return Buffer.concat([gzipSync(header), ...new Array<Buffer>(mebibytes).fill(zeros)])
}

test('a gzip bomb behind an honest header is refused once it passes the size the header announces', () => {
  const header = writeIdx({ dtype: 'uint8', shape: [10, 28, 28], data: new Array(7840).fill(0) }).subarray(0, 16)
  const gz = bomb(header, 3 * 1024) // about 3 MB that inflate to 3 GiB
  assert.ok(gz.length < 4e6, `the bomb is small: ${gz.length} bytes`)
  const started = Date.now()
  throwsWith(() => parseIdx(gz, 'bomb.gz'), /^bomb\.gz: decompresses to more than 11952 bytes where its IDX header announces 7856: refused \(a gzip bomb, or a corrupt file\)/)
  assert.ok(Date.now() - started < 3000, `refused early, in ${Date.now() - started} ms`)
})

test('an IDX header announcing more than MAX_IDX_BYTES is refused before inflating the rest', () => {
  const header = Buffer.from([0, 0, 0x08, 2, 0, 1, 0, 0, 0, 1, 0, 0]) // uint8 [65536, 65536]: 4 GiB
  throwsWith(() => parseIdx(bomb(header, 8), 'huge.gz'), /^huge\.gz: its IDX header announces 4294967308 bytes, more than the 1073741824 genkata decompresses/)
  assert.is(MAX_IDX_BYTES, 2 ** 30)
  // Not an IDX file at all: a little is inflated, then parseIdx names what it found.
  throwsWith(() => parseIdx(bomb(Buffer.from('PK\x03\x04 not idx'), 4), 'zip.gz'), /^zip\.gz: decompresses to more than 8192 bytes where its IDX header announces no valid header/)
  throwsWith(() => parseIdx(gzipSync(Buffer.from('PK\x03\x04 not idx')), 'small.gz'), /^small\.gz: bad magic/)
})

test('random bytes either parse or throw an Error that names the source', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      try {
        parseIdx(bytes, 'fuzz')
      } catch (err) {
        assert.instance(err, Error)
        assert.match((err as Error).message, /^fuzz: /)
      }
    }),
  )
})

test('writeIdx refuses data that does not fit its shape', () => {
  throwsWith(() => writeIdx({ dtype: 'uint8', shape: [2, 3], data: [1, 2] }), /shape \[2, 3\] needs 6 elements, data has 2/)
  throwsWith(() => writeIdx({ dtype: 'uint8', shape: [1.5], data: [1] }), /not a uint32/)
})

test('readIdxFile and writeIdxFile: gzip by extension, errors name the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genkata-idx-'))
  try {
    const array = { dtype: 'float64' as const, shape: [2, 2], data: [0.5, -1, 1e300, -0] }
    writeIdxFile(join(dir, 'a.idx.gz'), array)
    writeIdxFile(join(dir, 'a.idx'), array)
    const gz = readIdxFile(join(dir, 'a.idx.gz'))
    const raw = readIdxFile(join(dir, 'a.idx'))
    assert.ok(sameValues(gz.data, array.data) && sameValues(raw.data, array.data))
    writeFileSync(join(dir, 'bad.idx'), Uint8Array.from([1, 2, 3, 4, 5]))
    throwsWith(() => readIdxFile(join(dir, 'bad.idx')), new RegExp(`^${join(dir, 'bad.idx')}: bad magic`))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
