// A scatter plot of labelled 2-D points, one colour per class, with the legend to the right of the
// data area (a map of a latent space is dense everywhere, so no corner of it is free). Same frame,
// ticks and fonts as the line plots (plot.ts). Points that cannot be drawn (NaN, +-Infinity) are
// skipped and the legend says how many.
import { createImage, fillRect, strokeRect, type Image, type Rgb } from './canvas.ts'
import { CAP_HEIGHT, TEXT_HEIGHT, drawText, measureText } from './font.ts'
import { drawAxes, drawGrid, layoutFrame, seriesColor, type LegendEntry, type PlotLayout, type PlotOptions, type Rect } from './plot.ts'
import { niceTicks } from './ticks.ts'

export interface ScatterOptions extends PlotOptions {
  x: ArrayLike<number>
  y: ArrayLike<number>
  /** Class of each point, an integer in 0..classNames.length-1. */
  labels: ArrayLike<number>
  classNames: readonly string[]
  /** Side of each point's square in pixels (3). */
  pointSize?: number
  /** Colour of class i (seriesColor(i): matplotlib's tab10 for the first ten). */
  colors?: readonly Rgb[]
}

export interface ScatterLayout extends PlotLayout {
  legend: { box: Rect; entries: LegendEntry[] }
}

const PAD = 8

/** The drawn image, its layout (data area, ticks, legend), and how many points were skipped. */
export function renderScatter(o: ScatterOptions): { image: Image; layout: ScatterLayout; skipped: number } {
  const n = o.labels.length
  if (o.x.length !== n || o.y.length !== n) throw new RangeError(`scatter: expected as many x, y and labels, got ${o.x.length}, ${o.y.length} and ${n}`)
  const classes = o.classNames.length
  if (classes === 0) throw new RangeError('scatter: classNames is empty; give one name per class')
  for (let i = 0; i < n; i++) {
    const label = o.labels[i]!
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) throw new RangeError(`scatter: label ${label} of point ${i} is not a class in 0..${classes - 1}`)
  }
  const color = (c: number) => o.colors?.[c] ?? seriesColor(c)
  const drawable = (i: number) => Number.isFinite(o.x[i]!) && Number.isFinite(o.y[i]!)
  const counts = new Array<number>(classes).fill(0)
  let skipped = 0
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity]
  for (let i = 0; i < n; i++) {
    if (!drawable(i)) {
      skipped++
      continue
    }
    counts[o.labels[i]!]!++
    x0 = Math.min(x0, o.x[i]!)
    x1 = Math.max(x1, o.x[i]!)
    y0 = Math.min(y0, o.y[i]!)
    y1 = Math.max(y1, o.y[i]!)
  }
  const xTicks = x0 <= x1 ? niceTicks(x0, x1) : niceTicks(0, 1)
  const yTicks = y0 <= y1 ? niceTicks(y0, y1) : niceTicks(0, 1)

  // The legend's size decides how much width the frame gets.
  const s = o.fontScale ?? 1
  const rowH = TEXT_HEIGHT * s + 4
  const swatch = { w: 6 * (s + 1), h: CAP_HEIGHT * s }
  const items = o.classNames.map((name, c) => ({ label: `${name} (${counts[c]})`, color: color(c) }))
  const note = skipped > 0 ? `${skipped} NaN/inf skipped` : ''
  const textW = Math.max(...items.map((it) => measureText(it.label, s).width), note ? measureText(note, s).width - swatch.w - 6 : 0)
  const legendW = 6 + swatch.w + 6 + textW + 6
  const legendH = 4 + rowH * (items.length + (note ? 1 : 0)) + 2
  const width = o.width ?? 720
  const height = o.height ?? 520
  const frame = layoutFrame({ ...o, width: width - legendW - PAD, height }, xTicks, yTicks)
  const image = createImage(width, height, 3)
  drawGrid(image, frame)

  const size = o.pointSize ?? 3
  const { area } = frame
  const half = Math.floor(size / 2)
  for (let i = 0; i < n; i++) {
    if (!drawable(i)) continue
    const px = frame.xToPixel(o.x[i]!) - half
    const py = frame.yToPixel(o.y[i]!) - half
    // Clipped to the data area: a point on the edge must not paint over the axis.
    const left = Math.max(px, area.x)
    const top = Math.max(py, area.y)
    const right = Math.min(px + size, area.x + area.w)
    const bottom = Math.min(py + size, area.y + area.h)
    if (right > left && bottom > top) fillRect(image, left, top, right - left, bottom - top, color(o.labels[i]!))
  }
  drawAxes(image, frame, o)

  const box = { x: width - legendW - PAD, y: area.y, w: legendW, h: Math.min(legendH, height - area.y) }
  strokeRect(image, box.x, box.y, box.w, box.h, [160, 160, 160])
  const entries = items.map((it, i) => {
    const rowY = box.y + 4 + i * rowH
    const sw = { x: box.x + 6, y: rowY + 1, w: swatch.w, h: swatch.h }
    fillRect(image, sw.x, sw.y, sw.w, sw.h, it.color)
    drawText(image, it.label, sw.x + sw.w + 6, rowY, { scale: s })
    return { label: it.label, color: it.color, swatch: sw }
  })
  if (note) drawText(image, note, box.x + 6, box.y + 4 + items.length * rowH, { scale: s })
  return { image, layout: { ...frame, width, legend: { box, entries } }, skipped }
}

export function scatterPlot(o: ScatterOptions): Image {
  return renderScatter(o).image
}
