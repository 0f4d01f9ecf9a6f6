// What the epoch runner keeps for a person watching a real run (run_watch.ts): the per-step log
// every --log-every steps, snapshots every --snapshot-every steps that leave training as it was,
// per-step curves on the page, the page's state (running, done, stopped and why), and a resumed
// run's log continuing without a duplicate step.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readPng } from '../../src/report/png.ts'
import { defaultGanRunConfig, trainGan, type GanRunConfig } from '../../src/train/gan_trainer.ts'
import { trainVae, type VaeRunConfig } from '../../src/train/vae_trainer.ts'
import { trainClassifierCnn } from '../../src/train/classifier_cnn_trainer.ts'
import { trainClassifier } from '../../src/train/classifier_trainer.ts'
import { caught, silenced } from '../helpers/quiet.ts'
import { tempDirs } from '../helpers/temp_dirs.ts'

const tempDir = tempDirs(test, 'genkata-watch-')
const quiet = () => {}
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'))

// 64 sample images in batches of 4: 16 steps in one epoch, tiny players.
const dcgan = (change: Partial<GanRunConfig> = {}): GanRunConfig => ({
  ...defaultGanRunConfig('dcgan'), sample: true, limit: 64, batch: 4, epochs: 1, width: 2, noise: 8, seed: 3, ...change,
})
const vae: VaeRunConfig = {
  model: 'vae', dataset: 'fashion-mnist', sample: true, limit: 64, latent: 2, hidden: 8, beta: 1, epochs: 1, batch: 32, optimizer: 'adam', lr: 1e-3, seed: 7,
}

test('a tiny DCGAN run with logEvery 5 and snapshotEvery 8: step log, per-step curves and snapshots on a page that says done', () => {
  const dir = tempDir()
  silenced(() => trainGan(dcgan({ logEvery: 5, snapshotEvery: 8 }), dir, { log: quiet }))
  const rows = json(join(dir, 'metrics-steps.json')) as Record<string, number>[]
  assert.equal(rows.map((r) => r.global_step), [1, 5, 10, 15], 'the first step and every fifth')
  const columns = ['epoch', 'step', 'global_step', 'lr', 'd_loss', 'g_loss', 'd_real', 'd_fake_before', 'd_fake_after']
  assert.equal(readFileSync(join(dir, 'metrics-steps.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').length), [9, 9, 9, 9, 9])
  assert.equal(readFileSync(join(dir, 'metrics-steps.csv'), 'utf8').split('\n')[0]!.split(',').sort(), [...columns].sort())
  for (const r of rows) for (const c of columns) assert.ok(Number.isFinite(r[c]), `${c} at step ${r.global_step}`)
  assert.is(rows[0]!.lr, 2e-4)

  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  for (const png of ['losses-steps.png', 'outputs-steps.png', 'samples.png', 'losses.png']) {
    assert.ok(readPng(join(dir, png)).width > 50, png)
    assert.ok(html.includes(`src="${png}?v=16"`), `index.html shows ${png}`)
  }
  assert.equal(readdirSync(join(dir, 'snapshots')), ['step-0000000.png', 'step-0000008.png', 'step-0000016.png'])
  for (const s of [0, 8, 16]) assert.ok(html.includes(`src="snapshots/step-${String(s).padStart(7, '0')}.png?v=16"`), `the strip shows step ${s}`)
  const first = readPng(join(dir, 'snapshots/step-0000000.png'))
  const last = readPng(join(dir, 'snapshots/step-0000016.png'))
  assert.is(first.width, last.width)
  assert.ok(first.data.some((v, i) => v !== last.data[i]), 'the generator changed between step 0 and step 16')
  assert.match(html, /Done: 1 epoch, 16 steps\./)
  assert.not.match(html, /http-equiv="refresh"/, 'a done page stops reloading')
  assert.not.match(html, /undefined|null/)
  assert.ok(html.includes('href="metrics-steps.csv"'))
  assert.is(json(join(dir, 'status.json')).state, 'done')

  // Snapshots draw from a generator of their own in eval mode: the same run without them trains identically.
  const plain = tempDir()
  silenced(() => trainGan(dcgan({ logEvery: 5 }), plain, { log: quiet }))
  assert.equal(json(join(plain, 'metrics-steps.json')), rows, 'the same steps, bit for bit, with or without snapshots')
  assert.not.ok(existsSync(join(plain, 'snapshots')))
  assert.not.match(readFileSync(join(plain, 'index.html'), 'utf8'), /Samples over training steps/)
})

test('the page says running from the start and after each epoch but the last', () => {
  const dir = tempDir()
  const states: string[] = []
  silenced(() => trainVae({ ...vae, epochs: 2 }, dir, {
    log: quiet,
    onStep: (e) => {
      if (e.step === 1) states.push(`${e.epoch}:${json(join(dir, 'status.json')).state}:${json(join(dir, 'status.json')).globalStep}`)
    },
  }))
  assert.equal(states, ['1:running:0', '2:running:2'])
  assert.match(readFileSync(join(dir, 'index.html'), 'utf8'), /Done: 2 epochs, 4 steps\./)
})

