import { gradedFile } from './support.ts'
gradedFile('8.1', '#kata/models/gan_losses') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { tensor } from '../../src/index.ts'
import { discriminatorLoss, generatorLoss } from '#kata/models/gan_losses'
import { assertClose } from './support.ts'

const LN9 = Math.log(9) // sigmoid(ln 9) = 0.9
const entropy = (p: number) => -(p * Math.log(p) + (1 - p) * Math.log(1 - p))

test('at logit 0 (D = 1/2 everywhere): the discriminator pays 2 ln 2, the generator ln 2 [x2]', () => {
  const d = discriminatorLoss(tensor([0, 0, 0]), tensor([0, 0]))
  assert.is(d.ndim, 0, 'the loss is a scalar')
  assertClose(d.item(), 2 * Math.log(2))
  assertClose(generatorLoss(tensor([0, 0])).item(), Math.log(2))
})

test('D(x) = 0.9 on the real image and D(G(z)) = 0.1 on the fake: -ln 0.9 - ln 0.9 for D, -ln 0.1 for G [x2]', () => {
  assertClose(discriminatorLoss(tensor([LN9]), tensor([-LN9])).item(), -2 * Math.log(0.9))
  assertClose(generatorLoss(tensor([-LN9])).item(), Math.log(10))
})

test('each half is a mean over its own batch, and the gradients are (D - target) / N [x2]', () => {
  const real = tensor([LN9, 0], { requiresGrad: true })
  const fake = tensor([0, 0, -LN9], { requiresGrad: true })
  const loss = discriminatorLoss(real, fake)
  assertClose(loss.item(), (-Math.log(0.9) + Math.log(2)) / 2 + (2 * Math.log(2) - Math.log(0.9)) / 3)
  loss.backward()
  assertClose(real.grad!.toArray(), [(0.9 - 1) / 2, (0.5 - 1) / 2])
  assertClose(fake.grad!.toArray(), [0.5 / 3, 0.5 / 3, 0.1 / 3])
})

test('one-sided label smoothing: real images aim at 1 - smoothing, fakes still at 0 [x2]', () => {
  const real = tensor([LN9], { requiresGrad: true })
  const fake = tensor([0], { requiresGrad: true })
  const loss = discriminatorLoss(real, fake, { smoothing: 0.1 })
  assertClose(loss.item(), entropy(0.9) + Math.log(2))
  loss.backward()
  assertClose(real.grad!.item(), 0, 1e-6) // D(x) = 0.9 is exactly the smoothed target
  assertClose(fake.grad!.item(), 0.5) // the fake's target stays 0: gradient D - 0
  assertClose(discriminatorLoss(tensor([LN9]), tensor([0])).item(), -Math.log(0.9) + Math.log(2), 1e-5, 'smoothing defaults to 0')
  assert.throws(() => discriminatorLoss(tensor([0]), tensor([0]), { smoothing: 1 }), /smoothing must be in \[0, 1\), got 1/)
})

test('the generator loss is never smoothed and does not saturate when D rejects the fakes [x2]', () => {
  const fake = tensor([-10], { requiresGrad: true }) // D(G(z)) = 4.5e-5
  const loss = generatorLoss(fake)
  assertClose(loss.item(), Math.log1p(Math.exp(10)))
  loss.backward()
  // -log D(G(z)) has gradient D - 1, about -1 here; the minimax log(1 - D) would give -D = -4.5e-5.
  const sigma = 1 / (1 + Math.exp(10))
  assertClose(fake.grad!.item(), sigma - 1)
  assert.ok(Math.abs(fake.grad!.item()) > 0.99, `expected a gradient near -1, got ${fake.grad!.item()}`)
})

test('extreme logits stay finite (bceWithLogits, not log(sigmoid)) [x1]', () => {
  const d = discriminatorLoss(tensor([-200]), tensor([200]))
  assertClose(d.item(), 400, 1e-5)
  assertClose(generatorLoss(tensor([200])).item(), 0, 1e-6)
})

// Property tests: fast-check with a fixed seed per test (assertProperty).
import fc from 'fast-check'
import { assertProperty } from './support.ts'

test("random logits and smoothing: D's loss is mean softplus(l) - (1 - s) l over the real batch plus mean softplus(l) over the fakes [x2]", () => {
  const logits = fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 1, maxLength: 5 })
  const softplus = (l: number) => Math.log1p(Math.exp(l))
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  assertProperty('8.1 discriminator loss', fc.property(logits, logits, fc.double({ min: 0, max: 0.5, noNaN: true }), (real, fake, smoothing) => {
    const expected = mean(real.map((l) => softplus(l) - (1 - smoothing) * l)) + mean(fake.map(softplus))
    assertClose(discriminatorLoss(tensor(real, { dtype: 'float64' }), tensor(fake, { dtype: 'float64' }), { smoothing }).item(), expected, 1e-9)
  }))
})

test.run()
