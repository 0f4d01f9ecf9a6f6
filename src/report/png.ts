// PNG files for images: 8-bit grayscale or RGB, written atomically, read back for tests and for
// anyone comparing runs. pngjs does the encoding.
import { readFileSync } from 'node:fs'
import pngjs from 'pngjs'
import { writeFileAtomic } from './atomic.ts'
import type { Image } from './canvas.ts'

const { PNG } = pngjs

// PNG colour types: 0 grayscale, 2 RGB (no alpha).
const COLOR_TYPE = { 1: 0, 3: 2 } as const

export function encodePng(img: Image): Buffer {
  const expected = img.width * img.height * img.channels
  if (img.data.length !== expected) {
    throw new RangeError(`encodePng: a ${img.width}x${img.height} image with ${img.channels} channel(s) needs ${expected} bytes, got ${img.data.length}`)
  }
  const type = COLOR_TYPE[img.channels]
  // pngjs's writer reads only width, height and data, so a plain object stands in for a PNG. Same
  // input and output colour type: it takes the bytes as they are, no alpha round trip.
  const source = { width: img.width, height: img.height, data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength) }
  return PNG.sync.write(
    source as unknown as InstanceType<typeof PNG>,
    { colorType: type, inputColorType: type, inputHasAlpha: false, bitDepth: 8 },
  )
}

// Decodes to 1 channel for a grayscale file and 3 for every other kind (palette, RGB). An alpha
// channel is accepted only when every pixel is opaque: compositing is not this reader's job.
export function decodePng(bytes: Uint8Array, what = 'PNG'): Image {
  let png: ReturnType<typeof PNG.sync.read>
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  } catch (err) {
    throw new Error(`${what}: not a readable PNG (${err instanceof Error ? err.message : String(err)})`)
  }
  const { width, height, data } = png // always RGBA, 8 bits per channel
  const gray = !png.color
  const channels = gray ? 1 : 3
  const out = new Uint8Array(width * height * channels)
  for (let i = 0; i < width * height; i++) {
    if (data[4 * i + 3] !== 255) {
      throw new Error(`${what}: pixel (${i % width}, ${Math.floor(i / width)}) is not opaque (alpha ${data[4 * i + 3]}); expected a grayscale or RGB image`)
    }
    if (gray) out[i] = data[4 * i]!
    else for (let k = 0; k < 3; k++) out[3 * i + k] = data[4 * i + k]!
  }
  return { width, height, channels, data: out }
}

export function writePng(path: string, img: Image): void {
  writeFileAtomic(path, encodePng(img))
}

export function readPng(path: string): Image {
  return decodePng(readFileSync(path), path)
}
