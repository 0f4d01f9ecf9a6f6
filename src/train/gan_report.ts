// The pictures of a GAN run, rewritten after every epoch: losses.png (the two players' losses),
// outputs.png (mean D(x), and D(G(z)) before and after the discriminator's step), samples.png
// (a fixed noise batch, so the pictures show the generator changing and not the noise),
// progress.png (the first samples of that batch after every epoch, one row per epoch), for the
// ACGAN classes.png (the same noise in every row, one column per class); and what the run page
// (written by the epoch runner) shows of them, and the snapshot grid for --snapshot-every.
import { join } from 'node:path'
import { noGrad } from '../autograd/grad_mode.ts'
import { fromArray, randn } from '../tensor/creation.ts'
import { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { fromGanPixels, type GanPair } from '../models/gan.ts'
import { eachClassBatch } from '#kata/models/acgan_condition'
import { imageGrid } from '../report/grid.ts'
import { linePlot } from '../report/plot.ts'
import { writePng } from '../report/png.ts'
import type { Image } from '../report/canvas.ts'
import type { GanStepStats } from './gan_config.ts'
import type { RunPageContent } from './run_watch.ts'

/** The per-epoch figures the report reads: an epoch's GanStepStats means. */
export type GanReportRow = GanStepStats & { epoch: number }

export interface GanReportInput {
  pair: GanPair
  config: Record<string, unknown>
  history: readonly GanReportRow[]
  seed: number
  /** The progress rows of the epochs before this one, [epochs, columns, H, W]; null at the first. */
  progress: Tensor | null
  progressColumns: number
}

/** At most this many rows in progress.png; beyond it, epochs evenly spaced (the first and last kept). */
export const PROGRESS_MAX_ROWS = 30

/** Which of `count` rows to show when at most `max` fit: evenly spaced, first and last included. */
export function pickRows(count: number, max: number): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i)
  return [...new Set(Array.from({ length: max }, (_, i) => Math.round((i * (count - 1)) / (max - 1))))]
}

const asImages = (t: Tensor) => ({ data: t.toTypedArray() as Float32Array, shape: [t.shape[0]!, t.shape[t.ndim - 2]!, t.shape[t.ndim - 1]!] })

/** Write every picture; returns the progress rows with this epoch's appended. */
export function writeGanReport(dir: string, input: GanReportInput): { progress: Tensor } {
  const { pair, history } = input
  const { generator } = pair
  const epochs = (key: keyof GanReportRow) => history.map((h) => [h.epoch, h[key] as number] as [number, number])
  writePng(join(dir, 'losses.png'), linePlot({
    title: 'losses per epoch', xLabel: 'epoch', yLabel: 'BCE',
    series: [{ name: 'discriminator', points: epochs('d_loss') }, { name: 'generator', points: epochs('g_loss') }],
  }))
  const outputs = [
    { name: 'D(x)', points: epochs('d_real') },
    { name: 'D(G(z)) before the D step', points: epochs('d_fake_before') },
    { name: 'D(G(z)) after the D step', points: epochs('d_fake_after') },
  ]
  if (generator.classes !== null) {
    outputs.push({ name: 'class accuracy, real', points: epochs('real_class_accuracy') }, { name: 'class accuracy, fake', points: epochs('fake_class_accuracy') })
  }
  writePng(join(dir, 'outputs.png'), linePlot({ title: "the discriminator's outputs (means per epoch)", xLabel: 'epoch', yLabel: 'probability', series: outputs }))

  const classes = generator.classes
  const [, h, w] = generator.imageShape
  let progress!: Tensor
  const wasTraining = pair.training
  pair.eval()
  noGrad(() => {
    // The same noise every epoch: Rng(seed + 3) for the samples, Rng(seed + 4) for the class rows.
    const cols = classes ?? 8
    const n = 8 * cols
    const z = randn([n, generator.noise], { rng: new Rng(input.seed + 3) })
    const labels = classes !== null ? Int32Array.from({ length: n }, (_, i) => i % classes) : undefined
    const samples = fromGanPixels(generator.generate(z, labels))
    writePng(join(dir, 'samples.png'), imageGrid(asImages(samples), { cols, scale: 2 }))

    const k = Math.min(input.progressColumns, n)
    const row = samples.narrow(0, 0, k).contiguous().toTypedArray()
    const before = input.progress?.toTypedArray() ?? new Float32Array(0)
    const all = new Float32Array(before.length + row.length)
    all.set(before)
    all.set(row, before.length)
    const rows = all.length / (k * h * w)
    progress = fromArray(all, [rows, k, h, w])
    const shown = pickRows(rows, PROGRESS_MAX_ROWS)
    const cells = shown.flatMap((r) => Array.from({ length: k }, (_, c) => all.subarray((r * k + c) * h * w, (r * k + c + 1) * h * w)))
    const epochOf = (r: number) => history[r]?.epoch ?? r + 1
    writePng(join(dir, 'progress.png'), imageGrid(cells, { cols: k, rows: shown.length, scale: 2, imageShape: [h, w], labels: shown.map((r) => `e${epochOf(r)}`) }))

    if (classes !== null) {
      const grid = eachClassBatch(randn([8, generator.noise], { rng: new Rng(input.seed + 4) }), classes)
      const images = fromGanPixels(generator.generate(grid.noise.contiguous(), grid.labels))
      writePng(join(dir, 'classes.png'), imageGrid(asImages(images), { cols: classes, scale: 2, colLabels: Array.from({ length: classes }, (_, c) => String(c)) }))
    }
  })
  pair.train(wasTraining)
  return { progress }
}

