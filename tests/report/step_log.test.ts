// The step log: which steps it keeps, what a row holds, when it writes (a killed run keeps what it
// logged up to the last write), resuming, and bad input named clearly.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readMetricsCsv, readMetricsJson } from '../../src/report/metrics.ts'
import { defaultLogEvery, StepLog, stepLogged, type StepEvent } from '../../src/report/step_log.ts'

const root = mkdtempSync(join(tmpdir(), 'genkata-steplog-'))
test.after(() => rmSync(root, { recursive: true, force: true }))
let runs = 0
const newDir = () => join(root, `run${runs++}`)

const event = (globalStep: number, stepsPerEpoch = 10, values: Record<string, number> = { d_loss: 1 / (globalStep + 1), g_loss: 2 }): StepEvent => ({
  epoch: Math.floor((globalStep - 1) / stepsPerEpoch) + 1,
  step: ((globalStep - 1) % stepsPerEpoch) + 1,
  globalStep,
  values,
  lr: 0.0002,
})

test('the default --log-every gives a run about 300 rows, and every step of a short run', () => {
  assert.is(defaultLogEvery(18_760), 62) // 20 epochs of Fashion-MNIST at batch 64
  assert.is(Math.floor(18_760 / defaultLogEvery(18_760)), 302)
  assert.is(defaultLogEvery(160), 1) // the embedded sample
  assert.is(defaultLogEvery(0), 1)
  assert.throws(() => defaultLogEvery(-1), /totalSteps must be an integer >= 0, got -1/)
  assert.throws(() => defaultLogEvery(10, 0), /points must be an integer >= 1, got 0/)
})

test('the first step and every multiple of every are logged', () => {
  const logged = Array.from({ length: 21 }, (_, g) => g).filter((g) => stepLogged(g, 5))
  assert.equal(logged, [0, 1, 5, 10, 15, 20])
})

test('a row holds epoch, step, global_step, lr and the values, in the CSV and the JSON alike', () => {
  const dir = newDir()
  const log = new StepLog(dir, { every: 5, now: () => 0 })
  for (let g = 1; g <= 20; g++) log.onStep(event(g))
  log.close()
  const rows = readMetricsJson(join(dir, 'metrics-steps.json'))
  assert.equal(rows.map((r) => r.global_step), [1, 5, 10, 15, 20])
  assert.equal(rows[2], { epoch: 1, step: 10, global_step: 10, lr: 0.0002, d_loss: 1 / 11, g_loss: 2 })
  assert.equal(readMetricsCsv(join(dir, 'metrics-steps.csv')), rows)
  assert.ok(readFileSync(join(dir, 'metrics-steps.csv'), 'utf8').startsWith('epoch,step,global_step,lr,d_loss,g_loss\n'))
  assert.equal(log.rows(), rows)
})

test('files are rewritten at most every flushMs, so a killed run keeps rows up to its last write', () => {
  let t = 0
  const dir = newDir()
  const log = new StepLog(dir, { every: 1, now: () => t, flushMs: 10_000 })
  const onDisk = () => (existsSync(join(dir, 'metrics-steps.json')) ? readMetricsJson(join(dir, 'metrics-steps.json')).length : 0)
  log.onStep(event(1))
  assert.is(onDisk(), 1, 'the first row is written at once')
  for (let g = 2; g <= 50; g++) {
    t += 100
    log.onStep(event(g))
  }
  assert.is(onDisk(), 1, '4.9 s later: nothing rewritten yet')
  for (let g = 51; g <= 101; g++) {
    t += 100
    log.onStep(event(g))
  }
  assert.is(onDisk(), 101, 'at 10 s: everything so far')
  log.onStep(event(102))
  assert.is(onDisk(), 101)
  // A killed run stops here: rows up to the last write are on disk, readable.
  log.flush()
  assert.is(onDisk(), 102, 'flush() at an epoch end writes the rest')
})

test('NaN is logged (a diverging loss is a result); bad events are refused by name', () => {
  const dir = newDir()
  const log = new StepLog(dir, { every: 1, now: () => 0 })
  log.onStep(event(1, 10, { loss: NaN }))
  log.close()
  assert.ok(Number.isNaN(readMetricsJson(join(dir, 'metrics-steps.json'))[0]!.loss))
  assert.throws(() => log.onStep(event(1)), /global step 1 comes after step 1; steps must increase/)
  assert.throws(() => log.onStep({ ...event(2), values: { lr: 1 } }), /a value named "lr" would overwrite the lr column/)
  assert.throws(() => log.onStep({ ...event(3), values: { loss: '1' as unknown as number } }), /value "loss" must be a number, got string/)
  assert.throws(() => log.onStep({ ...event(4), globalStep: 4.5 }), /globalStep must be an integer >= 0, got 4.5/)
  assert.throws(() => log.onStep({ ...event(5), lr: undefined as unknown as number }), /lr must be a number, got undefined/)
  assert.throws(() => new StepLog(dir, { every: 0 }), /--log-every must be a whole number of steps >= 1, got 0/)
  assert.throws(() => new StepLog(dir, { every: 1, flushMs: -1 }), /flushMs must be >= 0, got -1/)
})

test('resuming keeps the rows up to the checkpoint and drops the ones after it', () => {
  const dir = newDir()
  const first = new StepLog(dir, { every: 2, now: () => 0 })
  for (let g = 1; g <= 30; g++) first.onStep(event(g))
  first.close() // killed after step 30; the checkpoint is at the end of epoch 2, step 20
  const resumed = new StepLog(dir, { every: 2, resumeFrom: 20, now: () => 0 })
  assert.equal(resumed.rows().map((r) => r.global_step), [1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20])
  for (let g = 21; g <= 24; g++) resumed.onStep(event(g))
  resumed.close()
  assert.equal(readMetricsJson(join(dir, 'metrics-steps.json')).map((r) => r.global_step), [1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24])
  // Without resumeFrom a log starts empty; resuming with no file starts empty too.
  assert.equal(new StepLog(dir, { every: 2 }).rows(), [])
  assert.equal(new StepLog(newDir(), { every: 2, resumeFrom: 5 }).rows(), [])
})

test.run()
