// Line plots (learning curves) and histograms as RGB images: a framed plot area with 1-2-5 ticks
// and gridlines on both axes, a title, axis labels and a legend.
//
// Points that cannot be drawn (NaN or +-Infinity, and on a log axis y <= 0, or below 1e-300 where
// float64 runs out of decades) are skipped, the line breaks there, and the legend says how many: a run whose loss turns NaN at epoch 40
// still gets its curve for epochs 1-39, and the reader sees that something happened.
import { blit, createImage, drawLine, fillRect, getPixel, strokeRect, type Image, type Rgb } from './canvas.ts'
import { drawText, measureText, TEXT_HEIGHT, CAP_HEIGHT } from './font.ts'
import { logTicks, niceTicks, type Ticks } from './ticks.ts'

export interface Series {
  name: string
  points: ReadonlyArray<readonly [number, number]>
  color?: Rgb
  // Line width in pixels (2 by default); false draws the points as markers only.
  width?: number
  line?: boolean
  // Markers for this series alone, over the plot's `markers`.
  markers?: boolean
  // false keeps the series out of the legend: the faint raw steps under their smoothed line.
  legend?: boolean
}

export interface PlotOptions {
  title?: string
  xLabel?: string
  yLabel?: string
  width?: number
  height?: number
  logY?: boolean
  // Pixel scale of the labels' 5x7 font; the title is drawn one step larger.
  fontScale?: number
}

export interface LinePlotOptions extends PlotOptions {
  series: Series[]
  // A square marker on every point; by default when a series has at most 40 points. A point with
  // no drawable neighbour always gets one (otherwise a one-point series would be invisible).
  markers?: boolean
}

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export interface LegendEntry {
  label: string
  color: Rgb
  swatch: Rect
}

export interface PlotLayout {
  width: number
  height: number
  // The data area: data pixels lie inside it; the axes run just outside it, the y axis on
  // column area.x - 1 and the x axis on row area.y + area.h.
  area: Rect
  xTicks: Ticks
  yTicks: Ticks
  logY: boolean
  xToPixel: (x: number) => number
  yToPixel: (y: number) => number
  legend?: { box: Rect; entries: LegendEntry[] }
}

// matplotlib's tab10 colours: distinct hues that survive a grayscale printout reasonably well.
export const PALETTE: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
]

// Series past the palette get hues a golden angle apart, which never repeat.
export function seriesColor(i: number): Rgb {
  if (i < PALETTE.length) return PALETTE[i]!
  const h = ((i - PALETTE.length) * 137.508) % 360
  const f = (n: number) => {
    const k = (n + h / 30) % 12
    return Math.round(255 * (0.45 - 0.65 * 0.45 * Math.max(-1, Math.min(k - 3, 9 - k, 1))))
  }
  return [f(0), f(8), f(4)]
}

export const GRID_COLOR: Rgb = [225, 225, 225]
const AXIS_COLOR: Rgb = [0, 0, 0]
const LEGEND_BORDER: Rgb = [160, 160, 160]
const PAD = 8
const TICK = 4

// Lays out the frame: margins sized from the title, the axis labels and the widest tick label.
// Exported, with drawGrid and drawAxes, for the other plots (scatter.ts) to share the frame.
export function layoutFrame(o: PlotOptions, xTicks: Ticks, yTicks: Ticks): PlotLayout {
  const width = o.width ?? 640
  const height = o.height ?? 400
  const s = o.fontScale ?? 1
  const th = TEXT_HEIGHT * s
  const yLabelW = Math.max(0, ...yTicks.labels.map((l) => measureText(l, s).width))
  const lastXLabelW = measureText(xTicks.labels.at(-1)!, s).width
  const left = PAD + (o.yLabel ? th + PAD : 0) + yLabelW + 3 + TICK + 1
  const top = PAD + (o.title ? TEXT_HEIGHT * (s + 1) + PAD : 0) + 1
  const bottom = 1 + TICK + 3 + th + (o.xLabel ? PAD / 2 + th : 0) + PAD
  const right = Math.max(PAD, Math.ceil(lastXLabelW / 2) + 2)
  const area = { x: left, y: top, w: width - left - right, h: height - top - bottom }
  if (area.w < 16 || area.h < 16) {
    throw new RangeError(`plot: a ${width}x${height} image leaves a ${area.w}x${area.h} data area for these labels; make it larger`)
  }
  const [x0, x1] = [xTicks.values[0]!, xTicks.values.at(-1)!]
  const logY = o.logY ?? false
  const ty = (y: number) => (logY ? Math.log10(y) : y)
  const [y0, y1] = [ty(yTicks.values[0]!), ty(yTicks.values.at(-1)!)]
  return {
    width,
    height,
    area,
    xTicks,
    yTicks,
    logY,
    xToPixel: (x) => area.x + Math.round(((x - x0) / (x1 - x0)) * (area.w - 1)),
    yToPixel: (y) => area.y + area.h - 1 - Math.round(((ty(y) - y0) / (y1 - y0)) * (area.h - 1)),
  }
}

