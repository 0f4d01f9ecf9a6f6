// genkata sample RUN on GAN runs (and the VAE path beside it): the grid's layout, the ACGAN's
// column per class or one class with --label, and the errors for --label where it makes no sense.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { sample, sampleUsage } from '../../src/cli/commands/sample.ts'
import { defaultGanRunConfig, trainGan } from '../../src/train/gan_trainer.ts'
import { trainVae } from '../../src/train/vae_trainer.ts'
import { readPng } from '../../src/report/png.ts'
import type { GanKind } from '../../src/models/gan_kinds.ts'
import { silenced } from '../helpers/quiet.ts'

const root = mkdtempSync(join(tmpdir(), 'genkata-cli-sample-'))
test.after(() => rmSync(root, { recursive: true, force: true }))
const quiet = () => {}
const gan = (model: GanKind) => {
  const dir = join(root, model)
  silenced(() => trainGan({ ...defaultGanRunConfig(model), sample: true, limit: 32, batch: 32, epochs: 1, width: model === 'gan' ? 8 : 2, noise: 8 }, dir, { log: quiet }))
  return dir
}
const acgan = gan('acgan')
const plain = gan('gan')
// A grid of 28x28 images at scale 2 with a gap of 2: c columns are 2 + c * 58 pixels wide.
const side = (cells: number) => 2 + cells * 58

test('an unconditional GAN: n samples in a near-square grid, into the run folder by default', () => {
  const lines: string[] = []
  const out = sample([plain, '--n', '10', '--seed', '4'], { log: (l) => lines.push(l) })
  assert.is(out, join(plain, 'samples-seed4.png'))
  const png = readPng(out)
  assert.equal([png.width, png.height], [side(4), side(3)])
  assert.match(lines[0]!, new RegExp(`^10 samples from ${plain} \\(after epoch 1\\) in ${out}$`))
  // The same seed draws the same images.
  const again = readPng(sample([plain, '--n', '10', '--seed', '4', '--out', join(root, 'again.png')], { log: quiet }))
  assert.equal(again.data, png.data)
  assert.throws(() => sample([plain, '--label', '3']), new RegExp(`--label needs a conditional model \\(acgan\\); ${plain} is a gan run`))
})

test('the ACGAN: one column per class by default; --label K draws only class K', () => {
  const all = readPng(sample([acgan, '--n', '20', '--out', join(root, 'all.png')], { log: quiet }))
  assert.equal([all.width, all.height], [side(10), side(2)])
  const one = readPng(sample([acgan, '--n', '9', '--label', '7', '--out', join(root, 'seven.png')], { log: quiet }))
  assert.equal([one.width, one.height], [side(3), side(3)])
  assert.throws(() => sample([acgan, '--label', '10']), /--label must be an integer in \[0, 10\), got 10/)
  assert.throws(() => sample([acgan, '--label', '1.5']), /--label must be an integer in \[0, 10\)/)
  assert.throws(() => sample([acgan, '--n', '0']), /--n must be a positive integer, got 0/)
})

test('a VAE run samples as before; bad arguments name the problem', () => {
  const dir = join(root, 'cvae')
  silenced(() => trainVae({ model: 'cvae', dataset: 'fashion-mnist', sample: true, limit: 32, latent: 2, hidden: 8, beta: 1, epochs: 1, batch: 32, optimizer: 'adam', lr: 1e-3, seed: 1 }, dir, { log: quiet }))
  const png = readPng(sample([dir, '--n', '16', '--label', '2'], { log: quiet }))
  assert.equal([png.width, png.height], [side(4), side(4)])
  assert.throws(() => sample([dir, '--label', '11']), /--label must be an integer in \[0, 10\), got 11/)
  const fc = join(root, 'vae')
  silenced(() => trainVae({ model: 'vae', dataset: 'fashion-mnist', sample: true, limit: 32, latent: 2, hidden: 8, beta: 1, epochs: 1, batch: 32, optimizer: 'adam', lr: 1e-3, seed: 1 }, fc, { log: quiet }))
  assert.throws(() => sample([fc, '--label', '1']), /--label needs a conditional model \(cvae, conv-cvae\)/)
  assert.throws(() => sample([]), /sample: which run\?/)
  assert.throws(() => sample([join(root, 'nothing')]), /is not a genkata run folder/)
  assert.throws(() => sample([plain, '--count', '3']), /unknown option --count/)
  assert.ok(sampleUsage.includes('acgan'))
})

test.run()
