// Learning curves over training steps, the way the course projects drew them: each logged step
// raw and faint, a smoothed line over it (the trend a reader looks for through the batch noise),
// and the per-epoch test points on top as markers, on an x-axis of steps.
import { join } from 'node:path'
import type { Image, Rgb } from './canvas.ts'
import type { MetricRow } from './metrics.ts'
import { renderLinePlot, seriesColor, type PlotLayout, type PlotOptions, type Series } from './plot.ts'
import { writePng } from './png.ts'

export interface StepCurve {
  // The step log's column ("d_loss") and the name in the legend ("D loss").
  key: string
  name?: string
  // The per-epoch table's column drawn as points on top ("test_loss"), with its legend name.
  epochKey?: string
  epochName?: string
  color?: Rgb
}

export interface StepCurvesOptions extends PlotOptions {
  // The step log's rows (global_step and the curves' keys).
  steps: readonly MetricRow[]
  curves: readonly StepCurve[]
  // The per-epoch rows: each point goes at the row's global_step, or at epoch * stepsPerEpoch.
  epochs?: readonly MetricRow[]
  stepsPerEpoch?: number
  // The moving average's window in logged points (odd); by default about a twentieth of them.
  window?: number
}

/** A centred moving average over the finite values in the window; NaN where there are none. */
export function smooth(values: readonly number[], window: number): number[] {
  if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`smooth: window must be an integer >= 1, got ${window}`)
  const half = Math.floor(window / 2)
  return values.map((_, i) => {
    let sum = 0
    let n = 0
    for (let j = Math.max(0, i - half); j <= Math.min(values.length - 1, i + half); j++) {
      if (Number.isFinite(values[j]!)) {
        sum += values[j]!
        n++
      }
    }
    return n ? sum / n : NaN
  })
}

// About a fifteenth of the points (odd, so the mean is centred): 21 for a run's default 300 points;
// 3 from 10 points up, so a short run's curve is smoothed too; 1 (no smoothing) below that.
export const defaultWindow = (points: number) => (points < 10 ? 1 : Math.max(3, 2 * Math.floor(points / 30) + 1))

// The colour washed towards white: the raw steps stay visible without hiding the trend.
const faint = (c: Rgb): Rgb => [Math.round(c[0] * 0.3 + 255 * 0.7), Math.round(c[1] * 0.3 + 255 * 0.7), Math.round(c[2] * 0.3 + 255 * 0.7)]
// The epoch markers a shade darker, so they stand out on their own smoothed line.
const darker = (c: Rgb): Rgb => [Math.round(c[0] * 0.6), Math.round(c[1] * 0.6), Math.round(c[2] * 0.6)]

export function stepCurveSeries(o: StepCurvesOptions): Series[] {
  const raw: Series[] = []
  const smoothed: Series[] = []
  const epochs: Series[] = []
  o.curves.forEach((c, i) => {
    const color = c.color ?? seriesColor(i)
    const rows = o.steps.filter((r) => typeof r.global_step === 'number' && typeof r[c.key] === 'number')
    const xs = rows.map((r) => r.global_step as number)
    const ys = rows.map((r) => r[c.key] as number)
    const window = o.window ?? defaultWindow(rows.length)
    raw.push({ name: `${c.name ?? c.key} (each logged step)`, points: xs.map((x, j) => [x, ys[j]!]), color: faint(color), width: 1, markers: false, legend: false })
    const trend = smooth(ys, window)
    smoothed.push({ name: c.name ?? c.key, points: xs.map((x, j) => [x, trend[j]!]), color, markers: false })
    if (c.epochKey !== undefined) {
      const points = (o.epochs ?? []).flatMap((r): [number, number][] => {
        const y = r[c.epochKey!]
        if (typeof y !== 'number') return []
        if (typeof r.global_step === 'number') return [[r.global_step, y]]
        if (typeof r.epoch !== 'number') throw new RangeError(`step curves: an epoch row without global_step or epoch: ${JSON.stringify(r)}`)
        if (o.stepsPerEpoch === undefined) throw new RangeError(`step curves: epoch rows without a global_step column need stepsPerEpoch to place "${c.epochKey}" on the step axis`)
        return [[r.epoch * o.stepsPerEpoch, y]]
      })
      epochs.push({ name: c.epochName ?? `${c.epochKey} (per epoch)`, points, color: darker(color), line: false })
    }
  })
  // Drawn in this order: every raw series under every smoothed line, the epoch points on top.
  return [...raw, ...smoothed, ...epochs]
}

export function renderStepCurves(o: StepCurvesOptions): { image: Image; layout: PlotLayout } {
  if (o.curves.length === 0) throw new RangeError('step curves: expected at least one curve ({ key })')
  return renderLinePlot({ xLabel: 'step', ...o, series: stepCurveSeries(o) })
}

/** Writes <dir>/<file> and returns its path. */
export function writeStepCurves(dir: string, file: string, o: StepCurvesOptions): string {
  const path = join(dir, file)
  writePng(path, renderStepCurves(o).image)
  return path
}
