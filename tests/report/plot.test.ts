// Plots, checked on the decoded PNG: the axes where the layout says, the tick labels' glyphs
// under and beside their ticks, series in their colours, legend swatches, and the documented
// handling of single points, constant series, NaN/Infinity and log scales.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createImage, getPixel, type Image, type Rgb } from '../../src/report/canvas.ts'
import { drawText, measureText } from '../../src/report/font.ts'
import { histogram, histogramCounts, linePlot, PALETTE, renderHistogram, renderLinePlot, seriesColor, type LinePlotOptions, type PlotLayout } from '../../src/report/plot.ts'
import { readPng, writePng } from '../../src/report/png.ts'
import { logTicks, niceTicks } from '../../src/report/ticks.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-plot-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
// Renders, writes the PNG, and returns the decoded file with the layout used.
function plot(o: LinePlotOptions): { img: Image; L: PlotLayout } {
  const { image, layout } = renderLinePlot(o)
  const path = join(dir, `p${files++}.png`)
  writePng(path, image)
  return { img: readPng(path), L: layout }
}

const same = (a: Rgb, b: Rgb) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2]
const BLACK: Rgb = [0, 0, 0]

// The text's glyph ink is black at (x, y) in img, and no other pixel of its box is black.
function assertText(img: Image, text: string, x: number, y: number, what: string) {
  const size = measureText(text)
  const ref = createImage(size.width, size.height, 1, 255)
  drawText(ref, text, 0, 0, { color: 0 })
  for (let v = 0; v < size.height; v++) {
    for (let u = 0; u < size.width; u++) {
      const ink = getPixel(ref, u, v)[0] === 0
      assert.is(same(getPixel(img, x + u, y + v), BLACK), ink, `${what} "${text}": pixel (${u}, ${v}) of the label at (${x}, ${y})`)
    }
  }
}

// Pixels of `color` within `r` pixels of (x, y).
const near = (img: Image, x: number, y: number, color: Rgb, r = 1) => {
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (same(getPixel(img, x + dx, y + dy), color)) return true
  return false
}

const falling = Array.from({ length: 20 }, (_, i) => [i + 1, 100 * Math.exp(-i / 5) + 20] as [number, number])

test('the axes are black lines just outside the data area, on its left and bottom', () => {
  const { img, L } = plot({ title: 'loss', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'train', points: falling }] })
  const { x, y, w, h } = L.area
  for (let yy = y - 1; yy <= y + h; yy++) assert.ok(same(getPixel(img, x - 1, yy), BLACK), `y axis at (${x - 1}, ${yy})`)
  for (let xx = x - 1; xx <= x + w; xx++) assert.ok(same(getPixel(img, xx, y + h), BLACK), `x axis at (${xx}, ${y + h})`)
  // and nothing black just inside them, away from the ticks: the axis is one pixel wide
  assert.not.ok(same(getPixel(img, x, y + 3), BLACK))
  assert.ok(L.area.x > 20 && L.area.y > 20 && L.area.x + L.area.w < img.width && L.area.y + L.area.h < img.height - 20, 'room for labels')
})

test('ticks follow niceTicks; each has its tick mark, gridline and label text at the documented place', () => {
  const { img, L } = plot({ series: [{ name: 'train', points: falling }] })
  const xs = falling.map((p) => p[0])
  const ys = falling.map((p) => p[1])
  assert.equal(L.xTicks, niceTicks(Math.min(...xs), Math.max(...xs)))
  assert.equal(L.yTicks, niceTicks(Math.min(...ys), Math.max(...ys)))
  const { x, y, w, h } = L.area
  L.xTicks.values.forEach((v, i) => {
    const px = L.xToPixel(v)
    assert.ok(px >= x && px < x + w)
    for (let k = 1; k <= 4; k++) assert.ok(same(getPixel(img, px, y + h + k), BLACK), `x tick mark ${v}`)
    assert.ok(same(getPixel(img, px, y + 2), [225, 225, 225]) || i === 0 || i === L.xTicks.values.length - 1, `x gridline ${v}`)
    const label = L.xTicks.labels[i]!
    assertText(img, label, px - Math.floor(measureText(label).width / 2), y + h + 8, 'x tick label')
  })
  L.yTicks.values.forEach((v, i) => {
    const py = L.yToPixel(v)
    for (let k = 2; k <= 5; k++) assert.ok(same(getPixel(img, x - k, py), BLACK), `y tick mark ${v}`)
    const label = L.yTicks.labels[i]!
    assertText(img, label, x - 8 - measureText(label).width, py - 3, 'y tick label')
  })
  // the ends of the tick range are the ends of the data area
  assert.equal([L.xToPixel(L.xTicks.values[0]!), L.xToPixel(L.xTicks.values.at(-1)!)], [x, x + w - 1])
  assert.equal([L.yToPixel(L.yTicks.values[0]!), L.yToPixel(L.yTicks.values.at(-1)!)], [y + h - 1, y])
})

