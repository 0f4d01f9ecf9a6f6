// A tiny fake GAN run folder, built the way the epoch runner will build a real one: a step log fed
// by onStep events, snapshots every few steps, per-step and per-epoch curves, and the live page.
// The end-to-end run page test and the browser test both load it.
import { join } from 'node:path'
import { imageGrid } from '../../src/report/grid.ts'
import { writeMetricsFiles, type MetricRow } from '../../src/report/metrics.ts'
import { linePlot } from '../../src/report/plot.ts'
import { writePng } from '../../src/report/png.ts'
import { writeRunPage, type RunPageInput } from '../../src/report/run_page.ts'
import { writeSnapshot, snapshotDue } from '../../src/report/snapshots.ts'
import { writeStepFigures } from '../../src/report/step_figures.ts'
import { StepLog } from '../../src/report/step_log.ts'

export interface FakeRunOptions {
  epochs: number
  // Epochs actually trained: fewer than `epochs` for a run still going or stopped.
  trained?: number
  stepsPerEpoch: number
  logEvery: number
  snapshotEvery: number
  state: RunPageInput['state']
  message?: string
}

// Images in [0, 1] that change with the step, so every snapshot differs.
function fakeSamples(step: number): Float32Array[] {
  return Array.from({ length: 16 }, (_, k) => Float32Array.from({ length: 28 * 28 }, (_, p) => 0.5 + 0.5 * Math.sin((p % 28) / 3 + k + step / 7) * Math.cos(Math.floor(p / 28) / 4)))
}

export function buildFakeRun(dir: string, o: FakeRunOptions): { epochRows: MetricRow[]; stepLog: StepLog } {
  const stepLog = new StepLog(dir, { every: o.logEvery, now: () => 0 })
  const epochRows: MetricRow[] = []
  const snap = (g: number) => writeSnapshot(dir, g, imageGrid(fakeSamples(g), { cols: 4, scale: 1 }))
  snap(0)
  let globalStep = 0
  for (let epoch = 1; epoch <= (o.trained ?? o.epochs); epoch++) {
    for (let step = 1; step <= o.stepsPerEpoch; step++) {
      globalStep++
      const wobble = Math.sin(globalStep * 1.7) * 0.2
      stepLog.onStep({ epoch, step, globalStep, lr: 0.0002, values: { d_loss: 1.4 - 0.4 * Math.tanh(globalStep / 30) + wobble, g_loss: 0.7 + 0.5 * Math.tanh(globalStep / 30) - wobble, d_real: 0.5 + 0.3 * Math.tanh(globalStep / 40), d_fake_before: 0.5 - 0.2 * Math.tanh(globalStep / 40), d_fake_after: 0.45 - 0.2 * Math.tanh(globalStep / 40) } })
      if (snapshotDue(globalStep, o.snapshotEvery)) snap(globalStep)
    }
    stepLog.flush()
    epochRows.push({ epoch, global_step: globalStep, d_loss: 1.2 - 0.1 * epoch, g_loss: 0.9 + 0.1 * epoch })
  }
  writeMetricsFiles(dir, 'metrics', epochRows)
  const stepFigures = writeStepFigures(dir, 'gan', { steps: stepLog.rows(), epochs: epochRows })
  writePng(join(dir, 'losses.png'), linePlot({ title: 'losses per epoch', xLabel: 'epoch', yLabel: 'BCE', series: [{ name: 'discriminator', points: epochRows.map((r) => [r.epoch as number, r.d_loss as number]) }] }))
  writePng(join(dir, 'samples.png'), imageGrid(fakeSamples(globalStep), { cols: 4, scale: 2 }))
  const last = epochRows.at(-1)
  writeRunPage(dir, {
    title: 'dcgan (a fake run for the tests)',
    settings: { model: 'dcgan', epochs: o.epochs, batch: 64, lr: 0.0002, limit: undefined, dataDir: undefined, fakeClassWeight: null, logEvery: o.logEvery, snapshotEvery: o.snapshotEvery },
    state: o.state,
    epoch: last ? (last.epoch as number) : 1,
    epochs: o.epochs,
    ...(o.state === 'running' ? { step: o.stepsPerEpoch, steps: o.stepsPerEpoch } : {}),
    globalStep,
    ...(o.message ? { message: o.message } : {}),
    images: [
      { file: 'samples.png', caption: 'Samples from a fixed noise batch' },
      ...stepFigures,
      { file: 'losses.png', caption: 'Losses per epoch' },
      { file: 'classes.png', caption: 'not written by this run: must be left off the page' },
    ],
    metricsTable: epochRows,
    links: [
      { file: 'metrics.csv', caption: 'metrics.csv' },
      { file: 'metrics-steps.csv', caption: 'metrics-steps.csv' },
      { file: 'checkpoint.gkt', caption: 'checkpoint: not written by this run, left off' },
    ],
  })
  return { epochRows, stepLog }
}
