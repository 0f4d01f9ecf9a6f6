import { gradedFile } from './support.ts'
gradedFile('8.3', '#kata/models/gan_step') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { tensor, type Tensor } from '../../src/index.ts'
import { SGD } from '../../src/nn/optim/index.ts'
import { alternatingStep } from '#kata/models/gan_step'
import { assertClose } from './support.ts'

// Two one-number "players": a belongs to D, b to G. D's loss a*b also reaches b (as an undetached
// fake would), G's loss a*b^2/2 reaches a (as G's loss runs through D). SGD with lr 0.1 makes every
// update a hand computation:
//   D: dLD/da = b = 2            -> a = 1 - 0.1 * 2 = 0.8
//   G: dLG/db = a*b = 0.8 * 2    -> b = 2 - 0.1 * 1.6 = 1.84   (with D's new a)
function setUp() {
  const a = tensor([1], { requiresGrad: true })
  const b = tensor([2], { requiresGrad: true })
  const optD = new SGD([a], { lr: 0.1 })
  const optG = new SGD([b], { lr: 0.1 })
  const calls: string[] = []
  const seen: { a: number; b: number }[] = []
  const dLoss = (step: number): Tensor => {
    calls.push(`D${step}`)
    return a.mul(b).sum()
  }
  const gLoss = (step: number): Tensor => {
    calls.push(`G${step}`)
    seen.push({ a: a.item(), b: b.item() })
    return a.mul(b.square()).mul(0.5).sum()
  }
  return { a, b, D: { loss: dLoss, optimizer: optD }, G: { loss: gLoss, optimizer: optG }, calls, seen }
}

test('one D step, then one G step that sees the updated D; the losses come back as numbers [x3]', () => {
  const { a, b, D, G, calls, seen } = setUp()
  const result = alternatingStep(D, G)
  assert.equal(calls, ['D0', 'G0'], 'D steps first, then G')
  assertClose(result.dLoss, 2)
  assertClose(result.gLosses, [1.6])
  assertClose(a.item(), 0.8)
  assertClose(b.item(), 1.84)
  assertClose([seen[0]!.a, seen[0]!.b], [0.8, 2])
})

test("G's parameters are bit-identical across D's step, and D's across G's step [x2]", () => {
  const { a, b, D, G, seen } = setUp()
  const before = { a: a.item(), b: b.item() }
  alternatingStep(D, G)
  assert.is(seen[0]!.b, before.b, "D's step must not move G's parameters")
  assert.ok(seen[0]!.a !== before.a, "D's step moved D")
  assert.is(a.item(), seen[0]!.a, "G's step must not move D's parameters")
})

test("each step zeroes its own gradients first, and only its own [x3]", () => {
  const { a, b, D, G } = setUp()
  alternatingStep(D, G)
  // G's gradient is its own loss's alone (D's backward also put a*1 = 1 on b: it must be zeroed).
  assertClose(b.grad!.item(), 1.6)
  // D's gradient still holds D's own 2 plus the b^2/2 = 2 that G's backward added: G zeroes only G's.
  assertClose(a.grad!.item(), 4)
  // The next round: D must zero that before its own backward: a = 0.8 - 0.1 * 1.84.
  alternatingStep(D, G)
  assertClose(a.item(), 0.8 - 0.184)
})

test('gSteps = 2: two G steps on fresh gradients, the closure told which step it is [x2]', () => {
  const { b, D, G, calls } = setUp()
  const result = alternatingStep(D, G, { gSteps: 2 })
  assert.equal(calls, ['D0', 'G0', 'G1'])
  assertClose(result.gLosses, [1.6, (0.8 * 1.84 * 1.84) / 2])
  assertClose(b.item(), 1.84 - 0.1 * 0.8 * 1.84)
  assert.throws(() => alternatingStep(D, G, { gSteps: 0 }), /gSteps must be an integer >= 1, got 0/)
  assert.throws(() => alternatingStep(D, G, { clip: -1 }), /clip must be a positive number or null, got -1/)
})

test("clip: each player's gradient norm is clipped to `clip` before its update, over its own parameters [x3]", () => {
  const { a, b, D, G } = setUp()
  alternatingStep(D, G, { clip: 0.5 })
  // D: |grad| = 2 -> 0.5 (PyTorch's factor 0.5 / (2 + 1e-6)); G then sees a = 0.95: |grad| = 1.9 -> 0.5
  assertClose(a.item(), 1 - 0.1 * 0.5, 1e-6)
  assertClose(b.item(), 2 - 0.1 * 0.5, 1e-6)
})

test.run()
