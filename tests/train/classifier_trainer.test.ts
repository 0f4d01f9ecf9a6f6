// The classifier's training loop, end to end on the embedded sample: it must learn, and leave its metrics.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { trainClassifier } from '../../src/train/classifier_trainer.ts'
import { silenced } from '../helpers/quiet.ts'

test('one epoch on the sample beats chance by far and writes its run folder', () => {
  const out = mkdtempSync(join(tmpdir(), 'genkata-start-'))
  const log = console.log
  console.log = () => {}
  try {
    const result = silenced(() => trainClassifier({ epochs: 1, batchSize: 64, lr: 2e-3, hidden: 32, seed: 3, out, full: false }))
    // Ten classes: chance is 10%; one epoch of an MLP on 3000 images gets well past 60%.
    assert.ok(result.testAccuracy > 0.6, `test accuracy ${result.testAccuracy}`)
    // The epoch runner's folder: settings naming the kind, per-epoch metrics, a checkpoint.
    assert.is(JSON.parse(readFileSync(join(out, 'settings.json'), 'utf8')).kind, 'mlp-classifier')
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'))
    assert.is(metrics.length, 1)
    assert.is(metrics[0].test_accuracy, result.testAccuracy)
    assert.ok(metrics[0].train_loss < Math.log(10), 'the training loss fell below chance level')
    assert.ok(existsSync(join(out, 'checkpoint.gkt')))
    // What the runner gives every run: the step log (47 steps: about 300 rows asked, so every step), its loss curve, a done page.
    const steps = JSON.parse(readFileSync(join(out, 'metrics-steps.json'), 'utf8')) as { global_step: number; loss: number }[]
    assert.equal(steps.map((r) => r.global_step), Array.from({ length: 47 }, (_, i) => i + 1))
    const html = readFileSync(join(out, 'index.html'), 'utf8')
    assert.ok(html.includes('src="loss-steps.png?v=47"'), 'the per-step loss curve')
    assert.not.ok(existsSync(join(out, 'accuracy-steps.png')), 'no accuracy curve: the MLP logs only its loss')
    assert.match(html, /Done: 1 epoch, 47 steps\./)
    // Each run replaces the last (runs/classifier by default).
    const again = silenced(() => trainClassifier({ epochs: 1, batchSize: 64, lr: 2e-3, hidden: 16, seed: 4, out, full: false }))
    assert.is(JSON.parse(readFileSync(join(out, 'settings.json'), 'utf8')).hidden, 16)
    assert.is(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'))[0].test_accuracy, again.testAccuracy)
  } finally {
    console.log = log
    rmSync(out, { recursive: true, force: true })
  }
})

test.run()
