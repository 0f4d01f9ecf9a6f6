// genkata data [show]: where each data set was found, its class counts and a pixel-intensity
// histogram (the exploratory look the course projects started with).
// genkata data fetch --dataset mnist|fashion [--dest DIR]: download with checksum checks.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseFlags } from '../args.ts'
import { DATASETS, fetchDataset, loadSample, loadDatasetAt, surveyDataset, type ImageDataset } from '../../data/index.ts'
import { histogram } from '../../report/plot.ts'
import { writePng } from '../../report/png.ts'
import { datasetName } from './shared.ts'

export const dataUsage = `genkata data [--dataset fashion|mnist] [--data-dir DIR] [--sample] [--out DIR (runs/data)]
genkata data fetch --dataset fashion|mnist [--dest DIR (data/<name>)]`

export async function data(argv: string[]): Promise<void> {
  if (argv[0] === 'fetch') {
    const flags = parseFlags(argv.slice(1), { dataset: 'string', dest: 'string' })
    if (flags.dataset === undefined) throw new Error(`data fetch: which data set? --dataset fashion|mnist`)
    const name = datasetName(flags.dataset as string)
    const dest = (flags.dest as string | undefined) ?? join('data', name)
    await fetchDataset(name, { dest, log: (line) => console.log(line) })
    console.log(`${DATASETS[name].title} is in ${dest}`)
    return
  }
  const rest = argv[0] === 'show' ? argv.slice(1) : argv
  const flags = parseFlags(rest, { dataset: 'string', 'data-dir': 'string', sample: 'boolean', out: 'string' })
  const name = datasetName((flags.dataset as string | undefined) ?? 'fashion')
  const out = (flags.out as string | undefined) ?? join('runs', 'data')
  const sets: [string, ImageDataset][] = []
  if (flags.sample) {
    if (name !== 'fashion-mnist') throw new Error('the embedded sample is Fashion-MNIST')
    sets.push(['train', loadSample({ split: 'train' })], ['test', loadSample({ split: 'test' })])
  } else {
    for (const split of ['train', 'test'] as const) {
      const { found, places } = surveyDataset({ name, split, dataDir: flags['data-dir'] as string | undefined })
      console.log(`${DATASETS[name].title} ${split}: looked in ${places.map((p) => p.dir).join(', ')}`)
      if (!found) {
        console.log(`  not found: ${DATASETS[name].howToGet}`)
        continue
      }
      sets.push([split, loadDatasetAt(found)])
    }
  }
  if (sets.length === 0) return
  mkdirSync(out, { recursive: true })
  for (const [split, set] of sets) {
    console.log(`${set.source}: ${set.count} images of ${set.rows}x${set.cols}`)
    const counts = new Array<number>(set.classes.length).fill(0)
    for (const label of set.labels) counts[label]!++
    for (const [i, c] of counts.entries()) console.log(`  ${String(i).padStart(2)} ${set.classes[i]!.padEnd(12)} ${String(c).padStart(6)}  ${(100 * c / set.count).toFixed(1)}%`)
    const file = join(out, `${name}-${split}-pixels.png`)
    writePng(file, histogram(Float64Array.from(set.images, (v) => v / 255), 32, { title: `${DATASETS[name].title} ${split}: pixel intensities`, xLabel: 'intensity', yLabel: 'pixels' }))
    console.log(`  pixel-intensity histogram: ${file}`)
  }
}
