// Each trainer's per-step figures: the course projects' curves from the step log's keys, curves
// the log does not hold left out, nothing drawn before the first step.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { MetricRow } from '../../src/report/metrics.ts'
import { readPng } from '../../src/report/png.ts'
import { renderStepCurves } from '../../src/report/step_curves.ts'
import { STEP_FIGURES, writeStepFigures, type StepFigureKind } from '../../src/report/step_figures.ts'

const root = mkdtempSync(join(tmpdir(), 'genkata-stepfig-'))
test.after(() => rmSync(root, { recursive: true, force: true }))

const rows = (values: (g: number) => Record<string, number>): MetricRow[] => Array.from({ length: 60 }, (_, i) => ({ epoch: Math.floor(i / 20) + 1, global_step: (i + 1) * 5, lr: 0.001, ...values(i + 1) }))

test('a GAN gets its losses and D outputs per step; an ACGAN key it never logged is left out', () => {
  const dir = join(root, 'gan')
  const steps = rows((g) => ({ d_loss: 1.3 - g / 100, g_loss: 0.8 + g / 100, d_real: 0.6, d_fake_before: 0.4, d_fake_after: 0.35 }))
  const epochs = [1, 2, 3].map((epoch) => ({ epoch, d_loss: 1, g_loss: 1 }))
  const files = writeStepFigures(dir, 'gan', { steps, epochs, stepsPerEpoch: 100 })
  assert.equal(files.map((f) => f.file), ['losses-steps.png', 'outputs-steps.png'])
  const outputs = STEP_FIGURES.gan[1]!
  const expected = renderStepCurves({ title: outputs.title, yLabel: outputs.yLabel, steps, epochs, stepsPerEpoch: 100, curves: outputs.curves.slice(0, 3) }).image
  assert.equal(readPng(join(dir, 'outputs-steps.png')).data, expected.data, 'drawn with D(x) and the two D(G(z)) curves only')
})

test('a VAE gets its loss and its terms; a classifier its loss and accuracy', () => {
  const vae = writeStepFigures(join(root, 'vae'), 'vae', { steps: rows((g) => ({ loss: 300 - g, reconstruction: 280 - g, kl: 20 + g / 10 })), epochs: [{ epoch: 1, test_loss: 290, test_reconstruction: 270, test_kl: 20 }], stepsPerEpoch: 100 })
  assert.equal(vae.map((f) => f.file), ['curves-steps.png', 'terms-steps.png'])
  const cls = writeStepFigures(join(root, 'cls'), 'classifier', { steps: rows((g) => ({ loss: 2 / g, accuracy: 1 - 1 / g })) })
  assert.equal(cls.map((f) => f.file), ['loss-steps.png', 'accuracy-steps.png'])
  assert.ok(cls.every((f) => existsSync(join(root, 'cls', f.file)) && f.caption.includes('per step')))
})

test('nothing is drawn before the first logged step; an unknown kind is refused', () => {
  assert.equal(writeStepFigures(join(root, 'empty'), 'gan', { steps: [] }), [])
  assert.not.ok(existsSync(join(root, 'empty')))
  assert.throws(() => writeStepFigures(root, 'diffusion' as StepFigureKind, { steps: [] }), /unknown kind "diffusion"; expected vae, gan or classifier/)
})

test.run()