export function drawGrid(img: Image, L: PlotLayout): void {
  const { area } = L
  for (const v of L.xTicks.values) fillRect(img, L.xToPixel(v), area.y, 1, area.h, GRID_COLOR)
  for (const v of L.yTicks.values) fillRect(img, area.x, L.yToPixel(v), area.w, 1, GRID_COLOR)
}

// Frame, ticks, tick labels, title and axis labels: drawn after the data so they stay on top.
export function drawAxes(img: Image, L: PlotLayout, o: PlotOptions): void {
  const s = o.fontScale ?? 1
  const th = TEXT_HEIGHT * s
  const { area } = L
  strokeRect(img, area.x - 1, area.y - 1, area.w + 2, area.h + 2, AXIS_COLOR)
  const below = area.y + area.h + 1
  L.xTicks.values.forEach((v, i) => {
    const px = L.xToPixel(v)
    fillRect(img, px, below, 1, TICK, AXIS_COLOR)
    const label = L.xTicks.labels[i]!
    drawText(img, label, px - Math.floor(measureText(label, s).width / 2), below + TICK + 3, { scale: s })
  })
  L.yTicks.values.forEach((v, i) => {
    const py = L.yToPixel(v)
    fillRect(img, area.x - 1 - TICK, py, TICK, 1, AXIS_COLOR)
    const label = L.yTicks.labels[i]!
    // Cap height centred on the tick; descenders hang below as in any text.
    drawText(img, label, area.x - 1 - TICK - 3 - measureText(label, s).width, py - Math.floor((CAP_HEIGHT * s) / 2), { scale: s })
  })
  if (o.title) {
    const w = measureText(o.title, s + 1).width
    drawText(img, o.title, area.x + Math.floor((area.w - w) / 2), PAD, { scale: s + 1 })
  }
  if (o.xLabel) {
    const w = measureText(o.xLabel, s).width
    drawText(img, o.xLabel, area.x + Math.floor((area.w - w) / 2), below + TICK + 3 + th + PAD / 2, { scale: s })
  }
  if (o.yLabel) {
    const h = measureText(o.yLabel, s).width
    drawText(img, o.yLabel, PAD, area.y + Math.floor((area.h - h) / 2), { scale: s, direction: 'up' })
  }
}

