// Image grids on the decoded PNG: every image's pixels land at the documented position, scaled
// by whole pixels, padding in the background gray; values clamped to [0, 1]; NaN refused;
// originals directly above their reconstructions; traversal rows per latent dimension.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { getPixel, type Image } from '../../src/report/canvas.ts'
import { measureText } from '../../src/report/font.ts'
import { imageGrid, reconstructionGrid, traversalGrid } from '../../src/report/grid.ts'
import { readPng, writePng } from '../../src/report/png.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-grid-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

const roundTrip = (img: Image) => {
  const path = join(dir, 'g.png')
  writePng(path, img)
  return readPng(path)
}
const gray = (img: Image, x: number, y: number) => getPixel(img, x, y)[0]

// Image i, h x w: pixel (y, x) = ((i * 37 + y * 7 + x * 3) % 256) / 255, distinct enough that a
// misplaced image or a transposed one shows.
const pattern = (i: number, h: number, w: number) => Float32Array.from({ length: h * w }, (_, p) => ((i * 37 + Math.floor(p / w) * 7 + (p % w) * 3) % 256) / 255)
const expected = (i: number, h: number, w: number, y: number, x: number) => (i * 37 + y * 7 + x * 3) % 256

// Checks the whole grid image: each cell holds its image scaled, everything else is background.
function assertLayout(img: Image, cells: (number | null)[], o: { h: number; w: number; rows: number; cols: number; pad: number; scale: number; bg: number; left?: number; top?: number }) {
  const { h, w, rows, cols, pad, scale, bg, left = 0, top = 0 } = o
  const W = w * scale
  const H = h * scale
  assert.equal([img.width, img.height, img.channels], [pad + left + cols * (W + pad), pad + top + rows * (H + pad), 1])
  const owner = new Map<string, number>()
  cells.forEach((i, k) => {
    if (i === null) return
    const x0 = pad + left + (k % cols) * (W + pad)
    const y0 = pad + top + Math.floor(k / cols) * (H + pad)
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        owner.set(`${x0 + x},${y0 + y}`, 1)
        assert.is(gray(img, x0 + x, y0 + y), expected(i, h, w, Math.floor(y / scale), Math.floor(x / scale)), `cell ${k} (image ${i}) pixel (${x}, ${y})`)
      }
    }
  })
  for (let y = top; y < img.height; y++) {
    for (let x = left; x < img.width; x++) if (!owner.has(`${x},${y}`)) assert.is(gray(img, x, y), bg, `background at (${x}, ${y})`)
  }
}

test('imageGrid puts image i at row i / cols, column i % cols, exactly, for any sizes', () => {
  const arb = fc.record({
    n: fc.integer({ min: 1, max: 7 }),
    h: fc.integer({ min: 1, max: 4 }),
    w: fc.integer({ min: 1, max: 4 }),
    pad: fc.integer({ min: 0, max: 3 }),
    scale: fc.integer({ min: 1, max: 3 }),
    extraCols: fc.integer({ min: 0, max: 2 }),
    bg: fc.integer({ min: 0, max: 255 }),
    form: fc.constantFrom('list', 'flat', 'nchw'),
  })
  fc.assert(
    fc.property(arb, ({ n, h, w, pad, scale, extraCols, bg, form }) => {
      const images = Array.from({ length: n }, (_, i) => pattern(i, h, w))
      const flat = new Float32Array(n * h * w)
      images.forEach((im, i) => flat.set(im, i * h * w))
      const cols = Math.ceil(Math.sqrt(n)) + extraCols
      const o = { cols, pad, scale, background: bg / 255, imageShape: [h, w] as const }
      const batch = form === 'list' ? images : form === 'flat' ? flat : { data: flat, shape: [n, 1, h, w] }
      const img = roundTrip(imageGrid(batch, o))
      assertLayout(img, images.map((_, i) => i), { h, w, rows: Math.ceil(n / cols), cols, pad, scale, bg })
    }),
    { numRuns: 60 },
  )
})

test('the default grid is near square, and rows alone fix the columns', () => {
  const images = Array.from({ length: 10 }, (_, i) => pattern(i, 2, 2))
  assertLayout(imageGrid(images), images.map((_, i) => i), { h: 2, w: 2, rows: 3, cols: 4, pad: 2, scale: 1, bg: 255 })
  assertLayout(imageGrid(images, { rows: 2 }), images.map((_, i) => i), { h: 2, w: 2, rows: 2, cols: 5, pad: 2, scale: 1, bg: 255 })
  assertLayout(imageGrid({ data: pattern(0, 3, 2), shape: [1, 3, 2] }, { pad: 1 }), [0], { h: 3, w: 2, rows: 1, cols: 1, pad: 1, scale: 1, bg: 255 })
})

test('values are clamped to [0, 1]: below 0 is black, above 1 white, infinities too', () => {
  const img = roundTrip(imageGrid([Float32Array.of(-0.5, 1.5, -Infinity, Infinity, 0.5, 0, 1, 1e-9, 0.999)], { pad: 0, imageShape: [1, 9] }))
  assert.equal(Array.from(img.data), [0, 255, 0, 255, 128, 0, 255, 0, 255])
})

test('a NaN pixel is an error naming the image and the pixel', () => {
  const images = [pattern(0, 3, 3), Float32Array.of(0, 0, 0, 0, 0, NaN, 0, 0, 0)]
  assert.throws(() => imageGrid(images), /imageGrid: image 1 has NaN at pixel \(row 1, col 2\); expected intensities in \[0, 1\]/)
})