test('title and axis labels are drawn centred on the data area (the y label turned up)', () => {
  const { img, L } = plot({ title: 'VAE loss', xLabel: 'epoch', series: [{ name: 'train', points: falling }] })
  const tw = measureText('VAE loss', 2).width
  const ref = createImage(tw, 18, 1, 255)
  drawText(ref, 'VAE loss', 0, 0, { scale: 2, color: 0 })
  const tx = L.area.x + Math.floor((L.area.w - tw) / 2)
  for (let v = 0; v < 18; v++) for (let u = 0; u < tw; u++) assert.is(same(getPixel(img, tx + u, 8 + v), BLACK), getPixel(ref, u, v)[0] === 0)
  assertText(img, 'epoch', L.area.x + Math.floor((L.area.w - measureText('epoch').width) / 2), L.area.y + L.area.h + 8 + 9 + 4, 'x label')
  const { img: img2, L: L2 } = plot({ yLabel: 'loss', series: [{ name: 'train', points: falling }] })
  let ink = 0
  for (let yy = L2.area.y; yy < L2.area.y + L2.area.h; yy++) for (let xx = 8; xx < 17; xx++) if (same(getPixel(img2, xx, yy), BLACK)) ink++
  assert.ok(ink > 10, 'the y label has ink in its column')
})

test('series get distinct colours; each legend swatch is filled with its series colour and labelled', () => {
  const series = [0, 1, 2].map((k) => ({ name: `s${k}`, points: falling.map(([x, y]) => [x, y + 40 * k] as [number, number]) }))
  const { img, L } = plot({ series })
  const entries = L.legend!.entries
  assert.is(entries.length, 3)
  entries.forEach((e, k) => {
    assert.equal(e.color, PALETTE[k])
    for (let yy = e.swatch.y; yy < e.swatch.y + e.swatch.h; yy++) {
      for (let xx = e.swatch.x; xx < e.swatch.x + e.swatch.w; xx++) assert.equal(getPixel(img, xx, yy), PALETTE[k], `swatch ${k} at (${xx}, ${yy})`)
    }
    assertText(img, `s${k}`, e.swatch.x + e.swatch.w + 6, e.swatch.y - 1, 'legend label')
    // the series itself is drawn in that colour through its points
    for (const [x, y] of series[k]!.points.slice(2)) assert.ok(near(img, L.xToPixel(x), L.yToPixel(y), PALETTE[k]!, 0) || near(img, L.xToPixel(x), L.yToPixel(y), PALETTE[k]!, 2))
  })
  const colours = Array.from({ length: 40 }, (_, i) => seriesColor(i).join(','))
  assert.is(new Set(colours).size, 40, 'forty series, forty colours')
  const { L: L2 } = plot({ series: [{ name: 'red', points: falling, color: [200, 0, 0] }] })
  assert.equal(L2.legend!.entries[0]!.color, [200, 0, 0])
})

test('the legend takes the emptiest corner: top right over a falling curve, elsewhere over a rising one', () => {
  const rising = falling.map(([x, y]) => [x, 200 - y] as [number, number])
  const fall = plot({ series: [{ name: 'f', points: falling }] }).L
  assert.ok(fall.legend!.box.x > fall.area.x + fall.area.w / 2 && fall.legend!.box.y < fall.area.y + fall.area.h / 2)
  const { img, L } = plot({ series: [{ name: 'r', points: rising }] })
  const b = L.legend!.box
  assert.not.ok(b.x > L.area.x + L.area.w / 2 && b.y < L.area.y + L.area.h / 2, 'not top right')
  for (const [x, y] of rising) {
    const [px, py] = [L.xToPixel(x), L.yToPixel(y)]
    assert.not.ok(px >= b.x && px < b.x + b.w && py >= b.y && py < b.y + b.h, `point (${x}, ${y}) under the legend`)
  }
  assert.ok(near(img, L.xToPixel(rising[10]![0]), L.yToPixel(rising[10]![1]), PALETTE[0]!))
})

test('a single point shows as a marker, and its range is widened around it', () => {
  const { img, L } = plot({ series: [{ name: 'one', points: [[3, 7]] }] })
  const [px, py] = [L.xToPixel(3), L.yToPixel(7)]
  assert.ok(px > L.area.x && px < L.area.x + L.area.w - 1 && py > L.area.y && py < L.area.y + L.area.h - 1, 'inside, not on an edge')
  for (let d = -2; d <= 2; d++) assert.equal(getPixel(img, px + d, py), PALETTE[0], `marker row at dx ${d}`)
  assert.ok(L.xTicks.values[0]! < 3 && L.xTicks.values.at(-1)! > 3 && L.yTicks.values[0]! < 7)
})

