// Experiments end to end on the embedded sample, tiny: every arm trained, evaluated with a tiny
// classifier, table.md and table.json with a row per arm (a row per class for the CVAE), the
// figures as PNGs with the panels laid out side by side; a second run reuses every arm.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { experiment, experimentUsage, parseEpochs } from '../../src/cli/commands/experiment.ts'
import { defaultExperimentDir, EXPERIMENT_NAMES, getExperiment, runExperiment, type ExperimentResult } from '../../src/experiments/index.ts'
import { classGrid, panelLayout, sampleGrid, traversalImage } from '../../src/experiments/figures.ts'
import { readPng } from '../../src/report/png.ts'
import { getBackend } from '../../src/backend/index.ts'
import { loadSample } from '../../src/data/sample.ts'
import { silenced } from '../helpers/quiet.ts'
import { shrink, tinyClassifier } from './tiny.ts'

const root = mkdtempSync(join(tmpdir(), 'genkata-experiment-'))
test.after(() => rmSync(root, { recursive: true, force: true }))
const classifier = tinyClassifier(join(root, 'classifier'))
const lines: string[] = []
const log = (line: string) => lines.push(line)
const tiny = { dataset: 'fashion-mnist' as const, sample: true, limit: 64, epochs: 1, seed: 1, samples: 20, classifier, adjust: shrink, log }

