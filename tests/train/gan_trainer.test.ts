// Training the GAN family into a run folder: what it leaves there, the players taking turns without
// touching each other's weights, resuming exactly, and stopping cleanly when a loss is not a number.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rng, type Tensor } from '../../src/index.ts'
import { readPng } from '../../src/report/png.ts'
import { CheckpointError, readCheckpoint, saveCheckpoint } from '../../src/nn/checkpoint.ts'
import { loadSample } from '../../src/data/index.ts'
import { imageBatch, labelBatch } from '../../src/data/batches.ts'
import { toGanPixels } from '../../src/models/gan.ts'
import {
  CHECKPOINT_FILE, createGanTraining, defaultGanRunConfig, ganTrainingStep, isGanRun, openGanRun, readGanRunConfig, trainGan, TrainingDiverged,
  type GanRunConfig,
} from '../../src/train/gan_trainer.ts'
import { pickRows } from '../../src/train/gan_report.ts'
import { caught, silenced } from '../helpers/quiet.ts'
import { tempDirs } from '../helpers/temp_dirs.ts'

// Tiny players (width 2 or 4) on 64 images: seconds, not minutes, on the reference backend.
const base = (model: GanRunConfig['model'], change: Partial<GanRunConfig> = {}): GanRunConfig => ({
  ...defaultGanRunConfig(model), sample: true, limit: 64, batch: 32, epochs: 2, width: model === 'gan' ? 4 : 2, noise: 8, seed: 3, ...change,
})
const quiet = () => {}
const tempDir = tempDirs(test, 'genkata-gan-')

const snapshot = (ts: Tensor[]) => ts.map((t) => Array.from(t.toTypedArray()))

/** The ACGAN run of the first test, whose checkpoint a later test reuses. */
let acganDir = ''

test('an ACGAN run leaves settings, metrics, a checkpoint, six pictures and an index.html; openGanRun generates from it', () => {
  const dir = (acganDir = tempDir())
  const config = base('acgan')
  const result = silenced(() => trainGan(config, dir, { log: quiet }))
  assert.is(result.history.length, 2)
  const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))
  assert.is(metrics.length, 2)
  for (const key of ['epoch', 'd_loss', 'g_loss', 'd_real', 'd_fake_before', 'd_fake_after', 'real_class_accuracy', 'fake_class_accuracy', 'images_per_second']) {
    assert.ok(Number.isFinite(metrics[1][key]), key)
  }
  for (const key of ['d_real', 'd_fake_before', 'd_fake_after']) assert.ok(metrics[1][key] > 0 && metrics[1][key] < 1, `${key} is a probability`)
  assert.match(readFileSync(join(dir, 'metrics.csv'), 'utf8').split('\n')[0]!, /^epoch,d_loss,g_loss,d_real,d_fake_before,d_fake_after,/)
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  for (const png of ['samples.png', 'progress.png', 'classes.png', 'losses.png', 'outputs.png']) {
    const image = readPng(join(dir, png))
    assert.ok(image.width > 50 && image.height > 50, png)
    assert.ok(html.includes(`src="${png}?v=`), `index.html shows ${png}`)
  }
  // progress.png: one row of 10 per epoch (28 * 2 pixels and a gap of 2 each); classes.png 10 columns.
  assert.is(readPng(join(dir, 'progress.png')).height, 2 + 2 * (56 + 2))
  assert.is(readPng(join(dir, 'classes.png')).width, 2 + 10 * (56 + 2))
  const saved = readGanRunConfig(dir) as GanRunConfig & { backend: string; adamBetas: number[] }
  assert.equal(Object.fromEntries(Object.keys(config).map((k) => [k, saved[k as keyof GanRunConfig]])), { ...config })
  assert.equal(saved.adamBetas, [0.5, 0.999])
  assert.ok(isGanRun(dir))

  const run = openGanRun(dir)
  assert.is(run.epoch, 2)
  assert.is(run.generator.training, false, 'reopened for sampling: eval mode')
  const { images, labels } = run.generate(12, new Rng(1))
  assert.equal(images.shape, [12, 1, 28, 28])
  assert.ok(Array.from(images.toTypedArray()).every((v) => v >= 0 && v <= 1), 'pixels in [0, 1]')
  assert.equal(Array.from(labels!), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1], 'every class as often')
  assert.equal(Array.from(run.generate(2, new Rng(1), [7, 7]).labels!), [7, 7])
  assert.equal(Array.from(run.generate(3, new Rng(5)).images.toTypedArray()), Array.from(run.generate(3, new Rng(5)).images.toTypedArray()), 'seeded')
  assert.throws(() => run.generate(2, new Rng(1), [0, 10]), /label 10 at position 1 is not a class in \[0, 10\)/)
  assert.throws(() => run.generate(2, new Rng(1), [0]), /got 1 labels for 2 images/)
  assert.throws(() => run.generate(0, new Rng(1)), /n must be a positive integer/)
})

