import { gradedFile } from './support.ts'
gradedFile('6.2', '#kata/nn/optim/adam') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import { tensor } from '../../src/index.ts'
import { Adam, AdamW } from '../../src/nn/optim/index.ts'
import { adamUpdate, type AdamHyper } from '#kata/nn/optim/adam'
import { assertClose } from './support.ts'

const defaults: AdamHyper = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false }

function run(w0: number[], grads: number[][], h: AdamHyper) {
  const param = Float64Array.from(w0)
  const state = { step: 0, expAvg: new Float64Array(w0.length), expAvgSq: new Float64Array(w0.length) }
  const history = grads.map((g) => {
    state.step += 1
    adamUpdate(param, g, state, h)
    return [...param]
  })
  return { history, state }
}

test('the first step: m = (1 - beta1) g, v = (1 - beta2) g^2, and bias correction makes the step lr * g / (|g| + eps) [x2]', () => {
  const { history, state } = run([1, 1, 1], [[2, -0.5, 1e-3]], defaults)
  assertClose([...state.expAvg], [0.2, -0.05, 1e-4], 1e-9)
  assertClose([...state.expAvgSq], [0.004, 0.00025, 1e-9], 1e-9)
  // Whatever the gradient's size, the first step moves each weight by about lr against it.
  const step = (g: number) => (0.1 * g) / (Math.abs(g) + 1e-8)
  assertClose(history[0]!, [1 - step(2), 1 - step(-0.5), 1 - step(1e-3)], 1e-9)
})

test('a constant gradient moves the weight by lr every step: the bias correction is exact [x3]', () => {
  const { history } = run([0], [[3], [3], [3], [3], [3]], defaults)
  assertClose(history.map((w) => w[0]!), [-0.1, -0.2, -0.3, -0.4, -0.5], 1e-7)
})

test('the second step with a gradient that flips sign, by hand [x2]', () => {
  const { history } = run([0], [[1], [-1]], defaults)
  // m = 0.9 * 0.1 - 0.1 = -0.01, corrected by 1 - 0.9^2 = 0.19; v = 0.999 * 0.001 + 0.001 = 0.001999,
  // corrected by 1 - 0.999^2 = 0.001999, i.e. to 1. So w = -0.1 + 0.1 * 0.01 / 0.19.
  assertClose(history[1]!, [-0.1 + 0.1 * (0.01 / 0.19)], 1e-7)
})

test('weight decay: Adam adds it to the gradient, AdamW shrinks the weight directly [x2]', () => {
  // Adam: g' = 0 + 0.1 * 2 = 0.2, and a first step moves by lr.
  assertClose(run([2], [[0]], { ...defaults, weightDecay: 0.1 }).history[0]!, [1.9], 1e-7)
  // AdamW: w = 2 * (1 - 0.1 * 0.1) = 1.98, and a zero gradient adds no step.
  assertClose(run([2], [[0]], { ...defaults, weightDecay: 0.1, decoupled: true }).history[0]!, [1.98], 1e-9)
})

test('the Adam and AdamW optimizers apply the rule to every parameter with a gradient [x1]', () => {
  const a = tensor([1, -1], { requiresGrad: true })
  const opt = new Adam([a], { lr: 0.01 })
  a.mul(a).sum().backward()
  opt.step()
  assertClose(a.toArray(), [0.99, -0.99], 1e-6)
  const b = tensor([2], { requiresGrad: true })
  const optW = new AdamW([b], { lr: 0.1, weightDecay: 0.1 })
  b.mul(0).sum().backward()
  optW.step()
  assertClose(b.toArray(), [1.98], 1e-6)
})

// PyTorch's torch.optim.Adam / AdamW (the bias corrections folded into the step size), written out
// independently: the same numbers as Algorithm 1 up to rounding.
function pytorchAdam(w0: number[], grads: number[][], h: AdamHyper): number[][] {
  const w = [...w0]
  const m = w0.map(() => 0)
  const v = w0.map(() => 0)
  return grads.map((g, k) => {
    const t = k + 1
    const stepSize = h.lr / (1 - h.beta1 ** t)
    const root = Math.sqrt(1 - h.beta2 ** t)
    w.forEach((wi, i) => {
      if (h.decoupled) wi *= 1 - h.lr * h.weightDecay
      const gi = g[i]! + (h.decoupled ? 0 : h.weightDecay * w[i]!)
      m[i] = h.beta1 * m[i]! + (1 - h.beta1) * gi
      v[i] = h.beta2 * v[i]! + (1 - h.beta2) * gi * gi
      w[i] = wi - (stepSize * m[i]!) / (Math.sqrt(v[i]!) / root + h.eps)
    })
    return [...w]
  })
}

// Property tests: fast-check with a fixed seed per test (assertProperty).
import fc from 'fast-check'
import { assertProperty } from './support.ts'

const hyper = fc.record({
  lr: fc.double({ min: 0.001, max: 0.3, noNaN: true }),
  beta1: fc.constantFrom(0, 0.5, 0.9),
  beta2: fc.constantFrom(0.9, 0.99, 0.999),
  eps: fc.constantFrom(1e-8, 1e-4),
  weightDecay: fc.constantFrom(0, 0.01, 0.5),
  decoupled: fc.boolean(),
})
// Gradients of every scale, tiny ones included (there eps matters).
const gradient = fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -1e-4, max: 1e-4, noNaN: true }))
const steps = fc.integer({ min: 1, max: 3 }).chain((n) =>
  fc.tuple(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }), fc.array(fc.array(gradient, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 6 })),
)

test('every combination of betas, eps and both kinds of weight decay matches PyTorch over several steps [x3]', () => {
  assertProperty('6.2 adam matches PyTorch', fc.property(hyper, steps, (h, [w0, grads]) => {
    assertClose(run(w0, grads, h).history, pytorchAdam(w0, grads, h), 1e-9)
  }))
})

test.run()
