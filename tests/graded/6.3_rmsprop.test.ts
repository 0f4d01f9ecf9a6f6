import { gradedFile } from './support.ts'
gradedFile('6.3', '#kata/nn/optim/rmsprop') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import { tensor } from '../../src/index.ts'
import { RMSprop } from '../../src/nn/optim/index.ts'
import { rmspropUpdate, type RmspropHyper } from '#kata/nn/optim/rmsprop'
import { assertClose } from './support.ts'

const defaults: RmspropHyper = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false }

function run(w0: number[], grads: number[][], h: RmspropHyper) {
  const n = w0.length
  const param = Float64Array.from(w0)
  const state = {
    step: 0,
    squareAvg: new Float64Array(n),
    gradAvg: h.centered ? new Float64Array(n) : null,
    momentumBuffer: h.momentum > 0 ? new Float64Array(n) : null,
  }
  const history = grads.map((g) => {
    state.step += 1
    rmspropUpdate(param, g, state, h)
    return [...param]
  })
  return { history, state }
}

test('the first step: s = 0.01 g^2, so the step is lr g / (0.1 |g| + eps), about 10 lr [x2]', () => {
  const { history, state } = run([1, 1], [[2, -0.5]], defaults)
  assertClose([...state.squareAvg], [0.04, 0.0025], 1e-9)
  assertClose(history[0]!, [1 - (0.01 * 2) / (0.2 + 1e-8), 1 + (0.01 * 0.5) / (0.05 + 1e-8)], 1e-9)
})

test('the second step: s = 0.99 * 0.01 g^2 + 0.01 g^2 = 0.0199 g^2 [x2]', () => {
  const { history } = run([0], [[1], [1]], defaults)
  const first = -0.01 / (0.1 + 1e-8)
  assertClose(history[1]!, [first - 0.01 / (Math.sqrt(0.0199) + 1e-8)], 1e-9)
})

test('centered: divide by the running standard deviation sqrt(s - a^2) [x2]', () => {
  const { history, state } = run([0], [[1]], { ...defaults, centered: true })
  // a = 0.01, s = 0.01: sqrt(0.01 - 0.0001)
  assertClose([...state.gradAvg!], [0.01], 1e-12)
  assertClose(history[0]!, [-0.01 / (Math.sqrt(0.0099) + 1e-8)], 1e-9)
})

test('momentum: buf = momentum buf + g / denominator, and w -= lr buf [x2]', () => {
  const { history, state } = run([0], [[1], [1]], { ...defaults, momentum: 0.9 })
  const d1 = 1 / (0.1 + 1e-8)
  const d2 = 1 / (Math.sqrt(0.0199) + 1e-8)
  assertClose([...state.momentumBuffer!], [0.9 * d1 + d2], 1e-9)
  assertClose(history.map((w) => w[0]!), [-0.01 * d1, -0.01 * d1 - 0.01 * (0.9 * d1 + d2)], 1e-9)
})

test('weight decay adds weightDecay * w to the gradient first [x1]', () => {
  // g' = 0 + 0.5 * 2 = 1: the same first step as a gradient of 1.
  assertClose(run([2], [[0]], { ...defaults, weightDecay: 0.5 }).history[0]!, [2 - 0.01 / (0.1 + 1e-8)], 1e-9)
})

test('eps is added after the square root: a tiny gradient of 1e-5 steps by lr * 1e-5 / (1e-6 + eps) [x1]', () => {
  // s = 0.01 * 1e-10 = 1e-12, sqrt(s) = 1e-6; eps = 1e-6 doubles the denominator (inside the root it would barely count)
  assertClose(run([0], [[1e-5]], { ...defaults, eps: 1e-6 }).history[0]!, [(-0.01 * 1e-5) / (1e-6 + 1e-6)], 1e-12)
})

test('the RMSprop optimizer applies the rule to every parameter with a gradient [x1]', () => {
  const a = tensor([1, -1], { requiresGrad: true })
  const opt = new RMSprop([a], { lr: 0.01 })
  a.mul(a).sum().backward()
  opt.step()
  assertClose(a.toArray(), [0.9, -0.9], 1e-5)
})

// PyTorch's torch.optim.RMSprop, written out independently, for the property test below.
function pytorchRmsprop(w0: number[], grads: number[][], h: RmspropHyper): number[][] {
  const w = [...w0]
  const s = w0.map(() => 0)
  const a = w0.map(() => 0)
  const buf = w0.map(() => 0)
  return grads.map((g) => {
    w.forEach((wi, i) => {
      const gi = g[i]! + h.weightDecay * wi
      s[i] = h.alpha * s[i]! + (1 - h.alpha) * gi * gi
      let variance = s[i]!
      if (h.centered) {
        a[i] = h.alpha * a[i]! + (1 - h.alpha) * gi
        variance -= a[i]! * a[i]!
      }
      const denominator = Math.sqrt(variance) + h.eps
      if (h.momentum > 0) {
        buf[i] = h.momentum * buf[i]! + gi / denominator
        w[i] = wi - h.lr * buf[i]!
      } else w[i] = wi - (h.lr * gi) / denominator
    })
    return [...w]
  })
}

// Property tests: fast-check with a fixed seed per test (assertProperty).
import fc from 'fast-check'
import { assertProperty } from './support.ts'

const hyper = fc.record({
  lr: fc.double({ min: 0.001, max: 0.1, noNaN: true }),
  alpha: fc.constantFrom(0.9, 0.99),
  eps: fc.constantFrom(1e-8, 1e-3),
  weightDecay: fc.constantFrom(0, 0.01, 0.5),
  momentum: fc.constantFrom(0, 0.5, 0.9),
  centered: fc.boolean(),
})
const steps = fc.integer({ min: 1, max: 3 }).chain((n) =>
  fc.tuple(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }), fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 6 })),
)

test('every combination of centered, momentum, eps and weight decay matches PyTorch over several steps [x3]', () => {
  assertProperty('6.3 rmsprop matches PyTorch', fc.property(hyper, steps, (h, [w0, grads]) => {
    assertClose(run(w0, grads, h).history, pytorchRmsprop(w0, grads, h), 1e-9)
  }))
})

test.run()