test('row labels sit left of their row, column labels above their column, in ink that contrasts', () => {
  const images = Array.from({ length: 4 }, (_, i) => pattern(i, 10, 10))
  const labels = ['a', 'row two']
  const lw = measureText('row two').width + 2 + 2
  const img = imageGrid(images, { cols: 2, labels, colLabels: ['x', 'y'] })
  assertLayout(img, [0, 1, 2, 3], { h: 10, w: 10, rows: 2, cols: 2, pad: 2, scale: 1, bg: 255, left: lw, top: 9 + 2 })
  const inkIn = (x0: number, y0: number, x1: number, y1: number, ink: number) => {
    let n = 0
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (gray(img, x, y) === ink) n++
    return n
  }
  const rowY = (r: number) => 2 + 11 + r * 12
  assert.ok(inkIn(0, rowY(0), lw, rowY(0) + 10, 0) > 0 && inkIn(0, rowY(1), lw, rowY(1) + 10, 0) > inkIn(0, rowY(0), lw, rowY(0) + 10, 0), 'row labels, the longer one with more ink')
  assert.ok(inkIn(2 + lw, 0, 2 + lw + 10, 11, 0) > 0 && inkIn(2 + lw + 12, 0, 2 + lw + 22, 11, 0) > 0, 'column labels')
  // on a dark background the text is white
  const dark = imageGrid(images, { cols: 2, labels, background: 0 })
  let white = 0
  for (let y = 0; y < dark.height; y++) for (let x = 0; x < lw; x++) if (gray(dark, x, y) === 255) white++
  assert.ok(white > 10)
})

test('reconstructionGrid: each original directly above its reconstruction, rows in pairs', () => {
  const [n, h, w] = [5, 3, 2]
  const orig = Array.from({ length: n }, (_, i) => pattern(i, h, w))
  const recon = Array.from({ length: n }, (_, i) => pattern(100 + i, h, w))
  const img = roundTrip(reconstructionGrid(orig, recon, { cols: 3, labels: null, imageShape: [h, w] }))
  const cells = [0, 1, 2, 100, 101, 102, 3, 4, null, 103, 104, null]
  assertLayout(img, cells, { h, w, rows: 4, cols: 3, pad: 2, scale: 1, bg: 255 })
  // default labels: orig / recon; at most 10 columns by default
  const many = Array.from({ length: 12 }, (_, i) => pattern(i, 4, 4))
  const labelled = reconstructionGrid({ data: Float32Array.from(many.flatMap((a) => [...a])), shape: [12, 4, 4] }, many)
  const lw = measureText('recon').width + 4
  assert.equal([labelled.width, labelled.height], [2 + lw + 10 * 6, 2 + 4 * 6])
  assert.throws(() => reconstructionGrid(orig, recon.slice(1), { imageShape: [h, w] }), /expected as many reconstructions as originals, of the same size; got 5 of 3x2 and 4 of 3x2/)
})

test('traversalGrid: a row per latent dimension, a column per value, labelled', () => {
  const values = [-2, 0, 2.5]
  const dims = [4, 9]
  const images = Array.from({ length: 6 }, (_, i) => pattern(i, 5, 5))
  const img = traversalGrid(images, { values, dims, pad: 1 })
  const lw = measureText('z4').width + 1 + 2
  assertLayout(img, [0, 1, 2, 3, 4, 5], { h: 5, w: 5, rows: 2, cols: 3, pad: 1, scale: 1, bg: 255, left: lw, top: 11 })
  // without dims, as many rows as whole sets of values
  assert.is(traversalGrid(images, { values: [0, 1] }).height, 2 + 11 + 3 * (5 + 2))
  assert.throws(() => traversalGrid(images, { values, dims: [1] }), /1 dimensions x 3 values need 3 images, got 6/)
  assert.throws(() => traversalGrid(images, { values: [] }), /at least one traversal value/)
})

test('bad batches and options get errors that say what was expected', () => {
  assert.throws(() => imageGrid([]), /expected at least one image, got none/)
  assert.throws(() => imageGrid([new Float32Array(6)]), /images of 6 pixels are not square; pass imageShape/)
  assert.throws(() => imageGrid([new Float32Array(4), new Float32Array(9)]), /every image to have 2x2 = 4 pixels, image 1 has 9/)
  assert.throws(() => imageGrid(new Float32Array(8)), /one flat array of 8 values needs imageShape/)
  assert.throws(() => imageGrid(new Float32Array(8), { imageShape: [3, 1] }), /8 values are not a whole number of 3x1 images/)
  assert.throws(() => imageGrid({ data: new Float32Array(8), shape: [2, 2, 2, 1] }), /shape \[n, h, w\] or \[n, 1, h, w\]/)
  assert.throws(() => imageGrid({ data: new Float32Array(7), shape: [2, 2, 2] }), /shape \[2, 2, 2\] needs 8 values, data has 7/)
  const four = Array.from({ length: 4 }, () => new Float32Array(4))
  assert.throws(() => imageGrid(four, { rows: 1, cols: 3 }), /4 images do not fit a grid of 1 rows x 3 columns/)
  assert.throws(() => imageGrid(four, { scale: 0 }), /scale must be an integer >= 1, got 0/)
  assert.throws(() => imageGrid(four, { pad: -1 }), /pad must be an integer >= 0, got -1/)
  assert.throws(() => imageGrid(four, { background: 2 }), /background must be a gray level in \[0, 1\], got 2/)
  assert.throws(() => imageGrid(four, { cols: 2, labels: ['a'] }), /expected 2 row labels, got 1/)
  assert.throws(() => imageGrid(four, { cols: 2, colLabels: ['a'] }), /expected 2 column labels, got 1/)
})

test.run()