function checkTable(result: ExperimentResult, rows: number) {
  const md = readFileSync(join(result.dir, 'table.md'), 'utf8')
  const json = JSON.parse(readFileSync(join(result.dir, 'table.json'), 'utf8'))
  assert.is(json.table.rows.length, rows)
  assert.is(md.split('\n').filter((l) => l.startsWith('| ')).length, rows + 2, 'a header, its rule and a row each')
  assert.match(md, /not on Inception's/)
  assert.match(md, new RegExp(`The floor \\(the test set against itself.*\\) is ${json.fid.floor.toFixed(2)}`))
  assert.ok(Number.isFinite(json.fid.floor) && json.fid.floor >= 0)
  assert.equal(
    [json.settings.dataset, json.settings.seed, json.settings.backend, json.settings.samples, json.fid.testImages],
    ['fashion-mnist', 1, getBackend().name, 20, 1000],
  )
  for (const figure of json.figures) assert.ok(existsSync(join(result.dir, figure.file)), figure.file)
  return { md, json }
}

test('latent: three FC VAE arms, each row with finite test loss, reconstruction, KL and FID; samples side by side', () => {
  const result = silenced(() => runExperiment(getExperiment('latent'), { ...tiny, out: join(root, 'latent') }))
  const { json, md } = checkTable(result, 3)
  assert.equal(json.table.rows.map((r: { arm: string }) => r.arm), ['z3', 'z10', 'z100'])
  for (const row of json.table.rows) {
    for (const key of ['loss', 'reconstruction', 'kl', 'fid', 'mse']) assert.ok(Number.isFinite(row[key]), `${row.arm} ${key}: ${row[key]}`)
    assert.equal([row.epochs, row.dataset, row.seed, row.backend, row.action], [1, 'fashion-mnist', 1, getBackend().name, 'trained'])
  }
  assert.equal(json.table.rows.map((r: { latent: number }) => r.latent), [3, 10, 100])
  assert.match(md, /\| z = 3 \| vae \| 1 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/)
  // The figure: the three 8x8 grids of 28x28 images at scale 2, side by side.
  const grid = sampleGrid(result.results[0]!.trained, 64, 6)
  const layout = panelLayout([grid, grid, grid])
  const png = readPng(join(result.dir, 'samples.png'))
  assert.equal([png.width, png.height], [layout.width, layout.height])
  assert.is(grid.width, 2 + 8 * (56 + 2))
})

test('a second run reuses every arm and writes the same table; --epochs beyond them resumes', () => {
  lines.length = 0
  const out = join(root, 'latent')
  const before = JSON.parse(readFileSync(join(out, 'table.json'), 'utf8'))
  const again = silenced(() => runExperiment(getExperiment('latent'), { ...tiny, out }))
  assert.equal(again.results.map((r) => r.action), ['reused', 'reused', 'reused'])
  assert.is(lines.filter((l) => l.includes('reusing')).length, 3)
  assert.equal(again.document.table.rows.map((r) => r.fid), before.table.rows.map((r: { fid: number }) => r.fid))
  const adjust = (arm: Parameters<typeof shrink>[0]) => (arm.name === 'z3' ? shrink(arm) : { ...shrink(arm), config: { ...shrink(arm).config, epochs: 1 } } as typeof arm)
  const longer = silenced(() => runExperiment(getExperiment('latent'), { ...tiny, epochs: 2, adjust, out }))
  assert.equal(longer.results.map((r) => [r.action, r.epoch]), [['resumed', 2], ['reused', 1], ['reused', 1]])
})

test('beta: three arms, their traversals side by side, one panel each', () => {
  const result = silenced(() => runExperiment(getExperiment('beta'), { ...tiny, out: join(root, 'beta') }))
  const { json } = checkTable(result, 3)
  assert.equal(json.table.rows.map((r: { beta: number }) => r.beta), [0.5, 1, 4])
  const test = loadSample({ split: 'test' })
  const panels = result.results.map((r) => traversalImage(r.trained, test))
  // latent 10: ten rows (z0..z9) of seven values
  assert.ok(panels.every((p) => p.height === panels[0]!.height && p.height > 10 * 56))
  const layout = panelLayout(panels)
  const png = readPng(join(result.dir, 'traversals.png'))
  assert.equal([png.width, png.height], [layout.width, layout.height])
  // white gaps between the panels, ink inside them
  const { x } = layout.boxes[1]!
  const column = (cx: number) => Array.from({ length: png.height }, (_, y) => png.data[y * png.width + cx]!)
  assert.ok(column(x - 1).slice(layout.boxes[1]!.y).every((v) => v === 255), 'the gap before panel 2 is white')
  assert.ok(json.figures.some((f: { file: string }) => f.file === 'traversals.png'))
})

test('cvae: latent 2, 10 and 20, a row per class and the mean, the classifier on real images beside them; the arms\' class grids side by side', () => {
  const result = silenced(() => runExperiment(getExperiment('cvae'), { ...tiny, out: join(root, 'cvae') }))
  const { json, md } = checkTable(result, 15)
  const rows = json.table.rows
  const arms = ['z2', 'z10', 'z20']
  assert.equal(result.results.map((r) => (r.arm.config as { latent: number }).latent), [2, 10, 20])
  assert.equal(rows.slice(0, 10).map((r: { samples: number }) => r.samples), new Array(10).fill(2))
  for (const row of rows.slice(0, 11)) {
    for (const arm of arms) assert.ok(row[arm] >= 0 && row[arm] <= 1, `${row.class} ${arm}: ${row[arm]}`)
    assert.ok(row.realAccuracy >= 0 && row.realAccuracy <= 1)
  }
  assert.is(rows[10].class, 'mean over classes')
  for (const arm of arms) {
    assert.ok(Math.abs(rows[10][arm] - rows.slice(0, 10).reduce((s: number, r: Record<string, number>) => s + r[arm]!, 0) / 10) < 1e-9)
    assert.ok(Number.isFinite(rows[10][`${arm}Fid`]) && Number.isFinite(rows[10][`${arm}Loss`]))
  }
  // Below the mean, the label-use probes (eval/label_use.ts), each arm's from its evaluation.
  assert.equal(rows.slice(11).map((r: { class: string }) => r.class), ['prototype judged y', 'reconstruction judged y', "label swapped: judged y'", 'label swapped: judged y (z carries the class)'])
  for (const [k, arm] of arms.entries()) {
    const use = result.results[k]!.evaluation.labelUse!
    assert.equal(rows.slice(11).map((r: Record<string, number>) => r[arm]), [use.prototype, use.reconstruction, use.swapFollowsLabel, use.swapFollowsImage])
    assert.ok(use.swapFollowsLabel + use.swapFollowsImage <= 1 && use.images === 20, JSON.stringify(use))
  }
  assert.match(md, /\| decode\(mu\(x, y\), y'\) \| label swapped: judged y \(z carries the class\) \| [\d.]+% \| [\d.]+% \| [\d.]+% \| - \|/)
  assert.match(md, /\| label \| class \| CVAE z = 2 \| CVAE z = 10 \| CVAE z = 20 \| classifier on real test images \|/)
  assert.match(md, /\| 0 \| T-shirt\/top \| [\d.]+% \| [\d.]+% \| [\d.]+% \| [\d.]+% \|/)
  const png = readPng(join(result.dir, 'samples.png'))
  // three panels of ten rows of 28x28 images at scale 2 with a gap of 2 (row labels to their left)
  const grid = classGrid(result.results[0]!.trained, json.table.rows.slice(0, 10).map((r: { class: string }) => r.class), 10, 6)
  assert.equal([png.width, png.height], [panelLayout([grid, grid, grid]).width, panelLayout([grid, grid, grid]).height])
})

test('families: VAE, GAN, DCGAN, ACGAN; FID and the floor for each, per-class accuracy for the ACGAN only; four panels', () => {
  const result = silenced(() => runExperiment(getExperiment('families'), { ...tiny, out: join(root, 'families') }))
  const { json, md } = checkTable(result, 4)
  assert.equal(json.table.rows.map((r: { model: string }) => r.model), ['vae', 'gan', 'dcgan', 'acgan'])
  for (const row of json.table.rows) {
    assert.ok(Number.isFinite(row.fid) && row.fid >= 0, `${row.model} FID ${row.fid}`)
    assert.is(row.floor, json.fid.floor)
  }
  assert.equal(json.table.rows.map((r: { classAccuracy: number | null }) => r.classAccuracy === null), [true, true, true, false])
  assert.match(md, /\| ACGAN \| acgan \| 1 \| [\d.]+ \| [\d.]+ \| [\d.]+% \|/)
  assert.match(md, /\| GAN \| gan \| 1 \| [\d.]+ \| [\d.]+ \| - \|/)
  const grids = result.results.map((r) => sampleGrid(r.trained, 64, 6))
  const png = readPng(join(result.dir, 'samples.png'))
  assert.equal([png.width, png.height], [panelLayout(grids).width, panelLayout(grids).height])
  assert.is(grids[3]!.width, 2 + 10 * (56 + 2), 'the ACGAN: a column per class')
})

test('every experiment names its arms and their models; fc-vs-conv compares the two at one latent size', () => {
  const o = { dataset: 'fashion-mnist' as const, sample: false, seed: 1 }
  const models = Object.fromEntries(EXPERIMENT_NAMES.map((name) => [name, getExperiment(name).arms(o).map((a) => a.config.model)]))
  assert.equal(models, {
    latent: ['vae', 'vae', 'vae'], 'fc-vs-conv': ['vae', 'conv-vae'], beta: ['vae', 'vae', 'vae'], cvae: ['cvae', 'cvae', 'cvae'], families: ['vae', 'gan', 'dcgan', 'acgan'],
  })
  const fc = getExperiment('fc-vs-conv').arms(o)
  assert.equal(fc.map((a) => (a.config as { latent: number }).latent), [32, 32])
  assert.equal(getExperiment('families').arms(o).map((a) => a.config.epochs), [10, 20, 5, 5], 'the default epochs')
  assert.equal(getExperiment('families').arms(o).slice(1).map((a) => (a.config as { smoothing: number }).smoothing), [0.1, 0.1, 0.1], 'one-sided label smoothing')
  assert.equal(getExperiment('latent').arms({ ...o, epochs: 3 }).map((a) => a.config.epochs), [3, 3, 3])
  assert.equal(getExperiment('cvae').arms(o).map((a) => a.config.epochs), [20, 20, 20], 'the CVAE trains long enough for its label to take the class over from z')
  assert.equal(getExperiment('cvae').arms({ ...o, epochs: 4 }).map((a) => a.config.epochs), [4, 4, 4])
  assert.is(defaultExperimentDir('beta', { dataset: 'mnist', sample: false, seed: 2 }), join('runs', 'experiments', 'beta-mnist-s2'))
  assert.is(defaultExperimentDir('beta', { dataset: 'fashion-mnist', sample: true, seed: 1 }), join('runs', 'experiments', 'beta-sample-s1'))
})

test('--epochs: every arm, or arms by name, or both; a name that is no arm is refused before anything trains', () => {
  assert.equal(parseEpochs(undefined), {})
  assert.equal(parseEpochs('7'), { epochs: 7 })
  assert.equal(parseEpochs('dcgan=2,acgan=3'), { armEpochs: { dcgan: 2, acgan: 3 } })
  assert.equal(parseEpochs('5,dcgan=2'), { epochs: 5, armEpochs: { dcgan: 2 } })
  assert.throws(() => parseEpochs('dcgan=0'), /--epochs must be a positive integer for arm dcgan, got 'dcgan=0'/)
  assert.throws(() => parseEpochs('2.5'), /--epochs must be a positive integer, got '2.5'/)
  assert.throws(() => parseEpochs('5,6'), /--epochs gives every arm's epochs twice: '5,6'/)
  assert.throws(() => parseEpochs('=3'), /an arm's name is missing before '=' in '=3'/)
  // The latent experiment with z3 at 2 epochs and the others at 1: the table records each arm's.
  const result = silenced(() => runExperiment(getExperiment('latent'), { ...tiny, armEpochs: { z3: 2 }, out: join(root, 'latent-epochs') }))
  assert.equal(result.results.map((r) => [r.arm.name, r.arm.config.epochs, r.epoch]), [['z3', 2, 2], ['z10', 1, 1], ['z100', 1, 1]])
  assert.equal(result.document.settings.epochs, { z3: 2, z10: 1, z100: 1 })
  assert.throws(() => runExperiment(getExperiment('latent'), { ...tiny, armEpochs: { z4: 2 }, out: join(root, 'never') }), /--epochs z4=2: experiment latent has no arm 'z4'; its arms are z3, z10, z100/)
  assert.not.ok(existsSync(join(root, 'never', 'z3')), 'nothing trained')
})

test('the command: the table records it; bad input is an error that says what to do', () => {
  // The command line on the real settings: the CVAE's first arm, trained small by the test above, is refused.
  lines.length = 0
  const out = join(root, 'cvae-cli')
  cpSync(join(root, 'cvae'), out, { recursive: true })
  const args = ['cvae', '--sample', '--limit', '64', '--epochs', '1', '--samples', '20', '--classifier', classifier, '--out', out, '--seed', '1', '--backend', getBackend().name]
  assert.throws(() => experiment(args, { log }), /holds a run with other settings than the arm 'z2' of experiment 'cvae' \(hidden: 16 there, 400 here; batch: 32 there, 128 here\)/)
  assert.throws(() => experiment([]), /experiment: which one\? one of latent, fc-vs-conv, beta, cvae, families/)
  assert.throws(() => experiment(['gans', '--classifier', classifier]), /unknown experiment 'gans': choose one of latent, fc-vs-conv, beta, cvae, families/)
  assert.throws(() => experiment(['latent', '--sample']), /--classifier DIR is required.*`genkata train classifier-cnn --dataset fashion`/)
  assert.throws(() => experiment(['latent', '--sample', '--classifier', join(root, 'latent', 'z3')]), /is not a classifier run folder/)
  const mnist = join(root, 'classifier-mnist')
  cpSync(classifier, mnist, { recursive: true })
  const settings = JSON.parse(readFileSync(join(mnist, 'settings.json'), 'utf8'))
  writeFileSync(join(mnist, 'settings.json'), JSON.stringify({ ...settings, dataset: 'mnist' }))
  assert.throws(() => experiment(['latent', '--sample', '--classifier', mnist]), /the classifier in .*classifier-mnist was trained on mnist, but the experiment runs on fashion-mnist: give one trained on fashion-mnist \(`genkata train classifier-cnn --dataset fashion`\)/)
  assert.throws(() => experiment(['latent', '--limit', '0', '--classifier', classifier]), /--limit must be a positive integer/)
  assert.throws(() => experiment(['latent', '--sample', '--epochs', '1.5', '--classifier', classifier]), /--epochs must be a positive integer/)
  assert.throws(() => experiment(['latent', '--sample', '--samples', '1', '--classifier', classifier]), /--samples must be an integer of at least 2/)
  assert.throws(() => experiment(['latent', '--dataset', 'cifar']), /unknown dataset 'cifar'/)
  assert.throws(() => experiment(['latent', '--latent', '3']), /unknown option --latent/)
  assert.ok(experimentUsage.includes('--classifier DIR') && experimentUsage.includes('families'))
})

test.run()
