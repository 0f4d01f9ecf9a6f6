// Makes genkata's embedded Fashion-MNIST sample (assets/fashion-mnist-sample) from the real
// dataset: a seeded, class-balanced subset, gzip level 9, the same output for the same input.
// Usage: tsx scripts/make_sample.ts [--data-dir DIR] [--out DIR] [--seed N]
//   --data-dir  where the full Fashion-MNIST is (default: the usual search, e.g. /usr/share/datasets/fashion-mnist)
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import type { Split } from '../src/data/catalog.ts'
import { loadImageDataset, type ImageDataset } from '../src/data/datasets.ts'
import { writeIdxFile } from '../src/data/idx.ts'
import { SAMPLE_DIR, SAMPLE_PER_CLASS, SAMPLE_SEED } from '../src/data/sample.ts'
import { mulberry32, selectBalanced, takeExamples } from '../src/data/subset.ts'

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    out: { type: 'string', default: SAMPLE_DIR },
    seed: { type: 'string', default: String(SAMPLE_SEED) },
  },
})
const seed = Number(values.seed)
if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got '${values.seed}'`)
const outDir = values.out!

function writeSplit(full: ImageDataset, split: Split, rand: () => number): { count: number; bytes: number } {
  const picked = selectBalanced(full.labels, full.classes.length, SAMPLE_PER_CLASS[split], rand)
  const { images, labels } = takeExamples(full, picked)
  mkdirSync(outDir, { recursive: true })
  const imagesPath = join(outDir, `${split}-images.idx.gz`)
  const labelsPath = join(outDir, `${split}-labels.idx.gz`)
  writeIdxFile(imagesPath, { dtype: 'uint8', shape: [picked.length, full.rows, full.cols], data: images })
  writeIdxFile(labelsPath, { dtype: 'uint8', shape: [picked.length], data: labels })
  return { count: picked.length, bytes: statSync(imagesPath).size + statSync(labelsPath).size }
}

// One generator for both splits, train first: the order is part of what the seed means
// (tests/data/sample.test.ts redraws the sample from the real data the same way).
const rand = mulberry32(seed)
const sources: string[] = []
let total = 0
for (const split of ['train', 'test'] as const) {
  const full = loadImageDataset({ name: 'fashion-mnist', split, ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}) })
  sources.push(full.source)
  const { count, bytes } = writeSplit(full, split, rand)
  total += bytes
  console.log(`${split}: ${count} of ${full.count} images from ${full.source} (${SAMPLE_PER_CLASS[split]} per class), ${bytes} bytes`)
}

const readme = `# Fashion-MNIST sample

A small, class-balanced subset of the real Fashion-MNIST, embedded so that genkata's tests,
examples and a first run work without the full dataset. Load it with \`loadSample()\` from
\`src/data/sample.ts\`.

| file | contents |
| --- | --- |
| train-images.idx.gz | ${SAMPLE_PER_CLASS.train * 10} images from the training set, uint8 [${SAMPLE_PER_CLASS.train * 10}, 28, 28] |
| train-labels.idx.gz | their labels, uint8 [${SAMPLE_PER_CLASS.train * 10}] |
| test-images.idx.gz | ${SAMPLE_PER_CLASS.test * 10} images from the test set (t10k), uint8 [${SAMPLE_PER_CLASS.test * 10}, 28, 28] |
| test-labels.idx.gz | their labels, uint8 [${SAMPLE_PER_CLASS.test * 10}] |

The files are IDX (the MNIST format), gzip level 9.

Selection: ${SAMPLE_PER_CLASS.train} images of each of the 10 classes from the 60000 training images and
${SAMPLE_PER_CLASS.test} of each class from the 10000 test images, drawn with a partial Fisher-Yates
shuffle per class using the mulberry32 generator seeded with ${seed} (one generator, train drawn
first), then kept in their original order. The same source and seed give the same files, byte for byte.

Classes: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag,
9 Ankle boot.

Source: Fashion-MNIST by Zalando Research (https://github.com/zalandoresearch/fashion-mnist),
as installed by Debian's \`dataset-fashion-mnist\` package. Licence: MIT (Expat),
Copyright (c) 2017 Zalando SE.

Recreate it (after \`apt-get install dataset-fashion-mnist\`):

    npx tsx scripts/make_sample.ts${seed === SAMPLE_SEED ? '' : ` --seed ${seed}`}
`
writeFileSync(join(outDir, 'README.md'), readme)
console.log(`wrote ${relative(process.cwd(), outDir) || outDir}: ${total} bytes of IDX data from ${[...new Set(sources)].join(', ')}`)