test('a plain GAN run: no classes.png, no labels, no class accuracies', () => {
  const dir = tempDir()
  silenced(() => trainGan(base('gan', { epochs: 1 }), dir, { log: quiet }))
  assert.not.ok(existsSync(join(dir, 'classes.png')))
  assert.not.ok('real_class_accuracy' in JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))[0])
  const run = openGanRun(dir)
  assert.is(run.generate(2, new Rng(1)).labels, null)
  assert.throws(() => run.generate(2, new Rng(1), [0, 1]), /gan is not conditional; it takes no labels/)
})

test("in a step, the discriminator's weights are bit-identical across the generator's step and the generator's across the discriminator's", () => {
  for (const model of ['dcgan', 'acgan'] as const) {
    const config = base(model, { gSteps: 2, clip: 1, smoothing: 0.1 })
    const data = loadSample({ split: 'train' })
    const parts = createGanTraining(config, { imageShape: [1, 28, 28], classes: 10 })
    const G = parts.pair.generator.parameters()
    const D = parts.pair.discriminator.parameters()
    const indices = Int32Array.from({ length: 8 }, (_, i) => i)
    const real = toGanPixels(imageBatch(data, indices).reshape([8, 1, 28, 28]))
    const labels = model === 'acgan' ? labelBatch(data, indices) : undefined
    const rng = new Rng(1)
    ganTrainingStep(parts, real, labels, rng, config) // a first round, so both Adams have state
    const [g0, d0] = [snapshot(G), snapshot(D)]
    const atG: { g?: number[][]; d?: number[][] } = {}
    const zeroGrad = parts.optimizerG.zeroGrad.bind(parts.optimizerG)
    parts.optimizerG.zeroGrad = () => {
      // The generator's first step begins: D's step is done.
      if (!atG.g) Object.assign(atG, { g: snapshot(G), d: snapshot(D) })
      zeroGrad()
    }
    const stats = ganTrainingStep(parts, real, labels, rng, config)
    assert.ok(atG.g && atG.d, "the generator's step zeroes its gradients")
    assert.equal(atG.g, g0, `${model}: G is untouched by D's step`)
    assert.equal(snapshot(D), atG.d, `${model}: D is untouched by G's steps`)
    assert.ok(atG.d!.some((w, i) => w.some((v, j) => v !== d0[i]![j])), `${model}: D's step moved D`)
    assert.ok(snapshot(G).some((w, i) => w.some((v, j) => v !== g0[i]![j])), `${model}: G's steps moved G`)
    assert.ok(stats.d_fake_after !== stats.d_fake_before, 'D(G(z)) read before and after the D step')
  }
})

test('stopping after one epoch and resuming gives the same weights, optimizer state and figures as never stopping', () => {
  const config = base('acgan', { gSteps: 2, clip: 1, smoothing: 0.1 })
  const straight = tempDir()
  silenced(() => trainGan(config, straight, { log: quiet }))
  const interrupted = tempDir()
  silenced(() => trainGan({ ...config, epochs: 1 }, interrupted, { log: quiet }))
  const lines: string[] = []
  silenced(() => trainGan(config, interrupted, { resume: true, log: (l) => lines.push(l) }))
  assert.ok(lines[0]!.startsWith(`resumed ${interrupted} after epoch 1`))
  const a = readCheckpoint(join(straight, CHECKPOINT_FILE))
  const b = readCheckpoint(join(interrupted, CHECKPOINT_FILE))
  for (const [name, tensor] of Object.entries(a.tensors)) {
    assert.equal(Array.from(b.tensors[name]!.toTypedArray()), Array.from(tensor.toTypedArray()), name)
  }
  assert.equal(Array.from(b.extra!.progress.toTypedArray()), Array.from(a.extra!.progress.toTypedArray()), 'the progress rows')
  assert.equal(b.extra!.rng, a.extra!.rng)
  const strip = (rows: Record<string, number>[]) => rows.map(({ images_per_second: _, ...rest }) => rest)
  assert.equal(strip(JSON.parse(readFileSync(join(interrupted, 'metrics.json'), 'utf8'))), strip(JSON.parse(readFileSync(join(straight, 'metrics.json'), 'utf8'))))
  assert.equal(readPng(join(interrupted, 'progress.png')).data, readPng(join(straight, 'progress.png')).data)
})

