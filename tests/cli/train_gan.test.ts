// genkata train gan|dcgan|acgan, called in process (main.ts hands it the arguments after "train").
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { trainGan, trainGanUsage } from '../../src/cli/commands/train_gan.ts'
import { getBackend } from '../../src/backend/index.ts'
import { silenced } from '../helpers/quiet.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-cli-gan-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))
const lines: string[] = []
const log = (line: string) => lines.push(line)
const tiny = ['--sample', '--limit', '64', '--batch', '32', '--width', '2', '--noise', '8']

test('train dcgan with every option; the settings keep them; a second train into the folder is refused', () => {
  const run = join(dir, 'dcgan')
  const backend = getBackend().name // named, not changed: the suites share one process
  const result = silenced(() => trainGan(['dcgan', ...tiny, '--epochs', '1', '--lr', '0.001', '--smoothing', '0.1', '--clip', '5', '--g-steps', '2', '--seed', '4', '--backend', backend, '--out', run], { log }))
  assert.is(result.history.length, 1)
  assert.match(lines.join('\n'), /epoch 1\/1: D loss [\d.]+, G loss [\d.]+, D\(x\) [\d.]+, D\(G\(z\)\) [\d.]+ -> [\d.]+, \d+ images\/s/)
  const settings = JSON.parse(readFileSync(join(run, 'settings.json'), 'utf8'))
  assert.equal(
    { model: settings.model, lr: settings.lr, smoothing: settings.smoothing, clip: settings.clip, gSteps: settings.gSteps, seed: settings.seed, width: settings.width, noise: settings.noise, epochs: settings.epochs, limit: settings.limit, backend: settings.backend },
    { model: 'dcgan', lr: 0.001, smoothing: 0.1, clip: 5, gSteps: 2, seed: 4, width: 2, noise: 8, epochs: 1, limit: 64, backend },
  )
  assert.throws(() => trainGan(['dcgan', ...tiny, '--out', run]), /already holds a trained run: continue it with --resume/)

  // Resume: only --epochs and --backend may change; the model, when given, must match.
  const resumed = silenced(() => trainGan(['--resume', run, '--epochs', '2'], { log }))
  assert.is(resumed.history.length, 2)
  assert.ok(lines.some((l) => l.startsWith(`resumed ${run} after epoch 1`)))
  assert.throws(() => trainGan(['gan', '--resume', run]), /that run trains dcgan, not gan/)
  assert.throws(() => trainGan(['--resume', run, '--lr', '1']), /only --epochs and --backend may change, got --lr/)
})

test('the defaults: Adam 2e-4, batch 64, no smoothing, no clipping, one G step; the folder runs/<model>-<data>-s<seed>', () => {
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    const result = silenced(() => trainGan(['gan', '--sample', '--limit', '64', '--epochs', '1', '--width', '2'], { log }))
    assert.is(result.dir, join('runs', 'gan-sample-s1'))
    const settings = JSON.parse(readFileSync(join(dir, 'runs', 'gan-sample-s1', 'settings.json'), 'utf8'))
    assert.equal([settings.lr, settings.batch, settings.smoothing, settings.clip, settings.gSteps, settings.noise, settings.dataset], [2e-4, 64, 0, null, 1, 100, 'fashion-mnist'])
  } finally {
    process.chdir(cwd)
  }
  assert.ok(existsSync(join(dir, 'runs', 'gan-sample-s1', 'checkpoint.gkt')))
})

test('a missing or unknown model, a bad option or value: errors that name it', () => {
  assert.throws(() => trainGan([]), /train: which model\? one of gan, dcgan, acgan/)
  assert.throws(() => trainGan(['wgan']), /train: unknown model 'wgan': choose one of gan, dcgan, acgan/)
  assert.throws(() => trainGan(['gan', '--latent', '3']), /unknown option --latent/)
  assert.throws(() => trainGan(['gan', '--smoothing', '1.5', '--sample']), /--smoothing must be in \[0, 1\), got 1.5/)
  assert.throws(() => trainGan(['gan', '--dataset', 'cifar']), /unknown dataset 'cifar'/)
  assert.throws(() => trainGan(['gan', '--backend', 'nope']), /unknown backend 'nope'/)
  assert.throws(() => trainGan(['dcgan', '--fake-class-weight', '1', '--sample']), /--fake-class-weight weighs the ACGAN's class loss; dcgan has no class head/)
  assert.throws(() => trainGan(['acgan', '--fake-class-weight', '-1', '--sample']), /--fake-class-weight must be a finite number >= 0, got -1/)
  assert.ok(trainGanUsage.includes('--g-steps K'))
})

test('train dcgan --log-every 5 --snapshot-every 5: per-step metrics, per-step curves and snapshots in the run folder', () => {
  const run = join(dir, 'dcgan-steps')
  silenced(() => trainGan(['dcgan', ...tiny, '--epochs', '1', '--log-every', '5', '--snapshot-every', '5', '--out', run], { log }))
  // 64 images in batches of 32: 2 steps, so the log holds step 1 only (the first step and each multiple of 5).
  const csv = readFileSync(join(run, 'metrics-steps.csv'), 'utf8').trim().split('\n')
  assert.ok(csv[0]!.split(',').includes('d_loss') && csv[0]!.split(',').includes('g_loss'), csv[0])
  const steps = JSON.parse(readFileSync(join(run, 'metrics-steps.json'), 'utf8'))
  assert.ok(Array.isArray(steps.rows ?? steps) && (steps.rows ?? steps).length === csv.length - 1, 'the JSON holds the rows of the CSV')
  const page = readFileSync(join(run, 'index.html'), 'utf8')
  assert.match(page, /metrics-steps\.csv/)
  assert.ok(existsSync(join(run, 'snapshots')), 'snapshots/ is written when --snapshot-every is set')
  const settings = JSON.parse(readFileSync(join(run, 'settings.json'), 'utf8'))
  assert.equal([settings.logEvery, settings.snapshotEvery], [5, 5])
  assert.throws(() => trainGan(['dcgan', ...tiny, '--log-every', '0', '--out', join(dir, 'bad')]), /--log-every must be a positive integer/)
})

test.run()
