// Horizontal bar charts for categories: one bar per class, its name on the left and its value at
// the bar's end, on an axis from 0. Horizontal because class names ("T-shirt/top", "Ankle boot")
// are too long to sit under narrow vertical bars. The class distribution and the share of non-zero
// pixels per class in `genkata data` use it.
import { createImage, fillRect, strokeRect, type Image, type Rgb } from './canvas.ts'
import { drawText, measureText, TEXT_HEIGHT, CAP_HEIGHT } from './font.ts'
import { GRID_COLOR, PALETTE, type Rect } from './plot.ts'
import { niceTicks, type Ticks } from './ticks.ts'

export interface BarChartOptions {
  labels: readonly string[]
  values: readonly number[]
  title?: string
  xLabel?: string
  width?: number
  color?: Rgb
  // The text at each bar's end; the value itself by default.
  valueText?: (value: number, i: number) => string
  // The axis's upper end; the largest value by default (a share might pass 1 to show 0..1 whole).
  max?: number
}

export interface BarChartLayout {
  area: Rect
  bars: Rect[]
  xTicks: Ticks
  xToPixel: (x: number) => number
}

const PAD = 8
const TICK = 4
const BLACK: Rgb = [0, 0, 0]

export function renderBarChart(o: BarChartOptions): { image: Image; layout: BarChartLayout } {
  const n = o.labels.length
  if (n === 0) throw new RangeError('bar chart: expected at least one bar')
  if (o.values.length !== n) throw new RangeError(`bar chart: ${n} labels but ${o.values.length} values`)
  o.values.forEach((v, i) => {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`bar chart: bar "${o.labels[i]}" has value ${v}; expected a finite number >= 0`)
  })
  const top = Math.max(o.max ?? 0, ...o.values)
  const xTicks = niceTicks(0, top > 0 ? top : 1, 6)
  const text = o.values.map((v, i) => o.valueText?.(v, i) ?? String(v))
  const width = o.width ?? 640
  const rowH = TEXT_HEIGHT + 7
  const left = PAD + Math.max(...o.labels.map((l) => measureText(l).width)) + 6
  const right = PAD + Math.max(...text.map((t) => measureText(t).width), Math.ceil(measureText(xTicks.labels.at(-1)!).width / 2)) + 4
  const titleH = o.title ? TEXT_HEIGHT * 2 + PAD : 0
  const area = { x: left, y: PAD + titleH, w: width - left - right, h: n * rowH + 2 }
  if (area.w < 40) throw new RangeError(`bar chart: a width of ${width} leaves ${area.w} pixels for the bars; make it wider`)
  const height = area.y + area.h + 1 + TICK + 3 + TEXT_HEIGHT + (o.xLabel ? PAD / 2 + TEXT_HEIGHT : 0) + PAD
  const img = createImage(width, height, 3)
  const x1 = xTicks.values.at(-1)!
  const xToPixel = (x: number) => area.x + Math.round((x / x1) * (area.w - 1))
  for (const v of xTicks.values) fillRect(img, xToPixel(v), area.y, 1, area.h, GRID_COLOR)
  const color = o.color ?? PALETTE[0]!
  const bars = o.values.map((v, i) => {
    const y = area.y + 2 + i * rowH
    const w = v > 0 ? Math.max(1, xToPixel(v) - area.x + 1) : 0
    if (w) fillRect(img, area.x, y, w, rowH - 3, color)
    const textY = y + Math.floor((rowH - 3 - CAP_HEIGHT) / 2)
    drawText(img, o.labels[i]!, left - 6 - measureText(o.labels[i]!).width, textY)
    drawText(img, text[i]!, area.x + w + 4, textY)
    return { x: area.x, y, w, h: rowH - 3 }
  })
  strokeRect(img, area.x - 1, area.y - 1, area.w + 2, area.h + 2, BLACK)
  const below = area.y + area.h + 1
  xTicks.values.forEach((v, i) => {
    const px = xToPixel(v)
    fillRect(img, px, below, 1, TICK, BLACK)
    const label = xTicks.labels[i]!
    drawText(img, label, px - Math.floor(measureText(label).width / 2), below + TICK + 3)
  })
  if (o.title) {
    // Centred on the image, at double size where it fits, else at single size.
    const scale = measureText(o.title, 2).width <= width - 2 * PAD ? 2 : 1
    drawText(img, o.title, Math.max(PAD, Math.floor((width - measureText(o.title, scale).width) / 2)), PAD, { scale })
  }
  if (o.xLabel) drawText(img, o.xLabel, area.x + Math.floor((area.w - measureText(o.xLabel).width) / 2), below + TICK + 3 + TEXT_HEIGHT + PAD / 2)
  return { image: img, layout: { area, bars, xTicks, xToPixel } }
}

export function barChart(o: BarChartOptions): Image {
  return renderBarChart(o).image
}
