// The command line as a user runs it: a child process through bin/genkata.js.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readPng } from '../../src/report/png.ts'

const genkata = (...args: string[]) => spawnSync(process.execPath, ['bin/genkata.js', ...args], { encoding: 'utf8', env: { ...process.env, GENKATA_BACKEND: 'reference' } })
const dir = mkdtempSync(join(tmpdir(), 'genkata-cli-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

test('help lists the commands', () => {
  const r = genkata('help')
  assert.is(r.status, 0, r.stderr)
  for (const command of ['start', 'train <model>', 'train classifier', 'sample <run-dir>', 'eval <run-dir>', 'data fetch']) assert.ok(r.stdout.includes(command), command)
})

test('an unknown command, model or option exits 1 with a message naming it', () => {
  const cases: [string[], RegExp][] = [
    [['trian'], /genkata: unknown command 'trian'/],
    [['start', '--epoch', '1'], /unknown option --epoch/],
    [['train', 'wgan'], /train: unknown model 'wgan'/],
    [['train'], /train: which model\?/],
    [['train', 'vae', '--dataset', 'cifar'], /unknown dataset 'cifar': choose fashion or mnist/],
    [['train', 'vae', '--backend', 'nope'], /unknown backend 'nope'/],
    [['sample'], /sample: which run\?/],
    [['eval', join(dir, 'nothing')], /is not a genkata run folder/],
    [['data', 'fetch'], /data fetch: which data set\?/],
  ]
  for (const [args, pattern] of cases) {
    const r = genkata(...args)
    assert.is(r.status, 1, args.join(' '))
    assert.match(r.stderr, pattern)
  }
})

test('train, then sample and eval the run; a second train into the same folder is refused; resume keeps settings', () => {
  const run = join(dir, 'run')
  const trained = genkata('train', 'cvae', '--sample', '--limit', '128', '--epochs', '1', '--latent', '2', '--hidden', '8', '--batch', '64', '--out', run)
  assert.is(trained.status, 0, trained.stderr)
  assert.match(trained.stdout, /epoch 1\/1: train loss [\d.]+, test loss [\d.]+ \(reconstruction [\d.]+, KL [\d.]+\), test MSE [\d.]+/)
  assert.ok(existsSync(join(run, 'index.html')))

  const sampled = genkata('sample', run, '--n', '10', '--label', '3', '--out', join(dir, 's.png'))
  assert.is(sampled.status, 0, sampled.stderr)
  assert.ok(readPng(join(dir, 's.png')).width > 28)
  assert.match(genkata('sample', run, '--label', '10').stderr, /--label must be an integer in \[0, 10\), got 10/)

  const evaluated = genkata('eval', run)
  assert.is(evaluated.status, 0, evaluated.stderr)
  const report = JSON.parse(readFileSync(join(run, 'eval.json'), 'utf8'))
  assert.is(report.epoch, 1)
  assert.is(report.images, 1000)
  assert.ok(report.loss > 0 && report.mse > 0 && report.mse < 1)

  assert.match(genkata('train', 'cvae', '--sample', '--out', run).stderr, /already holds a trained run: continue it with --resume/)
  assert.match(genkata('train', '--resume', run, '--lr', '1').stderr, /only --epochs and --backend may change, got --lr/)
  assert.match(genkata('train', 'vae', '--resume', run).stderr, /that run trains cvae, not vae/)
  const resumed = genkata('train', '--resume', run, '--epochs', '2')
  assert.is(resumed.status, 0, resumed.stderr)
  assert.match(resumed.stdout, /resumed .* after epoch 1[\s\S]*epoch 2\/2/)
})

test('start trains the ConvVAE and says where the pictures are', () => {
  const out = join(dir, 'start')
  const r = genkata('start', '--sample', '--epochs', '1', '--limit', '64', '--out', out)
  assert.is(r.status, 0, r.stderr)
  assert.match(r.stdout, /conv-vae: 64 training \/ 11 test images/)
  assert.match(r.stdout, new RegExp(`open ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/index.html`))
  assert.ok(existsSync(join(out, 'samples.png')))
})

test('doctor reports every backend and the selected one', () => {
  const r = genkata('doctor', '--json')
  assert.is(r.status, 0, r.stderr)
  const report = JSON.parse(r.stdout)
  const reference = report.backends.find((b: { name: string }) => b.name === 'reference')
  assert.ok(reference.ok, 'the reference backend passes its own probe')
  assert.is(report.selected, 'reference')
})

test('data --sample prints class counts and writes the first-look pictures and their page', () => {
  const r = genkata('data', '--sample', '--out', join(dir, 'data'))
  assert.is(r.status, 0, r.stderr)
  assert.match(r.stdout, /3000 images of 28x28/)
  assert.match(r.stdout, / 9 Ankle boot\s+300\s+10\.0%/)
  for (const split of ['train', 'test']) {
    for (const kind of ['classes', 'pixels', 'nonzero', 'grid']) assert.ok(readPng(join(dir, 'data', `fashion-mnist-${split}-${kind}.png`)).width > 100, `${split} ${kind}`)
  }
  assert.ok(readFileSync(join(dir, 'data', 'index.html'), 'utf8').includes('Fashion-MNIST: a first look'))
  assert.match(r.stdout, /open .*index\.html/)
})

test.run()
