// The epoch runner on a toy trainer (a Linear layer fitting y = 2x): its per-step hook, divergence
// caught after the optimizer step that made it (naming the epoch, the step and the parameter by its
// module path), the last good checkpoint left untouched, and resuming bit for bit.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fromArray, Rng } from '../../src/index.ts'
import { Linear } from '../../src/nn/linear.ts'
import { SGD } from '../../src/nn/optim/index.ts'
import { readCheckpoint } from '../../src/nn/checkpoint.ts'
import { runEpochs, type EpochTrainer, type RunOptions, type StepEvent } from '../../src/train/epoch_runner.ts'
import { CHECKPOINT_FILE, LOCK_FILE, TrainingDiverged } from '../../src/train/run_folder.ts'
import { firstNonFinite } from '../../src/train/divergence.ts'
import { tempDirs } from '../helpers/temp_dirs.ts'

const tempDir = tempDirs(test, 'genkata-runner-')
const silent = { write: () => true }
const caught = (fn: () => unknown): Error | null => {
  try {
    fn()
    return null
  } catch (e) {
    return e as Error
  }
}

interface Row {
  epoch: number
  loss: number
}

/** y = 2x on 8 points, batches of 4; `poison(epoch, step)` true: the step's gradient of the bias becomes Infinity. */
function toy(epochs: number, poison: (epoch: number, step: number) => boolean = () => false): EpochTrainer<Row> & { layer: Linear } {
  const layer = new Linear({ inFeatures: 1, outFeatures: 1, rng: new Rng(1) })
  const optimizer = new SGD(layer.parameters(), { lr: 0.05, momentum: 0.9 })
  const xs = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75]
  let epoch = 0
  let step = 0
  return {
    layer,
    settings: { model: 'toy', epochs, seed: 1, batch: 4 },
    config: { model: 'toy', epochs, seed: 1, batch: 4 },
    count: xs.length,
    module: layer,
    rng: new Rng(2),
    intro: 'toy',
    hint: 'Try a smaller --lr.',
    lr: () => optimizer.options.lr,
    beginEpoch(e) {
      epoch = e
      step = 0
    },
    step(indices) {
      step++
      const x = fromArray(Array.from(indices, (i) => xs[i]!), [indices.length, 1])
      const y = fromArray(Array.from(indices, (i) => 2 * xs[i]!), [indices.length, 1])
      const loss = layer.forward(x).sub(y).square().mean()
      optimizer.zeroGrad()
      loss.backward()
      if (poison(epoch, step)) layer.bias!.grad!.data[0] = Infinity
      optimizer.step()
      return { loss: loss.item() }
    },
    divergence: (v) => (Number.isFinite(v.loss!) ? null : `the loss is ${v.loss}`),
    endEpoch: (e, means) => ({ epoch: e, loss: means.loss! }),
    describe: (r) => `epoch ${r.epoch}: ${r.loss}`,
    report() {},
    saveState: () => ({ optimizer: optimizer.stateDict() }),
    restoreState: (extra) => optimizer.loadStateDict(extra.optimizer as never),
  }
}

const run = (trainer: EpochTrainer<Row>, dir: string, options: RunOptions = {}) => runEpochs(trainer, dir, { log: () => {}, progressStream: silent, ...options })

test('onStep hears every step: epoch, step, steps, globalStep (continuing across a resume), values and lr', () => {
  const dir = tempDir()
  const events: StepEvent[] = []
  run(toy(1), dir, { onStep: (e) => events.push(e) })
  run(toy(2), dir, { resume: true, onStep: (e) => events.push(e) })
  assert.equal(events.map((e) => [e.epoch, e.step, e.steps, e.globalStep, e.batch, e.lr]), [
    [1, 1, 2, 1, 4, 0.05], [1, 2, 2, 2, 4, 0.05], [2, 1, 2, 3, 4, 0.05], [2, 2, 2, 4, 4, 0.05],
  ])
  assert.equal(Object.keys(events[0]!.values), ['loss'])
  assert.ok(events.every((e) => Number.isFinite(e.values.loss)))
})

