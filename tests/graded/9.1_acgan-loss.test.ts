import { gradedFile } from './support.ts'
gradedFile('9.1', '#kata/models/acgan_loss') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randn, tensor, Rng, zeros } from '../../src/index.ts'
import { acganDiscriminatorLoss, acganGeneratorLoss } from '#kata/models/acgan_loss'
import { assertClose, assertGradcheck } from './support.ts'

const LN9 = Math.log(9) // sigmoid(ln 9) = 0.9
const LN3 = Math.log(3) // softmax([ln 3, 0]) = [0.75, 0.25]

test('all logits 0 over C classes: D pays 2 ln 2 + 2 ln C, G pays ln 2 + ln C [x2]', () => {
  const heads = (n: number) => ({ source: zeros([n]), classes: zeros([n, 4]) })
  const d = acganDiscriminatorLoss(heads(3), heads(2), [0, 1, 2], [3, 3])
  assertClose(d.adversarial.item(), 2 * Math.log(2))
  assertClose(d.auxiliary.item(), 2 * Math.log(4))
  assertClose(d.loss.item(), 2 * Math.log(2) + 2 * Math.log(4))
  assert.is(d.loss.ndim, 0)
  const g = acganGeneratorLoss(heads(2), [0, 1])
  assertClose(g.adversarial.item(), Math.log(2))
  assertClose(g.auxiliary.item(), Math.log(4))
  assertClose(g.loss.item(), Math.log(2) + Math.log(4))
})

test('the class term uses the real labels for the real images and the asked-for labels for the fakes [x2]', () => {
  const real = { source: tensor([LN9]), classes: tensor([[LN3, 0]]) }
  const fake = { source: tensor([-LN9]), classes: tensor([[0, LN3]]) }
  // real: -ln 0.9 and CE -ln 0.75 (label 0); fake: -ln 0.9 and CE -ln 0.75 (label 1)
  const right = acganDiscriminatorLoss(real, fake, [0], [1])
  assertClose(right.adversarial.item(), -2 * Math.log(0.9))
  assertClose(right.auxiliary.item(), -2 * Math.log(0.75))
  const swapped = acganDiscriminatorLoss(real, fake, [1], [0])
  assertClose(swapped.auxiliary.item(), -2 * Math.log(0.25))
  const g = acganGeneratorLoss(fake, [1])
  assertClose(g.adversarial.item(), Math.log(10)) // the fakes called real: -ln 0.1
  assertClose(g.auxiliary.item(), -Math.log(0.75))
})

test('label smoothing touches only the real/fake term of the real images [x2]', () => {
  const realSource = tensor([LN9], { requiresGrad: true })
  const realClasses = tensor([[LN3, 0]], { requiresGrad: true })
  const fakeSource = tensor([0], { requiresGrad: true })
  const d = acganDiscriminatorLoss({ source: realSource, classes: realClasses }, { source: fakeSource, classes: zeros([1, 2]) }, [0], [0], { smoothing: 0.1 })
  d.loss.backward()
  assertClose(realSource.grad!.item(), 0, 1e-6) // 0.9 is the smoothed target
  assertClose(fakeSource.grad!.item(), 0.5) // fakes still aim at 0
  assertClose(realClasses.grad!.toArray(), [[0.75 - 1, 0.25]]) // softmax - one-hot, unsmoothed
  assertClose(d.auxiliary.item(), -Math.log(0.75) + Math.log(2))
})

test('fakeClassWeight scales only the fakes\' class term: at 0 the class head learns from real images alone [x2]', () => {
  const real = { source: tensor([LN9]), classes: tensor([[LN3, 0]]) }
  const fakeClasses = tensor([[0, LN3]], { requiresGrad: true })
  const fake = { source: tensor([-LN9]), classes: fakeClasses }
  const half = acganDiscriminatorLoss(real, fake, [0], [1], { fakeClassWeight: 0.5 })
  assertClose(half.auxiliary.item(), -1.5 * Math.log(0.75))
  assertClose(half.adversarial.item(), -2 * Math.log(0.9))
  const none = acganDiscriminatorLoss(real, fake, [0], [1], { fakeClassWeight: 0 })
  assertClose(none.auxiliary.item(), -Math.log(0.75))
  none.loss.backward()
  assertClose(fakeClasses.grad!.toArray(), [[0, 0]])
  assert.throws(() => acganDiscriminatorLoss(real, fake, [0], [1], { fakeClassWeight: -1 }), /fakeClassWeight/)
})