test('a constant series is a horizontal line across the middle', () => {
  const { img, L } = plot({ series: [{ name: 'flat', points: falling.map(([x]) => [x, 262.6] as [number, number]) }], markers: false })
  const py = L.yToPixel(262.6)
  assert.ok(py > L.area.y && py < L.area.y + L.area.h - 1)
  for (let px = L.xToPixel(1); px <= L.xToPixel(20); px++) {
    if (px >= L.legend!.box.x && px < L.legend!.box.x + L.legend!.box.w && py < L.legend!.box.y + L.legend!.box.h) continue
    assert.ok(near(img, px, py, PALETTE[0]!, 0), `line at (${px}, ${py})`)
  }
})

test('NaN and Infinity points are skipped: the line breaks there and the legend counts them', () => {
  const pts: [number, number][] = [[0, 0], [1, 1], [2, NaN], [3, 1], [4, Infinity], [5, 0], [-Infinity, 3]]
  const { img, L } = plot({ series: [{ name: 'loss', points: pts }], markers: false })
  assert.is(L.legend!.entries[0]!.label, 'loss (3 NaN/inf skipped)')
  assert.equal([L.xTicks.values[0], L.xTicks.values.at(-1)], [0, 5], 'skipped points do not stretch the axes')
  // no segment from (1, 1) to (3, 1) across the gap: the middle of it stays empty
  assert.not.ok(near(img, L.xToPixel(2), L.yToPixel(1), PALETTE[0]!, 1))
  // the segment (0, 0) -> (1, 1) is there
  assert.ok(near(img, L.xToPixel(0.5), L.yToPixel(0.5), PALETTE[0]!, 1))
  // (3, 1) has no drawable neighbour, so it still gets a marker
  assert.ok(near(img, L.xToPixel(3), L.yToPixel(1), PALETTE[0]!, 0))
})

test('a plot with nothing drawable still renders axes over [0, 1]', () => {
  const { L } = plot({ series: [{ name: 'nan', points: [[0, NaN]] }, { name: 'empty', points: [] }] })
  assert.equal([L.xTicks.values[0], L.xTicks.values.at(-1), L.yTicks.values[0], L.yTicks.values.at(-1)], [0, 1, 0, 1])
  assert.equal(L.legend!.entries.map((e) => e.label), ['nan (1 NaN/inf skipped)', 'empty'])
  assert.is(plot({ series: [] }).L.legend, undefined)
})

test('log scale: decade ticks equally spaced, points <= 0 skipped and counted', () => {
  const { img, L } = plot({ logY: true, series: [{ name: 'kl', points: [[1, 1000], [2, 10], [3, 0.1], [4, 0], [5, -1]] }] })
  assert.equal(L.yTicks, logTicks(0.1, 1000))
  const [a, b, c] = [L.yToPixel(0.1), L.yToPixel(1), L.yToPixel(10)]
  assert.ok(Math.abs(a - b - (b - c)) <= 1, `decades ${a} ${b} ${c} equally spaced`)
  assert.is(L.legend!.entries[0]!.label, 'kl (2 not positive skipped)')
  assert.ok(near(img, L.xToPixel(2), L.yToPixel(10), PALETTE[0]!, 1))
  assert.ok(plot({ logY: true, series: [{ name: 'x', points: [[0, NaN]] }] }).L.yTicks.values.includes(10))
})

test('options are checked: a missing series list, an image too small for its labels', () => {
  assert.throws(() => renderLinePlot({} as LinePlotOptions), /expected options.series/)
  assert.throws(() => renderLinePlot({ series: [], width: 60, height: 40 }), /60x40 image leaves a .* data area/)
})

test('any series draws in bounds, whatever its values', () => {
  const val = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(NaN, Infinity, -Infinity))
  fc.assert(
    fc.property(fc.array(fc.tuple(val, val), { maxLength: 12 }), fc.boolean(), (points, logY) => {
      const { image, layout } = renderLinePlot({ series: [{ name: 's', points }], logY, width: 400, height: 300 })
      assert.is(image.data.length, 400 * 300 * 3)
      for (const [x, y] of points) {
        if (!Number.isFinite(x) || !Number.isFinite(y) || (logY && y < 1e-300)) continue
        const [px, py] = [layout.xToPixel(x), layout.yToPixel(y)]
        assert.ok(px >= layout.area.x && px < layout.area.x + layout.area.w && py >= layout.area.y && py < layout.area.y + layout.area.h)
      }
    }),
    { numRuns: 40 },
  )
})