// The legend goes in the corner of the data area that covers the fewest drawn data pixels
// (top right first on a tie): learning curves fall, so that corner is usually empty.
function drawLegend(img: Image, L: PlotLayout, items: { label: string; color: Rgb }[], s: number): PlotLayout['legend'] {
  const th = TEXT_HEIGHT * s
  const sw = { w: 6 * (s + 1), h: CAP_HEIGHT * s }
  const rowH = th + 4
  const textW = Math.max(...items.map((it) => measureText(it.label, s).width))
  const w = Math.min(L.area.w, 6 + sw.w + 6 + textW + 6)
  const h = Math.min(L.area.h, 4 + rowH * items.length + 2)
  const { area } = L
  const xs = [area.x + area.w - w - 6, area.x + 6]
  const ys = [area.y + 6, area.y + area.h - h - 6]
  const corners = [
    [xs[0]!, ys[0]!],
    [xs[1]!, ys[0]!],
    [xs[0]!, ys[1]!],
    [xs[1]!, ys[1]!],
  ] as const
  const inked = ([x, y]: readonly [number, number]) => {
    let n = 0
    for (let yy = Math.max(y, area.y); yy < Math.min(y + h, area.y + area.h); yy++) {
      for (let xx = Math.max(x, area.x); xx < Math.min(x + w, area.x + area.w); xx++) {
        const [r, g, b] = getPixel(img, xx, yy)
        if (!(r === g && g === b && (r === 255 || r === GRID_COLOR[0]))) n++
      }
    }
    return n
  }
  const counts = corners.map(inked)
  const [bx, by] = corners[counts.indexOf(Math.min(...counts))]!
  // Drawn onto its own image first, then copied: the box clips its contents like a window.
  const box = createImage(w, h, 3)
  strokeRect(box, 0, 0, w, h, LEGEND_BORDER)
  const entries = items.map((it, i) => {
    const rowY = 4 + i * rowH
    fillRect(box, 6, rowY + 1, sw.w, sw.h, it.color)
    drawText(box, it.label, 6 + sw.w + 6, rowY, { scale: s })
    return { label: it.label, color: it.color, swatch: { x: bx + 6, y: by + rowY + 1, w: sw.w, h: sw.h } }
  })
  blit(img, box, bx, by)
  return { box: { x: bx, y: by, w, h }, entries }
}

const MARKER = ['.###.', '#####', '#####', '#####', '.###.']

function drawMarker(img: Image, x: number, y: number, color: Rgb, clip: Rect): void {
  MARKER.forEach((row, dy) => {
    for (let dx = 0; dx < row.length; dx++) {
      const px = x + dx - 2
      const py = y + dy - 2
      if (row[dx] === '#' && px >= clip.x && py >= clip.y && px < clip.x + clip.w && py < clip.y + clip.h) fillRect(img, px, py, 1, 1, color)
    }
  })
}

const skippedNote = (nonFinite: number, nonPositive: number) => {
  const parts = [nonFinite ? `${nonFinite} NaN/inf` : '', nonPositive ? `${nonPositive} not positive` : ''].filter(Boolean)
  return parts.length ? ` (${parts.join(', ')} skipped)` : ''
}

// The drawn image and the layout used, so callers (and tests) can find the axes and the legend.
export function renderLinePlot(o: LinePlotOptions): { image: Image; layout: PlotLayout } {
  if (!Array.isArray(o.series)) throw new TypeError('linePlot: expected options.series, an array of { name, points }')
  const logY = o.logY ?? false
  const drawable = (p: readonly [number, number]) => Number.isFinite(p[0]) && Number.isFinite(p[1]) && (!logY || p[1] >= 1e-300)
  const kept = o.series.map((s) => s.points.filter(drawable))
  const all = kept.flat()
  const xs = all.map((p) => p[0])
  const ys = all.map((p) => p[1])
  const xTicks = xs.length ? niceTicks(Math.min(...xs), Math.max(...xs)) : niceTicks(0, 1)
  const yTicks = ys.length ? (logY ? logTicks(Math.min(...ys), Math.max(...ys)) : niceTicks(Math.min(...ys), Math.max(...ys))) : logY ? logTicks(1, 10) : niceTicks(0, 1)
  const L = layoutFrame(o, xTicks, yTicks)
  const img = createImage(L.width, L.height, 3)
  drawGrid(img, L)
  const items = o.series.flatMap((s, i) => {
    const color = s.color ?? seriesColor(i)
    const px = s.points.map((p) => (drawable(p) ? [L.xToPixel(p[0]), L.yToPixel(p[1])] : null))
    const line = s.line ?? true
    const markers = s.markers ?? o.markers ?? kept[i]!.length <= 40
    px.forEach((p, j) => {
      if (!p) return
      const next = px[j + 1]
      if (next && line) drawLine(img, p[0]!, p[1]!, next[0]!, next[1]!, color, s.width ?? 2, L.area)
      if (markers || !line || (!px[j - 1] && !next)) drawMarker(img, p[0]!, p[1]!, color, L.area)
    })
    if (s.legend === false) return []
    const nonFinite = s.points.filter((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1])).length
    return [{ label: s.name + skippedNote(nonFinite, s.points.length - kept[i]!.length - nonFinite), color }]
  })
  if (items.length) L.legend = drawLegend(img, L, items, o.fontScale ?? 1)
  drawAxes(img, L, o)
  return { image: img, layout: L }
}

