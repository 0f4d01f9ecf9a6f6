// The drawing primitives: clipping, colours on gray and RGB images, lines that join their ends.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { blit, createImage, drawLine, fillRect, getPixel, setPixel, strokeRect, type Image } from '../../src/report/canvas.ts'

const inked = (img: Image) => {
  const out: [number, number][] = []
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) if (getPixel(img, x, y)[0] === 0) out.push([x, y])
  return out
}

test('createImage fills with the colour and rejects bad sizes', () => {
  const img = createImage(3, 2, 3, [1, 2, 3])
  assert.equal(getPixel(img, 2, 1), [1, 2, 3])
  assert.equal(createImage(1, 1, 1, 300).data[0], 255) // clamped to a byte
  assert.throws(() => createImage(0, 2), /positive integer width and height, got 0x2/)
  assert.throws(() => createImage(2.5, 2), /got 2.5x2/)
})

test('colours: RGB on gray uses luma weights, a gray level on RGB repeats', () => {
  const gray = createImage(1, 1, 1, 0)
  setPixel(gray, 0, 0, [255, 0, 0])
  assert.is(gray.data[0], Math.round(0.299 * 255))
  const rgb = createImage(1, 1, 3, 0)
  setPixel(rgb, 0, 0, 77)
  assert.equal(getPixel(rgb, 0, 0), [77, 77, 77])
})

test('drawing outside the image is clipped; reading outside it is an error', () => {
  const img = createImage(4, 4, 1, 255)
  setPixel(img, -1, 0, 0)
  setPixel(img, 4, 4, 0)
  fillRect(img, -10, -10, 12, 11, 0) // covers (0..1, 0)
  assert.equal(inked(img), [[0, 0], [1, 0]])
  assert.throws(() => getPixel(img, 4, 0), /\(4, 0\) is outside the 4x4 image/)
})

test('strokeRect draws the outline only', () => {
  const img = createImage(5, 4, 1, 255)
  strokeRect(img, 0, 0, 5, 4, 0)
  assert.is(inked(img).length, 2 * 5 + 2 * 2)
  assert.equal(getPixel(img, 2, 2), [255, 255, 255])
})

test('a line covers both ends, stays in their bounding box and is connected', () => {
  const pt = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }))
  fc.assert(
    fc.property(pt, pt, ([xa, ya], [xb, yb]) => {
      const img = createImage(16, 16, 1, 255)
      drawLine(img, xa, ya, xb, yb, 0)
      const px = inked(img)
      const has = (x: number, y: number) => px.some(([u, v]) => u === x && v === y)
      assert.ok(has(xa, ya) && has(xb, yb))
      for (const [x, y] of px) assert.ok(x >= Math.min(xa, xb) && x <= Math.max(xa, xb) && y >= Math.min(ya, yb) && y <= Math.max(ya, yb))
      // one pixel per step along the longer axis: exactly max(|dx|, |dy|) + 1 pixels
      assert.is(px.length, Math.max(Math.abs(xb - xa), Math.abs(yb - ya)) + 1)
    }),
  )
})

test('a thick line is thick, and a clip rectangle bounds it', () => {
  const img = createImage(10, 10, 1, 255)
  drawLine(img, 0, 5, 9, 5, 0, 2, { x: 2, y: 0, w: 5, h: 10 })
  assert.equal(
    inked(img).map(([x, y]) => `${x},${y}`).sort(),
    [2, 3, 4, 5, 6].flatMap((x) => [`${x},5`, `${x},6`]).sort(),
  )
})

test('blit copies a gray image onto an RGB one at an offset, clipped', () => {
  const src = createImage(2, 2, 1, 40)
  const dst = createImage(3, 3, 3, 255)
  blit(dst, src, 2, 2)
  assert.equal(getPixel(dst, 2, 2), [40, 40, 40])
  assert.equal(getPixel(dst, 1, 1), [255, 255, 255])
  const rgb = createImage(1, 1, 3, [5, 6, 7])
  blit(dst, rgb, 0, 0)
  assert.equal(getPixel(dst, 0, 0), [5, 6, 7])
})

test.run()
