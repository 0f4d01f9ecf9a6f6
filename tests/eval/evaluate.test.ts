// The whole evaluation of a trained VAE run, on tiny runs: FID and its floor, per-class accuracy
// for a conditional model, the two latent maps and eval.json in the run folder.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rng } from '../../src/index.ts'
import { readPng } from '../../src/report/png.ts'
import { trainVae, openRun, type VaeRunConfig } from '../../src/train/vae_trainer.ts'
import { loadClassifierRun, trainClassifierCnn } from '../../src/train/classifier_cnn_trainer.ts'
import { loadSample } from '../../src/data/sample.ts'
import { ClassifierCnn } from '../../src/models/classifier_cnn.ts'
import { evaluateGenerativeRun, FID_NAME, generateSamples, latentMeans, writeLatentMaps } from '../../src/eval/index.ts'
import { silenced } from '../helpers/quiet.ts'

const root = mkdtempSync(join(tmpdir(), 'genkata-eval-'))
test.after(() => rmSync(root, { recursive: true, force: true }))
const quiet = () => {}

const vae = (model: VaeRunConfig['model'], dir: string) =>
  silenced(() =>
    trainVae({ model, dataset: 'fashion-mnist', sample: true, limit: 128, latent: 3, hidden: 16, beta: 1, epochs: 1, batch: 64, optimizer: 'adam', lr: 1e-3, seed: 2 }, dir, { log: quiet }),
  )
const classifierDir = join(root, 'classifier')
trainClassifierCnn(
  { dataset: 'fashion-mnist', sample: true, limit: 128, epochs: 1, batch: 64, lr: 2e-3, lrDecay: 1, hidden: 12, dropout: 0, seed: 1, channels: [4, 8] },
  classifierDir,
  { log: quiet, progress: false },
)
const small = { samples: 40, mapPoints: 30, tsneIterations: 60, perplexity: 5, testLimit: 50, log: quiet }

test('a CVAE run: FID and floor, per-class accuracy of its samples, latent maps and eval.json in the run folder', () => {
  const dir = join(root, 'cvae')
  vae('cvae', dir)
  const report = evaluateGenerativeRun(dir, classifierDir, { ...small, extra: { elbo: 123 } })
  assert.is(report.fid.name, FID_NAME)
  assert.is(report.fid.samples, 40)
  assert.is(report.fid.testImages, 50)
  assert.ok(Number.isFinite(report.fid.value) && report.fid.value > 0, `FID ${report.fid.value}`)
  assert.equal(report.floor.halves, [25, 25])
  assert.ok(Number.isFinite(report.floor.value))
  // 40 samples over 10 classes: 4 of each intended class
  assert.equal(report.classAccuracy!.perClass.map((c) => c.count), new Array(10).fill(4))
  assert.is(report.realClassAccuracy!.perClass.reduce((s, c) => s + c.count, 0), 50)
  // The label-use probes on the 40 first test images (as many as the samples), in eval.json too.
  const use = report.labelUse!
  assert.is(use.images, 40)
  for (const v of [use.prototype, use.reconstruction, use.swapFollowsLabel, use.swapFollowsImage]) assert.ok(v >= 0 && v <= 1, JSON.stringify(use))
  assert.ok(use.swapFollowsLabel + use.swapFollowsImage <= 1)
  assert.is(report.maps.points, 30)
  assert.is(report.maps.perplexity, 5)
  for (const png of ['latent_pca.png', 'latent_tsne.png']) assert.ok(readPng(join(dir, png)).width >= 600, png)
  const saved = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8'))
  assert.is(saved.fid.value, report.fid.value)
  assert.is(saved.fid.name, 'FID (genkata classifier features, not Inception)')
  assert.is(saved.elbo, 123, 'extra figures are kept')
  assert.is(saved.classifier.dataset, 'fashion-mnist')
  assert.equal(saved.labelUse, use)
  // the same seed gives the same numbers
  const again = evaluateGenerativeRun(dir, loadClassifierRun(classifierDir), small)
  assert.is(again.fid.value, report.fid.value)
})

test('an unconditional VAE: no per-class accuracy; the perplexity shrinks to fit a small map', () => {
  const dir = join(root, 'vae')
  vae('vae', dir)
  const report = evaluateGenerativeRun(dir, classifierDir, { ...small, mapPoints: 12, perplexity: 30 })
  assert.is(report.classAccuracy, undefined)
  assert.is(report.labelUse, undefined)
  assert.is(report.maps.perplexity, 3)
  assert.ok(existsSync(join(dir, 'latent_tsne.png')))
})

test('generated samples cycle through the classes; latent means come from the encoder', () => {
  const dir = join(root, 'cvae')
  const { model } = openRun(dir)
  const samples = generateSamples(model, 12, new Rng(1))
  assert.equal(Array.from(samples.labels!), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
  assert.equal(samples.images(0, 5).shape, [5, 1, 28, 28])
  const mu = latentMeans(model, loadSample({ split: 'test' }), Int32Array.from([3, 1, 4]), 2)
  assert.is(mu.length, 9)
})

test('a 1-D latent still gets a PCA map (along one axis)', () => {
  const dir = mkdtempSync(join(root, 'one-'))
  const rng = new Rng(3)
  const latents = Float32Array.from({ length: 20 }, () => rng.normal())
  const maps = writeLatentMaps(dir, latents, Int32Array.from({ length: 20 }, (_, i) => i % 2), 1, ['a', 'b'], { iterations: 20 })
  assert.is(maps.pcaVarianceRatio.length, 1)
  assert.ok(existsSync(join(dir, maps.pca)) && existsSync(join(dir, maps.tsne)))
})

test('a classifier for another data set, or bad sizes, are refused with the reason', () => {
  const dir = join(root, 'cvae')
  const other = { ...loadClassifierRun(classifierDir), dataset: 'mnist' as const }
  assert.throws(() => evaluateGenerativeRun(dir, other, small), /trained on mnist, but .* models fashion-mnist: train one on fashion-mnist \(genkata train classifier-cnn --dataset fashion\)/)
  const smaller = { ...loadClassifierRun(classifierDir), model: new ClassifierCnn({ classes: 10, imageShape: [1, 14, 14], channels: [2, 2], hidden: 4, rng: new Rng(0) }) }
  assert.throws(() => evaluateGenerativeRun(dir, smaller, small), /takes 14x14 images, the test set has 28x28/)
  assert.throws(() => evaluateGenerativeRun(dir, classifierDir, { ...small, samples: 1 }), /samples must be an integer of at least 2, got 1/)
  assert.throws(() => evaluateGenerativeRun(dir, classifierDir, { ...small, testLimit: 2 }), /testLimit must be an integer of at least 4, got 2/)
})

test.run()