export function linePlot(o: LinePlotOptions): Image {
  return renderLinePlot(o).image
}

export interface HistogramCounts {
  counts: number[]
  // bins + 1 edges; bin i holds edges[i] <= v < edges[i + 1], the last bin includes its right edge.
  edges: number[]
  nonFinite: number
  outside: number
}

// Counts over `bins` equal bins on `range` (default: the finite values' min and max). Values
// outside the range are counted as `outside`, not clamped into the end bins.
export function histogramCounts(values: ArrayLike<number>, bins: number, range?: readonly [number, number]): HistogramCounts {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`)
  let lo = range?.[0] ?? Infinity
  let hi = range?.[1] ?? -Infinity
  let nonFinite = 0
  if (!range) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!
      if (Number.isFinite(v)) {
        if (v < lo) lo = v
        if (v > hi) hi = v
      }
    }
    if (lo > hi) [lo, hi] = [0, 1] // nothing finite to range over
    if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5]
  } else if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new RangeError(`histogram: range must be finite with lo < hi, got [${range[0]}, ${range[1]}]`)
  }
  const counts = new Array<number>(bins).fill(0)
  let outside = 0
  const width = (hi - lo) / bins
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isFinite(v)) nonFinite++
    else if (v < lo || v > hi) outside++
    else counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width))
  return { counts, edges, nonFinite, outside }
}

export interface HistogramOptions extends PlotOptions {
  range?: readonly [number, number]
  color?: Rgb
  // The legend's name for the values; the legend also gives their number and what was skipped.
  name?: string
}

export function renderHistogram(values: ArrayLike<number>, bins: number, o: HistogramOptions = {}): { image: Image; layout: PlotLayout; counts: HistogramCounts } {
  const h = histogramCounts(values, bins, o.range)
  const logY = o.logY ?? false
  const top = Math.max(1, ...h.counts)
  const xTicks = niceTicks(h.edges[0]!, h.edges.at(-1)!)
  const yTicks = logY ? logTicks(1, Math.max(top, 10)) : niceTicks(0, top)
  const L = layoutFrame({ xLabel: 'value', yLabel: 'count', ...o }, xTicks, yTicks)
  const img = createImage(L.width, L.height, 3)
  drawGrid(img, L)
  const color = o.color ?? PALETTE[0]!
  const base = L.area.y + L.area.h // one below the lowest data row: bars of height 0 vanish
  h.counts.forEach((c, i) => {
    if (c === 0) return
    const x0 = L.xToPixel(h.edges[i]!)
    const x1 = L.xToPixel(h.edges[i + 1]!)
    const gap = x1 - x0 >= 4 ? 1 : 0 // a gap between bars once they are wide enough to spare it
    const yTop = L.yToPixel(c)
    fillRect(img, x0, yTop, Math.max(1, x1 - x0 - gap), base - yTop, color)
  })
  const inRange = values.length - h.nonFinite - h.outside
  const parts = [h.nonFinite ? `${h.nonFinite} NaN/inf` : '', h.outside ? `${h.outside} outside range` : ''].filter(Boolean)
  const label = `${o.name ?? 'values'}: ${inRange}${parts.length ? ` (${parts.join(', ')} skipped)` : ''}`
  L.legend = drawLegend(img, L, [{ label, color }], o.fontScale ?? 1)
  drawAxes(img, L, { xLabel: 'value', yLabel: 'count', ...o })
  return { image: img, layout: L, counts: h }
}

// A bar chart of how `values` fall into `bins` equal bins: the pixel-intensity histogram of a
// data set, for instance (range [0, 1], logY to see past the spike of background zeros).
export function histogram(values: ArrayLike<number>, bins: number, o: HistogramOptions = {}): Image {
  return renderHistogram(values, bins, o).image
}
