// One arm's folder: trained, reused when trained far enough, resumed when not, refused when made
// with other settings; a run trained elsewhere and dropped in is reused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { checkpointEpoch, differingSettings, prepareArm } from '../../src/experiments/prepare.ts'
import { ganArm, vaeArm } from '../../src/experiments/arms.ts'
import { trainVae } from '../../src/train/vae_trainer.ts'
import { silenced } from '../helpers/quiet.ts'
import { shrink } from './tiny.ts'

const root = mkdtempSync(join(tmpdir(), 'genkata-experiment-runner-'))
test.after(() => rmSync(root, { recursive: true, force: true }))
const options = { dataset: 'fashion-mnist' as const, sample: true, limit: 64, seed: 3 }

test('trained, then reused, then resumed to more epochs; the log says which', () => {
  const lines: string[] = []
  const log = (line: string) => lines.push(line)
  const dir = join(root, 'z3')
  const arm = shrink(vaeArm('z3', 'z = 3', { ...options, epochs: 1 }, { model: 'vae', latent: 3 }))
  const first = silenced(() => prepareArm(arm, dir, { experiment: 'latent', log }))
  assert.equal([first.action, first.epoch, checkpointEpoch(dir)], ['trained', 1, 1])
  const again = prepareArm(arm, dir, { experiment: 'latent', log })
  assert.equal([again.action, again.epoch], ['reused', 1])
  assert.ok(lines.some((l) => l.includes(`reusing ${dir}, already trained for 1 epoch`)), lines.join('\n'))
  const longer = { ...arm, config: { ...arm.config, epochs: 2 } } as typeof arm
  const resumed = silenced(() => prepareArm(longer, dir, { experiment: 'latent', log }))
  assert.equal([resumed.action, resumed.epoch, checkpointEpoch(dir)], ['resumed', 2, 2])
  assert.ok(lines.some((l) => l.includes(`resuming ${dir} from epoch 1 to 2`)))
  assert.ok(lines.some((l) => l.startsWith(`resumed ${dir} after epoch 1`)), 'the trainer resumed from the checkpoint')
  // Fewer epochs asked for than trained: the run is reused as it is.
  const shorter = prepareArm(arm, dir, { experiment: 'latent', log })
  assert.equal([shorter.action, shorter.epoch], ['reused', 2])
  assert.ok(lines.at(-1)!.includes('(1 asked for)'))
})

test('a run with other settings is refused, naming the folder and each setting that differs', () => {
  const dir = join(root, 'z3')
  const other = shrink(vaeArm('z3', 'z = 4', { ...options, epochs: 1 }, { model: 'vae', latent: 4, beta: 2 }))
  assert.throws(
    () => prepareArm(other, dir, { experiment: 'latent', log: () => {} }),
    (e: Error) => e.message.includes(`${dir} holds a run with other settings than the arm 'z3' of experiment 'latent'`) && e.message.includes('latent: 3 there, 4 here') && e.message.includes('beta: 1 there, 2 here'),
  )
  // A VAE run where a GAN arm should be: the model differs.
  const gan = shrink(ganArm('z3', 'GAN', { ...options, epochs: 1 }, 'gan'))
  assert.throws(() => prepareArm(gan, dir, { experiment: 'families', log: () => {} }), /model: "vae" there, "gan" here/)
  // The epochs, the data's folder and the backend are free.
  const saved = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))
  const arm = shrink(vaeArm('z3', 'z = 3', { ...options, epochs: 7, dataDir: '/elsewhere' }, { model: 'vae', latent: 3 }))
  assert.equal(differingSettings(arm, { ...saved, backend: 'reference' }), [])
  // ACGAN runs saved before --fake-class-weight existed used 1, not the default 0.
  const acgan = ganArm('acgan', 'ACGAN', options, 'acgan')
  const old: Record<string, unknown> = { ...acgan.config }
  delete old.fakeClassWeight
  assert.equal(differingSettings(acgan, old), ['fakeClassWeight: 1 there, 0 here'])
})

test('a run trained by genkata train and dropped into the arm folder is reused; a broken folder is an error', () => {
  const dir = join(root, 'dropped')
  const arm = shrink(vaeArm('dropped', 'FC', { ...options, epochs: 1 }, { model: 'vae', latent: 2 }))
  if (arm.family !== 'vae') throw new Error('unreachable')
  silenced(() => trainVae(arm.config, dir, { log: () => {} }))
  assert.is(prepareArm(arm, dir, { experiment: 'x', log: () => {} }).action, 'reused')
  writeFileSync(join(dir, 'settings.json'), '{ nope')
  assert.throws(() => prepareArm(arm, dir, { experiment: 'x', log: () => {} }), /settings.json: not valid JSON/)
  rmSync(join(dir, 'settings.json'))
  assert.throws(() => prepareArm(arm, dir, { experiment: 'x', log: () => {} }), /holds a checkpoint but no settings.json/)
})

test.run()
