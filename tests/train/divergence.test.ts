// Divergence caught where it happens, in the real trainers: a learning rate that blows the weights
// up stops the run at the optimizer step that did it, naming the epoch, the step and the first
// non-finite parameter by its module path (before: the run went on until a later loss was NaN).
// And every trainer feeds the runner's per-step hook with its step's figures.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { trainVae, TrainingDiverged, type VaeRunConfig } from '../../src/train/vae_trainer.ts'
import { defaultGanRunConfig, trainGan, type GanRunConfig } from '../../src/train/gan_trainer.ts'
import { trainClassifierCnn } from '../../src/train/classifier_cnn_trainer.ts'
import type { StepEvent } from '../../src/train/epoch_runner.ts'
import { caught, silenced } from '../helpers/quiet.ts'
import { tempDirs } from '../helpers/temp_dirs.ts'

const tempDir = tempDirs(test, 'genkata-diverge-')
const quiet = () => {}
const vae: VaeRunConfig = {
  model: 'vae', dataset: 'fashion-mnist', sample: true, limit: 64, latent: 2, hidden: 8, beta: 1, epochs: 1, batch: 32, optimizer: 'adam', lr: 1e-3, seed: 7,
}
const gan = (change: Partial<GanRunConfig> = {}): GanRunConfig => ({ ...defaultGanRunConfig('gan'), sample: true, limit: 64, batch: 32, epochs: 1, width: 4, noise: 4, seed: 3, ...change })

test("Adam with a learning rate of 1e39 makes the weights infinite in its first step: the run stops there, naming the VAE's parameter", () => {
  const dir = tempDir()
  const error = caught(() => trainVae({ ...vae, lr: 1e39 }, dir, { log: quiet }))
  assert.instance(error, TrainingDiverged)
  assert.equal([(error as TrainingDiverged).epoch, (error as TrainingDiverged).step], [1, 1])
  assert.match(error!.message, /^training stopped: parameter encoderHidden\.weight holds -?Infinity at index \d+ after the optimizer's step \(its gradient is finite\) at epoch 1, step 1 of 2; no checkpoint was written/)
  assert.not.ok(existsSync(join(dir, 'checkpoint.gkt')))
})

test("the same in a GAN: its losses at step 1, and the first non-finite parameter in module order", () => {
  const error = caught(() => trainGan(gan({ lr: 1e39 }), tempDir(), { log: quiet }))
  assert.instance(error, TrainingDiverged)
  // The generator's step in the same round reads the broken discriminator, so its loss is NaN too.
  assert.match(error!.message, /^training stopped: the discriminator's loss is \S+ and the generator's NaN at epoch 1, step 1 of 2; no checkpoint was written \(it diverged in the first epoch\)\. After the step, parameter (generator|discriminator)\.\S+ holds (NaN|-?Infinity) at index \d+ \(its gradient [^)]*\)\. Try a smaller --lr, or --clip\.$/)
})

test('each trainer feeds onStep with its figures: VAE loss, reconstruction, kl; GAN losses and D outputs; classifier loss, accuracy and its decaying rate', () => {
  const events: Record<string, StepEvent[]> = { vae: [], gan: [], classifier: [] }
  silenced(() => trainVae(vae, tempDir(), { log: quiet, onStep: (e) => events.vae!.push(e) }))
  silenced(() => trainGan(gan(), tempDir(), { log: quiet, onStep: (e) => events.gan!.push(e) }))
  silenced(() => trainClassifierCnn(
    { dataset: 'fashion-mnist', sample: true, limit: 40, epochs: 2, batch: 20, lr: 1e-3, lrDecay: 0.5, hidden: 8, dropout: 0, channels: [2, 2], seed: 1 },
    tempDir(), { log: quiet, progress: false, onStep: (e) => events.classifier!.push(e) },
  ))
  assert.equal(events.vae!.map((e) => [e.epoch, e.step, e.globalStep, e.lr, Object.keys(e.values)]), [
    [1, 1, 1, 1e-3, ['loss', 'reconstruction', 'kl']], [1, 2, 2, 1e-3, ['loss', 'reconstruction', 'kl']],
  ])
  assert.equal(Object.keys(events.gan![0]!.values), ['d_real', 'd_fake_before', 'd_fake_after', 'd_loss', 'g_loss'])
  assert.equal(events.gan!.map((e) => e.lr), [2e-4, 2e-4])
  assert.equal(events.classifier!.map((e) => [e.epoch, e.step, e.globalStep, e.lr]), [[1, 1, 1, 1e-3], [1, 2, 2, 1e-3], [2, 1, 3, 5e-4], [2, 2, 4, 5e-4]])
  for (const list of Object.values(events)) for (const e of list) for (const [k, v] of Object.entries(e.values)) assert.ok(Number.isFinite(v), k)
  const { loss, accuracy } = events.classifier![0]!.values
  assert.ok(loss! > 0 && accuracy! >= 0 && accuracy! <= 1)
})

test.run()