test('a loss that is not finite stops the run, naming the epoch and step, and keeps the last good checkpoint', () => {
  const dir = tempDir()
  const error = caught(() => trainGan(base('gan', { lr: 1e20 }), dir, { log: quiet }))
  assert.instance(error, TrainingDiverged)
  assert.match(error!.message, /training stopped: the discriminator's loss is \S+ and the generator's (NaN|-?Infinity) at epoch 1, step \d+ of 2; no checkpoint was written/)
  assert.not.ok(existsSync(join(dir, CHECKPOINT_FILE)))

  const good = tempDir()
  silenced(() => trainGan(base('gan', { epochs: 1 }), good, { log: quiet }))
  const file = join(good, CHECKPOINT_FILE)
  const checkpoint = readCheckpoint(file)
  // NaN weights cannot be saved as a checkpoint (issue 12); a damaged checkpoint is refused on
  // resume, naming the file, and is not overwritten.
  checkpoint.tensors['discriminator.toLogit.bias']!.data.fill(NaN)
  assert.throws(() => saveCheckpoint(file, checkpoint.tensors, checkpoint.extra as never), /tensor 'discriminator.toLogit.bias' holds NaN/)
  const damaged = readFileSync(file)
  damaged[damaged.length - 1] ^= 0xff
  writeFileSync(file, damaged)
  const before = readFileSync(file)
  const second = caught(() => trainGan(base('gan'), good, { resume: true, log: quiet }))
  assert.instance(second, CheckpointError)
  assert.match(second!.message, new RegExp(`checkpoint ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: checksum mismatch`))
  assert.ok(readFileSync(file).equals(before))
})

test('bad settings are refused by name before anything is trained; broken folders are named', () => {
  const dir = tempDir()
  for (const [change, pattern] of [
    [{ model: 'vae' }, /unknown model 'vae': choose one of gan, dcgan, acgan/],
    [{ noise: 0 }, /--noise must be a positive integer, got 0/],
    [{ width: 0 }, /--width must be a positive integer, got 0/],
    [{ batch: 1.5 }, /--batch must be a positive integer/],
    [{ gSteps: 0 }, /--g-steps must be a positive integer, got 0/],
    [{ lr: 0 }, /--lr must be a positive number/],
    [{ smoothing: 1 }, /--smoothing must be in \[0, 1\), got 1/],
    [{ clip: 0 }, /--clip must be a positive number, got 0/],
    [{ seed: 0.5 }, /--seed must be an integer/],
    [{ limit: -3 }, /--limit must be a positive integer/],
  ] as const) {
    assert.throws(() => trainGan({ ...base('gan'), ...change } as GanRunConfig, dir, { log: quiet }), pattern)
  }
  assert.throws(() => trainGan(base('gan'), tempDir(), { resume: true, log: quiet }), /cannot resume: .*checkpoint\.gkt does not exist/)
  const empty = tempDir()
  assert.throws(() => readGanRunConfig(empty), /is not a genkata run folder: settings\.json is missing/)
  assert.not.ok(isGanRun(empty))
  writeFileSync(join(empty, 'settings.json'), '{ nope')
  assert.throws(() => readGanRunConfig(empty), /settings\.json: not valid JSON/)
  writeFileSync(join(empty, 'settings.json'), JSON.stringify(base('gan')))
  assert.throws(() => openGanRun(empty), /has no checkpoint\.gkt yet/)
  saveCheckpoint(join(empty, CHECKPOINT_FILE), {}, { epoch: 1 })
  assert.throws(() => openGanRun(empty), /not a GAN run's checkpoint/)
  const acganState = readCheckpoint(join(acganDir, CHECKPOINT_FILE))
  saveCheckpoint(join(empty, CHECKPOINT_FILE), acganState.tensors, acganState.extra as never)
  assert.throws(() => openGanRun(empty), /checkpoint .*: loadStateDict/)
  assert.throws(() => trainGan(base('gan'), empty, { resume: true, log: quiet }), /checkpoint .*: loadStateDict/)
})

test('progress.png keeps at most 30 rows: evenly spaced epochs, the first and the last', () => {
  assert.equal(pickRows(3, 30), [0, 1, 2])
  const rows = pickRows(100, 30)
  assert.is(rows.length, 30)
  assert.equal([rows[0], rows.at(-1)], [0, 99])
})

test.run()
