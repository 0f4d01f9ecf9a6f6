import { gradedFile } from './support.ts'
gradedFile('8.2', '#kata/models/gan_detach') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { tensor, type Tensor } from '../../src/index.ts'
import { discriminatorPass, generatorPass } from '#kata/models/gan_detach'
import { assertClose } from './support.ts'

// A generator G(z) = z A^T (A is 3x2) and a discriminator D(x) = x . w + b: small enough to do by hand.
function players() {
  const A = tensor([[1, 0], [0, 1], [1, -1]], { requiresGrad: true })
  const w = tensor([0.5, -1, 0.25], { requiresGrad: true })
  const b = tensor(0.1, { requiresGrad: true })
  const generate = (z: Tensor) => z.matmul(A.transpose())
  const discriminate = (x: Tensor) => x.matmul(w.reshape([3, 1])).reshape([x.shape[0]!]).add(b)
  return { A, w, b, generate, discriminate }
}
const z = tensor([[1, 2], [-1, 0.5]])
const real = tensor([[1, 1, 1], [0, 2, -1]])
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v))
// Binary cross-entropy of sigmoid(x) against target t, from the logit.
const bce = (x: number, t: number) => Math.log1p(Math.exp(x)) - t * x
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

test('the discriminator pass: its logits and loss are those of D on the real batch and the fakes [x2]', () => {
  const { generate, discriminate } = players()
  const pass = discriminatorPass(discriminate, real, generate(z), { smoothing: 0.1 })
  // fakes: [1, 2, -1] and [-1, 0.5, -1.5]; logits x . w + b
  const realLogits = [0.5 - 1 + 0.25 + 0.1, -2 - 0.25 + 0.1]
  const fakeLogits = [0.5 - 2 - 0.25 + 0.1, -0.5 - 0.5 - 0.375 + 0.1]
  assertClose(pass.realLogits.toArray(), realLogits)
  assertClose(pass.fakeLogits.toArray(), fakeLogits)
  assertClose(pass.loss.item(), mean(realLogits.map((l) => bce(l, 0.9))) + mean(fakeLogits.map((l) => bce(l, 0))))
})

test("the discriminator's loss gives the generator no gradient, and the discriminator its full one [x3]", () => {
  const { A, w, b, generate, discriminate } = players()
  const fake = generate(z)
  discriminatorPass(discriminate, real, fake, { smoothing: 0.2 }).loss.backward()
  assert.is(A.grad, null, "G's parameters must get no gradient from D's loss: discriminate fake.detach()")
  // dL/db = mean(D(x) - 0.8) + mean(D(G(z))) over the two batches of two (smoothing 0.2)
  const realLogits = [0.5 - 1 + 0.25 + 0.1, -2 - 0.25 + 0.1]
  const fakeLogits = [0.5 - 2 - 0.25 + 0.1, -0.5 - 0.5 - 0.375 + 0.1]
  const expected = realLogits.reduce((s, l) => s + (sigmoid(l) - 0.8) / 2, 0) + fakeLogits.reduce((s, l) => s + sigmoid(l) / 2, 0)
  assertClose(b.grad!.item(), expected)
  assert.ok(w.grad !== null, 'D gets a gradient on w')
  // dL/dw = mean_n (D(x_n) - 0.8) x_n + mean_n D(G(z_n)) G(z_n)
  const fakes = [[1, 2, -1], [-1, 0.5, -1.5]]
  const reals = [[1, 1, 1], [0, 2, -1]]
  const dw = [0, 1, 2].map((k) => reals.reduce((s, x, n) => s + ((sigmoid(realLogits[n]!) - 0.8) * x[k]!) / 2, 0) + fakes.reduce((s, x, n) => s + (sigmoid(fakeLogits[n]!) * x[k]!) / 2, 0))
  assertClose(w.grad!.toArray(), dw)
})

test("the generator's pass: the gradient flows through D into G (not detached) [x3]", () => {
  const { A, w, b, generate, discriminate } = players()
  const pass = generatorPass(discriminate, generate(z))
  const logits = [0.5 - 2 - 0.25 + 0.1, -0.5 - 0.5 - 0.375 + 0.1]
  assertClose(pass.fakeLogits.toArray(), logits)
  assertClose(pass.loss.item(), mean(logits.map((l) => bce(l, 1))))
  pass.loss.backward()
  // L = mean_n -log sigmoid(w . A z_n + b): dL/dA = mean_n (sigmoid(l_n) - 1) w z_n^T
  const zs = [[1, 2], [-1, 0.5]]
  const wv = [0.5, -1, 0.25]
  const dA = wv.map((wi) => [0, 1].map((j) => zs.reduce((s, zn, n) => s + ((sigmoid(logits[n]!) - 1) * wi * zn[j]!) / 2, 0)))
  assert.ok(A.grad !== null, "G's parameters must get a gradient from G's loss: do not detach here")
  assertClose(A.grad!.toArray(), dA)
  assert.ok(w.grad !== null && b.grad !== null, "the gradient runs through D's parameters too (G's optimizer ignores them)")
})

test("one batch of fakes serves both: after D's backward, G's graph is intact for G's step [x1]", () => {
  const first = players()
  const fake = first.generate(z)
  discriminatorPass(first.discriminate, real, fake).loss.backward()
  generatorPass(first.discriminate, fake).loss.backward()
  const fresh = players()
  generatorPass(fresh.discriminate, fresh.generate(z)).loss.backward()
  assert.ok(first.A.grad !== null, 'the fakes still lead back to G')
  assertClose(first.A.grad!.toArray(), fresh.A.grad!.toArray())
})

test.run()
