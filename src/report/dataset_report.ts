// The first look at a data set, as the course projects began: per split, a bar chart of the class
// distribution, a pixel-intensity histogram, the share of non-zero pixels per class, and a sanity
// grid of a few images per class (labels that match their pictures, nothing upside down); all on a
// small page. It takes plain arrays (a data set's images, labels and class names), so it works for
// every data set the catalog knows and needs nothing outside the report layer.
import { join } from 'node:path'
import { barChart } from './bars.ts'
import { imageGrid } from './grid.ts'
import { writeIndexHtml } from './html.ts'
import type { MetricRow } from './metrics.ts'
import { histogram } from './plot.ts'
import { writePng } from './png.ts'

export interface DatasetSplit {
  split: string
  // count * rows * cols pixels, 0..255, one image after another.
  images: Uint8Array
  labels: Uint8Array
  count: number
  rows: number
  cols: number
  classes: readonly string[]
  source: string
}

export interface DatasetStats {
  counts: number[]
  // Per class: the share of its pixels that are not 0 (how much of the frame the objects fill).
  nonZeroShare: number[]
}

export function datasetStats(set: DatasetSplit): DatasetStats {
  const size = set.rows * set.cols
  if (set.images.length !== set.count * size) throw new RangeError(`data report: ${set.split}: ${set.count} images of ${set.rows}x${set.cols} need ${set.count * size} pixels, got ${set.images.length}`)
  if (set.labels.length !== set.count) throw new RangeError(`data report: ${set.split}: ${set.count} images but ${set.labels.length} labels`)
  const k = set.classes.length
  const counts = new Array<number>(k).fill(0)
  const nonZero = new Array<number>(k).fill(0)
  for (let i = 0; i < set.count; i++) {
    const label = set.labels[i]!
    if (label >= k) throw new RangeError(`data report: ${set.split}: image ${i} has label ${label}, but there are ${k} classes`)
    counts[label]!++
    for (let p = i * size; p < (i + 1) * size; p++) if (set.images[p]! !== 0) nonZero[label]!++
  }
  return { counts, nonZeroShare: counts.map((c, j) => (c ? nonZero[j]! / (c * size) : 0)) }
}

/** The first `perClass` images of each class in file order, as [0, 1] arrays; a class with fewer gets blank (white) cells. */
export function sanityImages(set: DatasetSplit, perClass: number): Float32Array[] {
  const size = set.rows * set.cols
  const rows = set.classes.map(() => [] as Float32Array[])
  for (let i = 0; i < set.count && rows.some((r) => r.length < perClass); i++) {
    const row = rows[set.labels[i]!]
    if (row && row.length < perClass) row.push(Float32Array.from(set.images.subarray(i * size, (i + 1) * size), (v) => v / 255))
  }
  return rows.flatMap((r) => [...r, ...Array.from({ length: perClass - r.length }, () => new Float32Array(size).fill(1))])
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`

export interface DatasetReportOptions {
  // The data set's file prefix ("fashion-mnist") and title ("Fashion-MNIST").
  name: string
  title: string
  // Images per class in the sanity grid.
  perClass?: number
}

/** Writes the pictures and index.html into `dir`; returns the pictures' file names. */
export function writeDatasetReport(dir: string, splits: readonly DatasetSplit[], o: DatasetReportOptions): string[] {
  if (splits.length === 0) throw new RangeError('data report: no split to describe')
  const perClass = o.perClass ?? 8
  if (!(Number.isInteger(perClass) && perClass >= 1)) throw new RangeError(`data report: perClass must be an integer >= 1, got ${perClass}`)
  const mismatch = splits.find((s) => s.classes.join('\n') !== splits[0]!.classes.join('\n'))
  if (mismatch) throw new RangeError(`data report: the ${mismatch.split} split's classes differ from the ${splits[0]!.split} split's`)
  const images: { file: string; caption: string }[] = []
  const table: MetricRow[] = splits[0]!.classes.map((name, c) => ({ class: c, name }))
  for (const set of splits) {
    const stats = datasetStats(set)
    const base = `${o.name}-${set.split}`
    const what = `${o.title} ${set.split}`
    writePng(join(dir, `${base}-classes.png`), barChart({
      title: `${what}: images per class`, xLabel: 'images', labels: set.classes, values: stats.counts,
      valueText: (v) => `${v} (${percent(v / Math.max(1, set.count))})`,
    }))
    writePng(join(dir, `${base}-pixels.png`), histogram(Float64Array.from(set.images, (v) => v / 255), 32, {
      title: `${what}: pixel intensities`, xLabel: 'intensity', yLabel: 'pixels (log scale)', logY: true, range: [0, 1], name: 'pixels',
    }))
    writePng(join(dir, `${base}-nonzero.png`), barChart({
      title: `${what}: share of non-zero pixels per class`, xLabel: 'share of the image', labels: set.classes, values: stats.nonZeroShare, max: 1, valueText: percent,
    }))
    writePng(join(dir, `${base}-grid.png`), imageGrid(sanityImages(set, perClass), { cols: perClass, rows: set.classes.length, labels: [...set.classes], scale: 2 }))
    images.push(
      { file: `${base}-classes.png`, caption: `${what}: ${set.count} images, how many of each class` },
      { file: `${base}-pixels.png`, caption: `${what}: pixel intensities over every image (log scale: the background's zeros dwarf the rest)` },
      { file: `${base}-nonzero.png`, caption: `${what}: the share of each class's pixels that are not 0, how much of the frame the objects fill` },
      { file: `${base}-grid.png`, caption: `${what}: the first ${perClass} images of each class, one row per class: do the labels match?` },
    )
    stats.counts.forEach((count, c) => {
      table[c]![`${set.split} images`] = count
      table[c]![`${set.split} share`] = count / Math.max(1, set.count)
      table[c]![`${set.split} non-zero pixels`] = stats.nonZeroShare[c]
    })
  }
  const first = splits[0]!
  writeIndexHtml(dir, {
    title: `${o.title}: a first look`,
    settings: {
      dataset: o.title,
      ...Object.fromEntries(splits.map((s) => [`${s.split} images`, `${s.count} from ${s.source}`])),
      'image size': `${first.rows}x${first.cols}`,
      classes: first.classes.length,
    },
    images,
    metricsTable: table,
  })
  return images.map((im) => im.file)
}