test('a run that diverges leaves a page that says stopped, where and why, with the diverging step logged', () => {
  const dir = tempDir()
  const error = caught(() => trainVae({ ...vae, lr: 1e39, logEvery: 1 }, dir, { log: quiet }))
  assert.match(error?.message ?? '', /^training stopped/)
  const status = json(join(dir, 'status.json'))
  assert.is(status.state, 'stopped')
  assert.is(status.globalStep, 1)
  assert.match(status.message, /^training stopped: parameter \S+ holds (NaN|-?Infinity) .*at epoch 1, step 1 of 2; no checkpoint was written .*Try a smaller --lr$/)
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  assert.match(html, /Stopped in epoch 1 of 1, step 1 of 2 \(step 1 overall\): training stopped: parameter \S+ holds/)
  assert.not.match(html, /http-equiv="refresh"/)
  assert.equal((json(join(dir, 'metrics-steps.json')) as { global_step: number }[]).map((r) => r.global_step), [1])
})

test('resume continues the step log from the checkpoint: rows and snapshots past it are dropped, no step twice', () => {
  const dir = tempDir()
  silenced(() => trainVae({ ...vae, logEvery: 1, snapshotEvery: 1 }, dir, { log: quiet }))
  // What a run killed during epoch 2 leaves: rows and a snapshot past the checkpoint (step 2).
  const rows = json(join(dir, 'metrics-steps.json')) as Record<string, number>[]
  assert.equal(rows.map((r) => r.global_step), [1, 2])
  writeFileSync(join(dir, 'metrics-steps.json'), JSON.stringify([...rows, { ...rows[1]!, step: 1, epoch: 2, global_step: 3, loss: -1 }]))
  const stale = join(dir, 'snapshots/step-0000003.png')
  writeFileSync(stale, readFileSync(join(dir, 'snapshots/step-0000002.png')))
  silenced(() => trainVae({ ...vae, epochs: 2, logEvery: 1, snapshotEvery: 1 }, dir, { resume: true, log: quiet }))
  const resumed = json(join(dir, 'metrics-steps.json')) as Record<string, number>[]
  assert.equal(resumed.map((r) => r.global_step), [1, 2, 3, 4])
  assert.equal(resumed.slice(0, 2), rows, 'the rows before the checkpoint kept as they were')
  assert.ok(resumed[2]!.loss! > 0, "the killed run's row 3 replaced by the resumed run's")
  assert.equal(readdirSync(join(dir, 'snapshots')), ['step-0000000.png', 'step-0000001.png', 'step-0000002.png', 'step-0000003.png', 'step-0000004.png'])

  // The same as a run that never stopped.
  const straight = tempDir()
  silenced(() => trainVae({ ...vae, epochs: 2, logEvery: 1, snapshotEvery: 1 }, straight, { log: quiet }))
  assert.equal(json(join(straight, 'metrics-steps.json')), resumed)
  for (const s of readdirSync(join(dir, 'snapshots'))) assert.equal(readPng(join(dir, 'snapshots', s)).data, readPng(join(straight, 'snapshots', s)).data, s)
})

test('a run replacing an earlier one removes its step log and snapshots; the default logEvery is shown', () => {
  const dir = tempDir()
  caught(() => trainVae({ ...vae, lr: 1e39, logEvery: 1, snapshotEvery: 1 }, dir, { log: quiet }))
  assert.ok(existsSync(join(dir, 'snapshots/step-0000000.png')))
  silenced(() => trainVae(vae, dir, { log: quiet, replace: true }))
  assert.not.ok(existsSync(join(dir, 'snapshots')), 'no snapshot: the earlier attempt\'s removed, none asked for')
  assert.equal((json(join(dir, 'metrics-steps.json')) as { global_step: number }[]).map((r) => r.global_step), [1, 2], 'defaultLogEvery(2) is 1')
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  assert.match(html, /<th>logEvery<\/th><td><code>1<\/code>/)
  assert.match(html, /<th>snapshotEvery<\/th><td><code>off<\/code>/)
})

test('--log-every and --snapshot-every are checked, and a classifier has no snapshot to take', () => {
  for (const [change, message] of [
    [{ logEvery: 0 }, /--log-every must be a positive integer \(steps between logged rows\), got 0/],
    [{ logEvery: 2.5 }, /--log-every must be a positive integer .*got 2\.5/],
    [{ snapshotEvery: -1 }, /--snapshot-every must be a positive integer .*got -1/],
    [{ snapshotEvery: 1.5 }, /--snapshot-every must be a positive integer .*got 1\.5/],
  ] as const) {
    assert.throws(() => trainVae({ ...vae, ...change }, tempDir(), { log: quiet }), message)
    assert.throws(() => trainGan(dcgan(change), tempDir(), { log: quiet }), message)
  }
  const classifier = { dataset: 'fashion-mnist' as const, sample: true, limit: 40, epochs: 1, batch: 20, lr: 1e-3, lrDecay: 1, hidden: 8, dropout: 0, channels: [2, 2] as [number, number], seed: 1 }
  assert.throws(() => trainClassifierCnn({ ...classifier, logEvery: 0 }, tempDir(), { log: quiet }), /--log-every must be a positive integer/)
  assert.throws(() => trainClassifier({ epochs: 1, batchSize: 64, lr: 1e-3, hidden: 8, seed: 1, out: tempDir(), full: false, logEvery: -2 }, { log: quiet }), /--log-every must be a positive integer .*got -2/)
  const error = caught(() => trainClassifierCnn(classifier, tempDir(), { log: quiet, snapshotEvery: 5 }))
  assert.match(error?.message ?? '', /--snapshot-every 5: this trainer draws no samples to snapshot; leave it off/)
})

test.run()
