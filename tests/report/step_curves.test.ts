// Per-step curves: raw steps faint, the smoothed line in the series colour, the epoch points on
// top as markers, an x-axis of steps; smoothing itself checked against a direct mean.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { getPixel, type Rgb } from '../../src/report/canvas.ts'
import type { MetricRow } from '../../src/report/metrics.ts'
import { PALETTE } from '../../src/report/plot.ts'
import { defaultWindow, renderStepCurves, smooth, stepCurveSeries } from '../../src/report/step_curves.ts'

test('smooth is a centred mean over the finite values of the window', () => {
  assert.equal(smooth([1, 2, 3, 4, 5], 3), [1.5, 2, 3, 4, 4.5])
  assert.equal(smooth([1, NaN, 3], 3), [1, 2, 3])
  assert.ok(Number.isNaN(smooth([NaN, NaN], 1)[0]!))
  assert.throws(() => smooth([1], 0), /window must be an integer >= 1, got 0/)
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 9 }), (xs, w) => {
      const s = smooth(xs, w)
      const [lo, hi] = [Math.min(...xs), Math.max(...xs)]
      assert.ok(s.every((v) => v >= lo - 1e-6 && v <= hi + 1e-6), 'a mean stays within the values')
      assert.equal(smooth(xs, 1), xs)
    }),
    { seed: 13 },
  )
  assert.is(defaultWindow(300), 21)
  assert.is(defaultWindow(17), 3)
  assert.is(defaultWindow(9), 1)
})

// A noisy falling loss over 200 logged steps (every 5), with 4 epochs of 250 steps.
const steps: MetricRow[] = Array.from({ length: 200 }, (_, i) => ({ epoch: Math.floor(i / 50) + 1, global_step: (i + 1) * 5, loss: 2 / (1 + i / 40) + (i % 2 ? 0.3 : -0.3) }))
const epochs: MetricRow[] = [1, 2, 3, 4].map((epoch) => ({ epoch, test_loss: 2 / (1 + epoch) }))

test('the series: faint raw steps out of the legend, then the smoothed line, then epoch points as markers', () => {
  const series = stepCurveSeries({ steps, epochs, stepsPerEpoch: 250, curves: [{ key: 'loss', name: 'loss', epochKey: 'test_loss', epochName: 'test loss' }] })
  assert.equal(series.map((s) => s.name), ['loss (each logged step)', 'loss', 'test loss'])
  const [raw, trend, points] = series
  assert.is(raw!.legend, false)
  assert.is(raw!.width, 1)
  assert.ok(raw!.color!.every((v, k) => v > PALETTE[0]![k]!), 'raw is the colour washed out')
  assert.equal(trend!.color, PALETTE[0])
  assert.is(points!.line, false)
  assert.equal(points!.points, [[250, 1], [500, 2 / 3], [750, 0.5], [1000, 0.4]])
  assert.equal(raw!.points.length, 200)
  // The smoothed line has far less step-to-step jitter than the raw one.
  const jitter = (ps: readonly (readonly [number, number])[]) => ps.slice(1).reduce((a, p, i) => a + Math.abs(p[1] - ps[i]![1]), 0)
  assert.ok(jitter(trend!.points) < jitter(raw!.points) / 5)
  // A global_step column in the epoch rows places the points without stepsPerEpoch.
  const placed = stepCurveSeries({ steps, epochs: [{ epoch: 1, global_step: 240, test_loss: 1 }], curves: [{ key: 'loss', epochKey: 'test_loss' }] })
  assert.equal(placed[2]!.points, [[240, 1]])
  assert.is(placed[2]!.name, 'test_loss (per epoch)')
  assert.throws(() => stepCurveSeries({ steps, epochs, curves: [{ key: 'loss', epochKey: 'test_loss' }] }), /need stepsPerEpoch to place "test_loss" on the step axis/)
})

test('the picture: an x-axis of steps, the smoothed line drawn over the raw steps, epoch markers on top', () => {
  const { image, layout } = renderStepCurves({ steps, epochs, stepsPerEpoch: 250, title: 'loss per step', curves: [{ key: 'loss', epochKey: 'test_loss' }] })
  assert.equal(layout.xTicks.values.at(-1), 1000)
  assert.ok(layout.xTicks.values[0]! <= 5)
  const colours = new Set<string>()
  for (let y = layout.area.y; y < layout.area.y + layout.area.h; y++) {
    for (let x = layout.area.x; x < layout.area.x + layout.area.w; x++) colours.add(getPixel(image, x, y).join(','))
  }
  const has = (c: Rgb) => colours.has(c.join(','))
  assert.ok(has(PALETTE[0]!), 'the smoothed line')
  assert.ok(has([Math.round(31 * 0.3 + 178.5), Math.round(119 * 0.3 + 178.5), Math.round(180 * 0.3 + 178.5)]), 'the faint raw steps')
  const marker: Rgb = [Math.round(31 * 0.6), Math.round(119 * 0.6), Math.round(180 * 0.6)]
  // The last epoch point sits at (1000, 0.4), drawn last, so its centre pixel is the marker colour.
  assert.equal(getPixel(image, layout.xToPixel(1000) - 1, layout.yToPixel(0.4)), marker)
  assert.equal(layout.legend!.entries.map((e) => e.label), ['loss', 'test_loss (per epoch)'])
  assert.throws(() => renderStepCurves({ steps, curves: [] }), /expected at least one curve/)
})

test.run()