test('gradcheck of both losses with respect to every head [x1]', () => {
  const rng = new Rng(4)
  const logits = () => [randn([3], { rng }), randn([3, 5], { rng }), randn([3], { rng }), randn([3, 5], { rng })]
  assertGradcheck(
    (rs, rc, fs, fc) => acganDiscriminatorLoss({ source: rs, classes: rc }, { source: fs, classes: fc }, [0, 4, 2], [1, 1, 3], { smoothing: 0.2 }).loss,
    logits(),
  )
  assertGradcheck((fs, fc) => acganGeneratorLoss({ source: fs, classes: fc }, [1, 1, 3]).loss, logits().slice(0, 2))
})

// The chapter's formulas, per element, for the property test below.
const softplus = (l: number) => Math.log1p(Math.exp(l))
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const crossEntropyOf = (rows: number[][], labels: number[]) =>
  mean(rows.map((row, n) => {
    const top = Math.max(...row)
    return top + Math.log(row.reduce((s, l) => s + Math.exp(l - top), 0)) - row[labels[n]!]!
  }))

// Property tests: fast-check with a fixed seed per test (assertProperty).
import fc from 'fast-check'
import { assertProperty } from './support.ts'

const batch = (classes: number) =>
  fc.integer({ min: 1, max: 4 }).chain((n) =>
    fc.record({
      source: fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: n, maxLength: n }),
      classes: fc.array(fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: classes, maxLength: classes }), { minLength: n, maxLength: n }),
      labels: fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: n, maxLength: n }),
    }),
  )
const heads = (b: { source: number[]; classes: number[][] }) => ({ source: tensor(b.source, { dtype: 'float64' }), classes: tensor(b.classes, { dtype: 'float64' }) })

test('random heads, labels, smoothing and fakeClassWeight: both losses and their parts match the formulas of chapter 9 [x3]', () => {
  const input = fc.record({ real: batch(3), fake: batch(3), smoothing: fc.double({ min: 0, max: 0.3, noNaN: true }), fakeClassWeight: fc.constantFrom(0, 0.5, 1) })
  assertProperty('9.1 acgan losses', fc.property(input, ({ real, fake, smoothing, fakeClassWeight }) => {
    const adversarial = mean(real.source.map((l) => softplus(l) - (1 - smoothing) * l)) + mean(fake.source.map(softplus))
    const auxiliary = crossEntropyOf(real.classes, real.labels) + fakeClassWeight * crossEntropyOf(fake.classes, fake.labels)
    const d = acganDiscriminatorLoss(heads(real), heads(fake), real.labels, fake.labels, { smoothing, fakeClassWeight })
    assertClose(d.adversarial.item(), adversarial, 1e-9, "D's adversarial")
    assertClose(d.auxiliary.item(), auxiliary, 1e-9, "D's auxiliary")
    assertClose(d.loss.item(), adversarial + auxiliary, 1e-9, "D's loss")
    const g = acganGeneratorLoss(heads(fake), fake.labels)
    const gAdversarial = mean(fake.source.map((l) => softplus(l) - l))
    const gAuxiliary = crossEntropyOf(fake.classes, fake.labels)
    assertClose(g.adversarial.item(), gAdversarial, 1e-9, "G's adversarial")
    assertClose(g.auxiliary.item(), gAuxiliary, 1e-9, "G's auxiliary")
    assertClose(g.loss.item(), gAdversarial + gAuxiliary, 1e-9, "G's loss")
  }))
})

test.run()
