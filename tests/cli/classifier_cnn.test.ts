// genkata train classifier-cnn, as main.ts calls it: flags to a run folder, and its refusals.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { classifierCnnUsage, trainClassifierCnnCommand } from '../../src/cli/commands/classifier_cnn.ts'
import { evaluate } from '../../src/cli/commands/eval.ts'
import { trainVae } from '../../src/train/vae_trainer.ts'
import { defaultGanRunConfig, trainGan } from '../../src/train/gan_trainer.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-cli-cnn-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

// The command logs to stdout and draws progress on stderr; keep the test output readable.
function quietly<T>(fn: () => T): T {
  const [log, write] = [console.log, process.stderr.write]
  console.log = () => {}
  process.stderr.write = (() => true) as typeof process.stderr.write
  try {
    return fn()
  } finally {
    console.log = log
    process.stderr.write = write
  }
}

test('the flags reach the run: a quick run on the sample, written where --out says', () => {
  const out = join(dir, 'run')
  const result = quietly(() =>
    trainClassifierCnnCommand(['--sample', '--limit', '96', '--epochs', '1', '--batch', '48', '--lr', '0.002', '--lr-decay', '0.5', '--hidden', '16', '--dropout', '0', '--seed', '7', '--backend', 'reference', '--out', out]),
  )
  assert.is(result, out)
  const settings = JSON.parse(readFileSync(join(out, 'settings.json'), 'utf8'))
  for (const [key, value] of Object.entries({ dataset: 'fashion-mnist', sample: true, limit: 96, epochs: 1, batch: 48, lr: 0.002, lrDecay: 0.5, hidden: 16, dropout: 0, seed: 7, backend: 'reference' })) {
    assert.equal(settings[key], value, key)
  }
  assert.ok(existsSync(join(out, 'checkpoint.gkt')))
  assert.throws(() => trainClassifierCnnCommand(['--sample', '--out', out]), /already holds a trained classifier: choose another --out/)
})

test('genkata eval --classifier judges a VAE run with it: FID, its floor and latent maps, in eval.json and index.html', () => {
  const classifier = join(dir, 'run')
  const vae = join(dir, 'cvae')
  quietly(() => trainVae({ model: 'cvae', dataset: 'fashion-mnist', sample: true, limit: 64, latent: 2, hidden: 8, beta: 1, epochs: 1, batch: 64, optimizer: 'adam', lr: 1e-3, seed: 1 }, vae, { log: () => {} }))
  quietly(() => evaluate([vae, '--classifier', classifier, '--samples', '40', '--map-points', '30', '--backend', 'reference']))
  const report = JSON.parse(readFileSync(join(vae, 'eval.json'), 'utf8'))
  assert.match(report.fid.name, /not Inception/)
  assert.ok(report.fid.value > report.floor.value, 'a barely trained model is further from the test set than the test set from itself')
  assert.is(report.classAccuracy.perClass.length, 10)
  assert.ok(Number.isFinite(report.elbo.loss), 'the ELBO figures are kept beside the classifier ones')
  const html = readFileSync(join(vae, 'index.html'), 'utf8')
  for (const file of ['latent_pca.png', 'latent_tsne.png', 'eval.json']) assert.ok(html.includes(file), file)
})

test('genkata eval of a GAN run needs the classifier, and gives FID and, for the ACGAN, per-class accuracy', () => {
  const classifier = join(dir, 'run')
  const gan = join(dir, 'acgan')
  quietly(() => trainGan({ ...defaultGanRunConfig('acgan'), sample: true, limit: 64, epochs: 1, batch: 32, noise: 8, width: 4 }, gan, { log: () => {} }))
  assert.throws(() => evaluate([gan]), /is a GAN run: it has no likelihood to report; judge it with --classifier DIR/)
  quietly(() => evaluate([gan, '--classifier', classifier, '--samples', '30', '--backend', 'reference']))
  const report = JSON.parse(readFileSync(join(gan, 'eval.json'), 'utf8'))
  assert.is(report.model, 'acgan')
  assert.ok(report.fid.value > report.floor.value)
  assert.is(report.classAccuracy.perClass.reduce((n: number, c: { count: number }) => n + c.count, 0), 30)
  assert.is(report.maps, undefined)
})

test('bad flags are errors that name them; the usage lists the options', () => {
  assert.throws(() => trainClassifierCnnCommand(['--dataset', 'cifar']), /unknown dataset 'cifar': choose fashion or mnist/)
  assert.throws(() => trainClassifierCnnCommand(['--epoch', '2']), /unknown option --epoch/)
  assert.throws(() => trainClassifierCnnCommand(['--sample', '--epochs', '0', '--out', join(dir, 'zero')]), /--epochs must be a positive integer, got 0/)
  for (const flag of ['--dataset fashion|mnist', '--epochs', '--lr-decay', '--hidden', '--out DIR']) assert.ok(classifierCnnUsage.includes(flag), flag)
})

test.run()