test('histogramCounts puts every value in the bin its edges say, and counts what it skipped', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.double({ min: -2, max: 3, noNaN: true }), fc.constant(NaN)), { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (values, bins) => {
      const h = histogramCounts(values, bins, [0, 1])
      const brute = new Array<number>(bins).fill(0)
      for (const v of values) if (v >= 0 && v <= 1) brute[v === 1 ? bins - 1 : Math.floor(v * bins)]!++
      assert.equal(h.counts, brute)
      assert.is(h.nonFinite, values.filter(Number.isNaN).length)
      assert.is(h.outside, values.filter((v) => v < 0 || v > 1).length)
      assert.is(h.edges.length, bins + 1)
    }),
  )
  assert.equal(histogramCounts([2, 2], 2).edges, [1.5, 2, 2.5])
  assert.equal(histogramCounts([], 1).edges, [0, 1])
  assert.throws(() => histogramCounts([1], 0), /bins must be a positive integer, got 0/)
  assert.throws(() => histogramCounts([1], 2, [1, 1]), /range must be finite with lo < hi, got \[1, 1\]/)
})

test('histogram bars rise to their counts in the bar colour; the legend counts values and skips', () => {
  const values = [0.05, 0.05, 0.05, 0.35, 0.95, NaN, 7]
  const { image, layout: L, counts } = renderHistogram(values, 4, { range: [0, 1], name: 'pixels' })
  writePng(join(dir, 'h.png'), image)
  const img = readPng(join(dir, 'h.png'))
  assert.equal(counts.counts, [3, 1, 0, 1])
  counts.counts.forEach((c, i) => {
    const mid = Math.round((L.xToPixel(counts.edges[i]!) + L.xToPixel(counts.edges[i + 1]!)) / 2)
    const top = L.yToPixel(c)
    if (c > 0) {
      assert.equal(getPixel(img, mid, top), PALETTE[0], `bar ${i} top`)
      assert.equal(getPixel(img, mid, L.area.y + L.area.h - 1), PALETTE[0], `bar ${i} foot`)
    }
    assert.not.equal(getPixel(img, mid, top - 1), PALETTE[0], `bar ${i} is no taller than ${c}`)
  })
  assert.is(L.legend!.entries[0]!.label, 'pixels: 5 (1 NaN/inf, 1 outside range skipped)')
  assert.equal(L.yTicks.values[0], 0)
  const log = renderHistogram(values, 4, { range: [0, 1], logY: true, color: [1, 2, 3] })
  assert.equal(log.layout.yTicks.values[0], 1)
  assert.equal(getPixel(log.image, Math.round(log.layout.xToPixel(0.1)), log.layout.yToPixel(3)), [1, 2, 3])
})

test('linePlot and histogram return the same image as their render functions', () => {
  const o = { title: 't', series: [{ name: 'a', points: falling }] }
  assert.equal(Array.from(linePlot(o).data), Array.from(renderLinePlot(o).image.data))
  const values = Float32Array.from({ length: 50 }, (_, i) => (i % 7) / 7)
  assert.equal(Array.from(histogram(values, 8).data), Array.from(renderHistogram(values, 8).image.data))
})

test('per-series options: line width, markers only (no line), markers off, left out of the legend', () => {
  const red: Rgb = [200, 0, 0]
  const pts: [number, number][] = [[0, 0], [10, 10]]
  const { img, L } = plot({
    series: [
      { name: 'thin', points: pts, color: red, width: 1, markers: false, legend: false },
      { name: 'dots', points: [[2, 8], [8, 2]], line: false },
    ],
  })
  assert.equal(L.legend!.entries.map((e) => e.label), ['dots'], 'the thin series is out of the legend')
  // A 1-pixel line: the pixel on it is red, its neighbours across it are not.
  const [mx, my] = [L.xToPixel(5), L.yToPixel(5)]
  const onLine = [-1, 0, 1].filter((d) => near(img, mx, my + d, red, 0))
  assert.is(onLine.length, 1, `one pixel wide at x ${mx}`)
  // Markers only: each point drawn, nothing between them.
  const dots = seriesColor(1)
  assert.ok(near(img, L.xToPixel(2), L.yToPixel(8), dots, 0) && near(img, L.xToPixel(8), L.yToPixel(2), dots, 0))
  assert.not.ok(near(img, L.xToPixel(4), L.yToPixel(6), dots, 1), 'no line between markers')
})

test('the report index exports the whole layer', async () => {
  const report = await import('../../src/report/index.ts')
  for (const name of ['writePng', 'readPng', 'drawText', 'niceTicks', 'linePlot', 'histogram', 'imageGrid', 'reconstructionGrid', 'traversalGrid', 'writeMetricsFiles', 'writeIndexHtml', 'writeFileAtomic', 'writeRunPage', 'StepLog', 'writeStepCurves', 'writeStepFigures', 'writeSnapshot', 'barChart', 'writeDatasetReport']) {
    assert.type((report as Record<string, unknown>)[name], 'function', name)
  }
})

test.run()
