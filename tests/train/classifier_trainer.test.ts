// The classifier's training loop, end to end on the embedded sample: it must learn, and leave its metrics.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { trainClassifier } from '../../src/train/classifier_trainer.ts'

test('one epoch on the sample beats chance by far and writes metrics.json', () => {
  const out = mkdtempSync(join(tmpdir(), 'genkata-start-'))
  const log = console.log
  console.log = () => {}
  try {
    const result = trainClassifier({ epochs: 1, batchSize: 64, lr: 2e-3, hidden: 32, seed: 3, out, full: false })
    // Ten classes: chance is 10%; one epoch of an MLP on 3000 images gets well past 60%.
    assert.ok(result.testAccuracy > 0.6, `test accuracy ${result.testAccuracy}`)
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'))
    assert.is(metrics.model, 'mlp-classifier')
    assert.is(metrics.history.length, 1)
    assert.is(metrics.history[0].testAccuracy, result.testAccuracy)
    assert.ok(metrics.history[0].trainLoss < Math.log(10), 'the training loss fell below chance level')
  } finally {
    console.log = log
    rmSync(out, { recursive: true, force: true })
  }
})

test.run()
