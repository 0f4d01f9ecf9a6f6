// genkata data's first look: the statistics against a direct count, the bar chart's bars in
// proportion, the sanity grid's rows by class, and the whole report on the embedded sample.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadSample } from '../../src/data/sample.ts'
import { renderBarChart } from '../../src/report/bars.ts'
import { getPixel } from '../../src/report/canvas.ts'
import { datasetStats, sanityImages, writeDatasetReport, type DatasetSplit } from '../../src/report/dataset_report.ts'
import { PALETTE } from '../../src/report/plot.ts'
import { readPng } from '../../src/report/png.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-datareport-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

// Three 2x2 images: class 0 has two (one blank, one half lit), class 1 one fully lit; class 2 none.
const tiny: DatasetSplit = {
  split: 'train', rows: 2, cols: 2, count: 3, classes: ['zero', 'one', 'two'], source: 'memory',
  images: Uint8Array.from([0, 0, 0, 0, 255, 0, 128, 0, 9, 9, 9, 9]),
  labels: Uint8Array.from([0, 0, 1]),
}

test('class counts and the share of non-zero pixels per class', () => {
  assert.equal(datasetStats(tiny), { counts: [2, 1, 0], nonZeroShare: [2 / 8, 1, 0] })
  assert.throws(() => datasetStats({ ...tiny, labels: Uint8Array.from([0, 0, 3]) }), /image 2 has label 3, but there are 3 classes/)
  assert.throws(() => datasetStats({ ...tiny, count: 4 }), /4 images of 2x2 need 16 pixels, got 12/)
  assert.throws(() => datasetStats({ ...tiny, labels: Uint8Array.from([0]) }), /3 images but 1 labels/)
})

test('the sanity grid takes the first images of each class, in file order, blank where a class runs out', () => {
  const cells = sanityImages(tiny, 2)
  assert.is(cells.length, 6)
  assert.equal([...cells[0]!], [0, 0, 0, 0])
  assert.equal([...cells[1]!], [1, 0, 128 / 255, 0].map((v) => Math.fround(v)))
  assert.equal([...cells[2]!], [9, 9, 9, 9].map((v) => Math.fround(v / 255)))
  assert.equal([...cells[3]!], [1, 1, 1, 1], 'class 1 has one image: the second cell is blank')
  assert.equal([...cells[5]!], [1, 1, 1, 1])
})

test('bars are in proportion to their values, from the same left edge', () => {
  const { image, layout } = renderBarChart({ labels: ['a', 'bb', 'ccc'], values: [10, 5, 0], title: 'counts', xLabel: 'images' })
  const [a, b, c] = layout.bars
  assert.is(a!.x, b!.x)
  // A bar covers the pixels from the axis to its value inclusive.
  assert.ok(Math.abs(a!.w - 1 - 2 * (b!.w - 1)) <= 1, `${a!.w} vs ${b!.w}`)
  assert.is(a!.x + a!.w - 1, layout.xToPixel(10))
  assert.is(c!.w, 0)
  assert.equal(getPixel(image, a!.x + a!.w - 1, a!.y + 1), PALETTE[0])
  assert.throws(() => renderBarChart({ labels: ['a'], values: [1, 2] }), /1 labels but 2 values/)
  assert.throws(() => renderBarChart({ labels: ['a'], values: [-1] }), /bar "a" has value -1; expected a finite number >= 0/)
  assert.throws(() => renderBarChart({ labels: [], values: [] }), /at least one bar/)
  assert.throws(() => renderBarChart({ labels: ['a'], values: [1], width: 40 }), /make it wider/)
})

test('the report on the embedded sample: four pictures per split and a page listing them', () => {
  const splits = (['train', 'test'] as const).map((split) => ({ ...loadSample({ split }), split }))
  const files = writeDatasetReport(dir, splits, { name: 'fashion-mnist', title: 'Fashion-MNIST', perClass: 4 })
  assert.equal(files.length, 8)
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.png')).sort(), [...files].sort())
  const grid = readPng(join(dir, 'fashion-mnist-train-grid.png'))
  assert.ok(grid.height > 10 * 28 * 2 && grid.width > 4 * 28 * 2, 'ten rows of four 2x-scaled images, with labels')
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  for (const f of files) assert.ok(html.includes(`<img src="${f}"`), f)
  assert.ok(html.includes('<td>Ankle boot</td>'))
  assert.not.match(html.replace(/<[^>]*>/g, ' '), /undefined|null/)
  assert.throws(() => writeDatasetReport(dir, [splits[0]!, { ...splits[1]!, classes: ['x'] }], { name: 'f', title: 'F' }), /the test split's classes differ from the train split's/)
  assert.throws(() => writeDatasetReport(dir, [], { name: 'f', title: 'F' }), /no split to describe/)
})

test.run()
