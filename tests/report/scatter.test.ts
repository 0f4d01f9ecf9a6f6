// Scatter plots, checked on the decoded PNG: each point in its class colour where the layout puts
// it, nothing outside the data area, the legend right of the plot with swatches, labels and counts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createImage, getPixel, type Image, type Rgb } from '../../src/report/canvas.ts'
import { drawText, measureText } from '../../src/report/font.ts'
import { PALETTE } from '../../src/report/plot.ts'
import { readPng, writePng } from '../../src/report/png.ts'
import { renderScatter, scatterPlot, type ScatterOptions } from '../../src/report/scatter.ts'
import { FASHION_MNIST_CLASSES } from '../../src/data/catalog.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-scatter-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
function draw(o: ScatterOptions) {
  const r = renderScatter(o)
  const path = join(dir, `s${files++}.png`)
  writePng(path, r.image)
  return { ...r, img: readPng(path) }
}

const same = (a: Rgb, b: Rgb) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2]

// The text's glyph ink is black at (x, y) in img, and no other pixel of its box is black.
function assertText(img: Image, text: string, x: number, y: number) {
  const size = measureText(text)
  const ref = createImage(size.width, size.height, 1, 255)
  drawText(ref, text, 0, 0, { color: 0 })
  for (let v = 0; v < size.height; v++) {
    for (let u = 0; u < size.width; u++) {
      const ink = getPixel(ref, u, v)[0] === 0
      assert.is(same(getPixel(img, x + u, y + v), [0, 0, 0]), ink, `"${text}" pixel (${u}, ${v}) at (${x}, ${y})`)
    }
  }
}

test('each point is a square of its class colour centred where the axes map it', () => {
  const x = [0, 1, 2, 3, 0.5]
  const y = [0, 1, 0, 1, 0.5]
  const labels = [0, 1, 2, 1, 0]
  const { img, layout } = draw({ x, y, labels, classNames: ['a', 'b', 'c'], pointSize: 5 })
  x.forEach((xi, i) => {
    const [px, py] = [layout.xToPixel(xi), layout.yToPixel(y[i]!)]
    for (let d = -2; d <= 2; d++) {
      for (const [u, v] of [[px + d, py], [px, py + d]]) {
        if (u < layout.area.x || v < layout.area.y || u >= layout.area.x + layout.area.w || v >= layout.area.y + layout.area.h) continue
        assert.ok(same(getPixel(img, u, v), PALETTE[labels[i]!]!), `point ${i} at (${u}, ${v})`)
      }
    }
  })
  // the axes stay black: points on the edge are clipped to the data area
  const { area } = layout
  for (let yy = area.y; yy < area.y + area.h; yy++) assert.ok(same(getPixel(img, area.x - 1, yy), [0, 0, 0]), `y axis at ${yy}`)
})

test('the legend sits right of the data area: a swatch in each class colour, the name and the count', () => {
  const classNames = [...FASHION_MNIST_CLASSES]
  const labels = Array.from({ length: 50 }, (_, i) => i % 10)
  const { img, layout } = draw({ x: labels.map((l) => l + 0.1), y: labels.map((l, i) => (l * 7 + i) % 11), labels, classNames, title: 'latent means: t-SNE' })
  const { box, entries } = layout.legend
  assert.ok(box.x > layout.area.x + layout.area.w, 'right of the data area')
  assert.ok(box.x + box.w <= img.width)
  assert.is(entries.length, 10)
  entries.forEach((e, c) => {
    assert.equal(e.color, PALETTE[c])
    for (let v = e.swatch.y; v < e.swatch.y + e.swatch.h; v++) for (let u = e.swatch.x; u < e.swatch.x + e.swatch.w; u++) assert.ok(same(getPixel(img, u, v), PALETTE[c]!))
    assert.is(e.label, `${classNames[c]} (5)`)
    assertText(img, e.label, e.swatch.x + e.swatch.w + 6, e.swatch.y - 1)
  })
  assert.is(layout.width, img.width)
})

test('points that are not finite are skipped and counted in the legend', () => {
  const { img, layout, skipped } = draw({ x: [0, NaN, 1, Infinity], y: [0, 1, 1, 2], labels: [0, 1, 0, 1], classNames: ['a', 'b'] })
  assert.is(skipped, 2)
  assert.equal(layout.legend.entries.map((e) => e.label), ['a (2)', 'b (0)'])
  const { box } = layout.legend
  assertText(img, '2 NaN/inf skipped', box.x + 6, box.y + 4 + 2 * (9 + 4))
})

test('no drawable point still gives a frame; one point alone is drawn', () => {
  const empty = draw({ x: [NaN], y: [NaN], labels: [0], classNames: ['a'] })
  assert.equal(empty.layout.xTicks.values.at(0), 0)
  const one = draw({ x: [2], y: [3], labels: [0], classNames: ['a'], colors: [[200, 0, 0]] })
  assert.ok(same(getPixel(one.img, one.layout.xToPixel(2), one.layout.yToPixel(3)), [200, 0, 0]))
  assert.is(scatterPlot({ x: [1], y: [1], labels: [0], classNames: ['a'], width: 300, height: 200 }).width, 300)
})

test('inputs that do not fit are errors that say what came', () => {
  assert.throws(() => renderScatter({ x: [0, 1], y: [0], labels: [0, 0], classNames: ['a'] }), /expected as many x, y and labels, got 2, 1 and 2/)
  assert.throws(() => renderScatter({ x: [0], y: [0], labels: [3], classNames: ['a', 'b'] }), /label 3 of point 0 is not a class in 0..1/)
  assert.throws(() => renderScatter({ x: [0], y: [0], labels: [0], classNames: [] }), /classNames is empty/)
})

test.run()
