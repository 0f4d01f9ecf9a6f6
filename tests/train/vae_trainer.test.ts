// Training a VAE into a run folder: what it leaves there, resuming exactly, and stopping cleanly
// when the loss stops being a number.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readPng } from '../../src/report/png.ts'
import { CheckpointError, readCheckpoint, saveCheckpoint } from '../../src/nn/checkpoint.ts'
import { CHECKPOINT_FILE, openRun, readRunConfig, trainVae, TrainingDiverged, type VaeRunConfig } from '../../src/train/vae_trainer.ts'
import { silenced } from '../helpers/quiet.ts'
import { tempDirs } from '../helpers/temp_dirs.ts'

const base: VaeRunConfig = {
  model: 'vae', dataset: 'fashion-mnist', sample: true, limit: 192,
  latent: 3, hidden: 16, beta: 1, epochs: 2, batch: 64, optimizer: 'adam', lr: 1e-3, seed: 5,
}
const quiet = () => {}
const tempDir = tempDirs(test, 'genkata-run-')


test('a run leaves settings, metrics (JSON and CSV), a checkpoint, five pictures and an index.html', () => {
  const dir = tempDir()
  const result = silenced(() => trainVae(base, dir, { log: quiet }))
  assert.is(result.history.length, 2)
  const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))
  assert.is(metrics.length, 2)
  for (const key of ['epoch', 'train_loss', 'train_reconstruction', 'train_kl', 'test_loss', 'test_reconstruction', 'test_kl', 'test_mse', 'images_per_second']) {
    assert.ok(Number.isFinite(metrics[1][key]), key)
  }
  assert.ok(metrics[1].test_loss < metrics[0].test_loss, 'the test loss fell')
  assert.ok(Math.abs(metrics[1].test_loss - (metrics[1].test_reconstruction + metrics[1].test_kl)) < 1e-3, 'loss = reconstruction + beta * KL')
  assert.match(readFileSync(join(dir, 'metrics.csv'), 'utf8').split('\n')[0]!, /^epoch,train_loss,/)
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  for (const png of ['curves.png', 'terms.png', 'samples.png', 'reconstructions.png', 'traversal.png']) {
    const image = readPng(join(dir, png))
    assert.ok(image.width > 50 && image.height > 50, png)
    assert.ok(html.includes(`src="${png}?v=`), `index.html shows ${png}`)
  }
  const saved = readRunConfig(dir) as VaeRunConfig & { backend: string; data: string }
  assert.equal(Object.fromEntries(Object.keys(base).map((k) => [k, saved[k as keyof VaeRunConfig]])), { ...base })
  assert.is(typeof saved.backend, 'string')
  const reopened = openRun(dir)
  assert.is(reopened.epoch, 2)
  assert.is(reopened.history.length, 2)
})

test('stopping after one epoch and resuming gives the same weights and figures as never stopping', () => {
  const straight = tempDir()
  silenced(() => trainVae(base, straight, { log: quiet }))
  const interrupted = tempDir()
  silenced(() => trainVae({ ...base, epochs: 1 }, interrupted, { log: quiet }))
  const lines: string[] = []
  silenced(() => trainVae(base, interrupted, { resume: true, log: (l) => lines.push(l) }))
  assert.ok(lines[0]!.startsWith(`resumed ${interrupted} after epoch 1`))
  const a = readCheckpoint(join(straight, CHECKPOINT_FILE))
  const b = readCheckpoint(join(interrupted, CHECKPOINT_FILE))
  for (const [name, tensor] of Object.entries(a.tensors)) {
    assert.equal(Array.from(b.tensors[name]!.toTypedArray()), Array.from(tensor.toTypedArray()), name)
  }
  const strip = (rows: Record<string, number>[]) => rows.map(({ images_per_second: _, ...rest }) => rest)
  assert.equal(strip(JSON.parse(readFileSync(join(interrupted, 'metrics.json'), 'utf8'))), strip(JSON.parse(readFileSync(join(straight, 'metrics.json'), 'utf8'))))
})

test('a loss that is not finite stops the run, naming the epoch and step, and keeps the last good checkpoint', () => {
  // Diverging in the first epoch: nothing good to keep.
  const dir = tempDir()
  const error = silenced(() => {
    try {
      trainVae({ ...base, optimizer: 'sgd', lr: 1e6 }, dir, { log: quiet })
      return null
    } catch (e) {
      return e as Error
    }
  })
  assert.instance(error, TrainingDiverged)
  assert.match(error!.message, /training stopped: the loss is (NaN|Infinity) .* at epoch 1, step \d+ of 3; no checkpoint was written/)
  assert.not.ok(existsSync(join(dir, CHECKPOINT_FILE)))

  // NaN weights cannot be saved as a checkpoint (issue 12); a damaged checkpoint is refused on
  // resume, naming the file, and is not overwritten.
  const good = tempDir()
  silenced(() => trainVae({ ...base, epochs: 1 }, good, { log: quiet }))
  const file = join(good, CHECKPOINT_FILE)
  const checkpoint = readCheckpoint(file)
  checkpoint.tensors['toMu.bias']!.data.fill(NaN)
  assert.throws(() => saveCheckpoint(file, checkpoint.tensors, checkpoint.extra as never), /tensor 'toMu.bias' holds NaN/)
  const damaged = readFileSync(file)
  damaged[damaged.length - 1] ^= 0xff
  writeFileSync(file, damaged)
  const before = readFileSync(file)
  const second = silenced(() => {
    try {
      trainVae(base, good, { resume: true, log: quiet })
      return null
    } catch (e) {
      return e as Error
    }
  })
  assert.instance(second, CheckpointError)
  assert.match(second!.message, new RegExp(`checkpoint ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: checksum mismatch`))
  assert.ok(readFileSync(file).equals(before))
})

test('bad settings are refused by name before anything is trained', () => {
  const dir = tempDir()
  for (const [change, pattern] of [
    [{ model: 'gan' }, /unknown model 'gan': choose one of vae, conv-vae, cvae, conv-cvae/],
    [{ optimizer: 'lbfgs' }, /unknown optimizer 'lbfgs'/],
    [{ latent: 0 }, /--latent must be a positive integer, got 0/],
    [{ batch: 1.5 }, /--batch must be a positive integer/],
    [{ beta: -1 }, /--beta must be a finite number >= 0/],
    [{ lr: 0 }, /--lr must be a positive number/],
    [{ limit: -3 }, /--limit must be a positive integer/],
    [{ dataset: 'mnist', sample: true }, /the embedded sample is Fashion-MNIST/],
  ] as const) {
    assert.throws(() => trainVae({ ...base, ...change } as VaeRunConfig, dir, { log: quiet }), pattern)
  }
  assert.throws(() => trainVae(base, tempDir(), { resume: true, log: quiet }), /cannot resume: .*checkpoint\.gkt does not exist/)
  assert.throws(() => readRunConfig(tempDir()), /is not a genkata run folder: settings\.json is missing/)
})

test.run()
