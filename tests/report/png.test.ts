// PNG files: what is written decodes to the same pixels, in grayscale and RGB; writes are atomic
// (no temporary file is left behind, even when the write fails); bad input gets a clear error.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import pngjs from 'pngjs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { writeFileAtomic } from '../../src/report/atomic.ts'
import type { Image } from '../../src/report/canvas.ts'
import { decodePng, encodePng, readPng, writePng } from '../../src/report/png.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-png-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

const imageArb = fc
  .record({ width: fc.integer({ min: 1, max: 9 }), height: fc.integer({ min: 1, max: 9 }), channels: fc.constantFrom(1 as const, 3 as const) })
  .chain(({ width, height, channels }) =>
    fc.uint8Array({ minLength: width * height * channels, maxLength: width * height * channels }).map((data): Image => ({ width, height, channels, data })),
  )

test('encode then decode gives back the size, the channels and every byte', () => {
  fc.assert(
    fc.property(imageArb, (img) => {
      const back = decodePng(encodePng(img))
      assert.equal([back.width, back.height, back.channels], [img.width, img.height, img.channels])
      assert.equal(Array.from(back.data), Array.from(img.data))
    }),
    { numRuns: 150 },
  )
})

test('the file says grayscale or RGB in its header (colour type 0 or 2)', () => {
  const gray = encodePng({ width: 2, height: 1, channels: 1, data: Uint8Array.of(0, 255) })
  const rgb = encodePng({ width: 1, height: 1, channels: 3, data: Uint8Array.of(1, 2, 3) })
  // IHDR: signature (8) + length (4) + "IHDR" (4) + width (4) + height (4) + depth (1) + colour type (1)
  assert.equal([gray[24], gray[25]], [8, 0])
  assert.equal([rgb[24], rgb[25]], [8, 2])
})

test('writePng then readPng round-trips through a file and leaves no temporary file', () => {
  const img: Image = { width: 3, height: 2, channels: 3, data: Uint8Array.from({ length: 18 }, (_, i) => i * 13) }
  const path = join(dir, 'sub', 'a.png')
  writePng(path, img) // creates the folder
  writePng(path, { ...img, data: img.data.map((v) => 255 - v) }) // replaces the file
  assert.equal(Array.from(readPng(path).data), Array.from(img.data.map((v) => 255 - v)))
  assert.equal(readdirSync(join(dir, 'sub')), ['a.png'])
})

test('a failed atomic write throws and removes its temporary file, leaving the target as it was', () => {
  const target = join(dir, 'blocked')
  mkdirSync(join(target, 'inside'), { recursive: true }) // renaming a file over a non-empty folder fails
  assert.throws(() => writeFileAtomic(target, 'x'))
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [])
  assert.equal(readdirSync(target), ['inside'])
})

test('many atomic writes to one file leave only that file', () => {
  const sub = join(dir, 'many')
  for (let i = 0; i < 20; i++) writeFileAtomic(join(sub, 'm.txt'), String(i))
  assert.equal(readdirSync(sub), ['m.txt'])
})

test('errors name the problem: wrong byte count, not a PNG, a transparent pixel', () => {
  assert.throws(() => encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(5) }), /2x2 image with 3 channel\(s\) needs 12 bytes, got 5/)
  assert.throws(() => decodePng(Uint8Array.of(1, 2, 3), 'junk.png'), /junk.png: not a readable PNG/)
  const rgba = new pngjs.PNG({ width: 2, height: 1 })
  rgba.data.set([0, 0, 0, 255, 9, 9, 9, 128])
  const file = join(dir, 'alpha.png')
  writeFileSync(file, pngjs.PNG.sync.write(rgba))
  assert.throws(() => readPng(file), /alpha.png: pixel \(1, 0\) is not opaque \(alpha 128\)/)
})

test('an opaque RGBA file reads as RGB', () => {
  const rgba = new pngjs.PNG({ width: 1, height: 1 })
  rgba.data.set([10, 20, 30, 255])
  const img = decodePng(pngjs.PNG.sync.write(rgba))
  assert.equal([img.channels, ...img.data], [3, 10, 20, 30])
})

test.run()