test('the running page follows the steps within an epoch, and says done at the end', () => {
  const dir = tempDir()
  const seen: string[] = []
  const status = () => JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as { state: string; epoch: number; step?: number; globalStep: number }
  // Every step's event reads the page the step before it left.
  run(toy(2), dir, { pageEveryMs: 0, onStep: () => seen.push(JSON.stringify(status())) })
  const rows = seen.map((s) => JSON.parse(s) as ReturnType<typeof status>).map((s) => [s.state, s.epoch, s.step, s.globalStep])
  assert.equal(rows, [['running', 1, 0, 0], ['running', 1, 1, 1], ['running', 1, 2, 2], ['running', 2, 1, 3]])
  assert.equal([status().state, status().globalStep], ['done', 4])
  // At the default interval a 4-step run writes no page between its epochs' ends.
  const quiet = tempDir()
  const pages: number[] = []
  run(toy(2), quiet, { onStep: () => pages.push(JSON.parse(readFileSync(join(quiet, 'status.json'), 'utf8')).globalStep) })
  assert.equal(pages, [0, 0, 2, 2])
})

test('a parameter made non-finite by the optimizer step stops the run at that step, naming it and its gradient; the last good checkpoint stays', () => {
  const dir = tempDir()
  run(toy(1), dir)
  const file = join(dir, CHECKPOINT_FILE)
  const before = readFileSync(file)
  const trainer = toy(3, (epoch, step) => epoch === 2 && step === 2)
  const error = caught(() => run(trainer, dir, { resume: true }))
  assert.instance(error, TrainingDiverged)
  assert.equal([(error as TrainingDiverged).epoch, (error as TrainingDiverged).step], [2, 2])
  assert.match(error!.message, /^training stopped: parameter bias holds -?Infinity at index 0 after the optimizer's step \(its gradient holds Infinity at index 0\) at epoch 2, step 2 of 2; the last good checkpoint, from epoch 1, is /)
  assert.ok(readFileSync(file).equals(before), 'the checkpoint is the one epoch 1 left')
  assert.not.ok(existsSync(join(dir, LOCK_FILE)), 'the lock is released on error')
})

test('checkEvery N skips the scan between checks but never before a save', () => {
  // Poisoned at step 1 of 2 with checkEvery 5: no scan at step 1, so the loss of step 2 is what stops it.
  const skipped = caught(() => run(toy(1, (_, step) => step === 1), tempDir(), { checkEvery: 5 }))
  assert.match(skipped!.message, /^training stopped: the loss is \S+ at epoch 1, step 2 of 2/)
  // Poisoned at the epoch's last step: the scan before the save catches it, and nothing is saved.
  const dir = tempDir()
  const error = caught(() => run(toy(1, (_, step) => step === 2), dir, { checkEvery: 5 }))
  assert.instance(error, TrainingDiverged)
  assert.match(error!.message, /^training stopped: parameter bias holds \S+ at index 0 .* at epoch 1, step 2 of 2; no checkpoint was written/)
  assert.not.ok(existsSync(join(dir, CHECKPOINT_FILE)))
  assert.throws(() => run(toy(1), tempDir(), { checkEvery: 0 }), /checkEvery must be a positive integer, got 0/)
})

test('resuming gives the same weights as never stopping', () => {
  const straight = tempDir()
  run(toy(3), straight)
  const resumed = tempDir()
  run(toy(1), resumed)
  run(toy(3), resumed, { resume: true })
  const a = readCheckpoint(join(straight, CHECKPOINT_FILE)).tensors
  const b = readCheckpoint(join(resumed, CHECKPOINT_FILE)).tensors
  for (const name of ['weight', 'bias']) assert.equal(Array.from(b[name]!.data), Array.from(a[name]!.data), name)
})

test('firstNonFinite names the first parameter in module order holding NaN or an infinity', () => {
  const layer = new Linear({ inFeatures: 2, outFeatures: 2, rng: new Rng(1) })
  assert.is(firstNonFinite(layer.namedParameters()), null)
  layer.bias!.data[1] = NaN
  layer.weight.data[3] = -Infinity
  const bad = firstNonFinite(layer.namedParameters())!
  assert.equal([bad.name, bad.index, bad.value, bad.grad], ['weight', 3, -Infinity, null])
})

test.run()