/** The run page's part of a GAN run: its pictures, the per-epoch table and its files. */
export function ganPage(input: { model: string; classes: number | null; history: readonly GanReportRow[] }): RunPageContent {
  const { classes, history } = input
  const last = history.at(-1)
  return {
    title: `${input.model}: ${last ? `epoch ${last.epoch}, D(x) ${last.d_real.toFixed(3)}, D(G(z)) ${last.d_fake_before.toFixed(3)}` : 'no epoch yet'}`,
    images: [
      { file: 'samples.png', caption: `Samples from a fixed noise batch${classes !== null ? ', one class per column' : ''}` },
      { file: 'progress.png', caption: 'The same noise after every epoch (one row per epoch): the generator learning' },
      ...(classes !== null ? [{ file: 'classes.png', caption: 'Each row one noise vector, each column one class (0 to 9): the class changes, the style stays' }] : []),
    ],
    curves: [
      { file: 'losses.png', caption: "The two players' losses per epoch" },
      { file: 'outputs.png', caption: "The discriminator's mean outputs: D(x) on real images, D(G(z)) on fakes before its step and after it" },
    ],
    metricsTable: history as unknown as Record<string, number>[],
    links: [
      { file: 'metrics.csv', caption: 'metrics.csv' },
      { file: 'metrics.json', caption: 'metrics.json' },
      { file: 'checkpoint.gkt', caption: 'checkpoint (resume with genkata train --resume)' },
    ],
  }
}

/**
 * The snapshot grid (--snapshot-every): the first 16 of samples.png's fixed noise batch (Rng(seed +
 * 3)), 4 by 4; for the ACGAN two rows of every class. Eval mode, no graph, a generator of its own:
 * training goes on exactly as without it.
 */
export function ganSnapshot(pair: GanPair, seed: number): Image {
  const { generator } = pair
  const classes = generator.classes
  const cols = classes ?? 4
  const n = classes !== null ? 2 * classes : 16
  const wasTraining = pair.training
  pair.eval()
  try {
    return noGrad(() => {
      const z = randn([n, generator.noise], { rng: new Rng(seed + 3) })
      const labels = classes !== null ? Int32Array.from({ length: n }, (_, i) => i % classes) : undefined
      return imageGrid(asImages(fromGanPixels(generator.generate(z, labels))), { cols, scale: 1 })
    })
  } finally {
    pair.train(wasTraining)
  }
}
