// The bitmap font: every printable ASCII character has its own well-formed glyph, and the
// renderer puts exactly the glyph's ink where asked, at any scale and turned for y-axis labels.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createImage, getPixel } from '../../src/report/canvas.ts'
import { ADVANCE, drawText, glyph, GLYPH_WIDTH, hasGlyph, measureText, TEXT_HEIGHT } from '../../src/report/font.ts'

const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))

test('every printable ASCII character has a glyph 5 wide and 7 or 9 rows tall, made of # and .', () => {
  for (const ch of printable) {
    assert.ok(hasGlyph(ch), `no glyph for ${JSON.stringify(ch)}`)
    const rows = glyph(ch)
    assert.ok(rows.length === 7 || rows.length === 9, `${ch}: ${rows.length} rows`)
    for (const row of rows) assert.match(row, /^[#.]{5}$/, `${ch}: row "${row}"`)
  }
})

test('no two characters share a glyph, and only the space is blank', () => {
  const seen = new Map<string, string>()
  for (const ch of printable) {
    const key = glyph(ch).join('|').replace(/(\|\.\.\.\.\.)+$/, '') // trailing blank descender rows do not count
    assert.not.ok(seen.has(key), `${JSON.stringify(ch)} looks like ${JSON.stringify(seen.get(key))}`)
    seen.set(key, ch)
    assert.is(key.includes('#'), ch !== ' ', JSON.stringify(ch))
  }
})

test('the descender rows are used by exactly the letters that hang below the line', () => {
  const hanging = printable.filter((ch) => glyph(ch).slice(7).some((r) => r.includes('#')))
  assert.equal(hanging.sort(), [',', ';', '_', 'g', 'j', 'p', 'q', 'y'].sort())
})

test('an unknown character is drawn as a hollow box, not skipped', () => {
  assert.not.ok(hasGlyph('β'))
  assert.equal(glyph('β'), ['#####', '#...#', '#...#', '#...#', '#...#', '#...#', '#####'])
  assert.is(measureText('aβ').width, 2 * ADVANCE - 1)
})

test('measureText: 6 pixels a character less the last gap, 9 rows, times the scale', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }), fc.integer({ min: 1, max: 4 }), (text, scale) => {
      const n = [...text].length
      assert.equal(measureText(text, scale), { width: n ? (6 * n - 1) * scale : 0, height: 9 * scale })
    }),
  )
})

// The image drawText makes must be exactly the glyphs' ink, each glyph pixel a scale x scale block.
test('drawText inks exactly the glyph pixels, scaled, left to right', () => {
  const text = fc.array(fc.constantFrom(...printable), { minLength: 1, maxLength: 6 }).map((a) => a.join(''))
  fc.assert(
    fc.property(text, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), (s, scale, off) => {
      const size = measureText(s, scale)
      const img = createImage(size.width + 2 * off, size.height + 2 * off, 1, 255)
      assert.equal(drawText(img, s, off, off, { scale, color: 0 }), size)
      for (let y = 0; y < img.height; y++) {
        for (let x = 0; x < img.width; x++) {
          const u = x - off
          const v = y - off
          const k = Math.floor(u / (ADVANCE * scale))
          const c = Math.floor((u - k * ADVANCE * scale) / scale)
          const r = Math.floor(v / scale)
          const ink = u >= 0 && v >= 0 && k < [...s].length && c < GLYPH_WIDTH && r < TEXT_HEIGHT && glyph([...s][k]!)[r]?.[c] === '#'
          assert.is(getPixel(img, x, y)[0], ink ? 0 : 255, `${JSON.stringify(s)} scale ${scale} at (${x}, ${y})`)
        }
      }
    }),
    { numRuns: 60 },
  )
})

test("direction 'up' is the same text turned a quarter counter-clockwise", () => {
  const s = 'loss 1e-3'
  const size = measureText(s, 2)
  const flat = createImage(size.width, size.height, 1, 255)
  drawText(flat, s, 0, 0, { scale: 2, color: 0 })
  const up = createImage(size.height, size.width, 1, 255)
  assert.equal(drawText(up, s, 0, 0, { scale: 2, color: 0, direction: 'up' }), { width: size.height, height: size.width })
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) assert.is(getPixel(up, y, size.width - 1 - x)[0], getPixel(flat, x, y)[0])
  }
})

test('a non-integer scale is refused', () => {
  assert.throws(() => drawText(createImage(5, 5), 'a', 0, 0, { scale: 1.5 }), /scale must be a positive integer, got 1.5/)
})

test.run()
