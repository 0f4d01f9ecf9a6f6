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

test('the first step: s = 0.01 g^2, so the step is lr g / (0.1 |g| + eps), about 10 lr', () => {
  const { history, state } = run([1, 1], [[2, -0.5]], defaults)
  assertClose([...state.squareAvg], [0.04, 0.0025], 1e-9)
  assertClose(history[0]!, [1 - (0.01 * 2) / (0.2 + 1e-8), 1 + (0.01 * 0.5) / (0.05 + 1e-8)], 1e-9)
})

test('the second step: s = 0.99 * 0.01 g^2 + 0.01 g^2 = 0.0199 g^2', () => {
  const { history } = run([0], [[1], [1]], defaults)
  const first = -0.01 / (0.1 + 1e-8)
  assertClose(history[1]!, [first - 0.01 / (Math.sqrt(0.0199) + 1e-8)], 1e-9)
})

test('centered: divide by the running standard deviation sqrt(s - a^2)', () => {
  const { history, state } = run([0], [[1]], { ...defaults, centered: true })
  // a = 0.01, s = 0.01: sqrt(0.01 - 0.0001)
  assertClose([...state.gradAvg!], [0.01], 1e-12)
  assertClose(history[0]!, [-0.01 / (Math.sqrt(0.0099) + 1e-8)], 1e-9)
})

test('momentum: buf = momentum buf + g / denominator, and w -= lr buf', () => {
  const { history, state } = run([0], [[1], [1]], { ...defaults, momentum: 0.9 })
  const d1 = 1 / (0.1 + 1e-8)
  const d2 = 1 / (Math.sqrt(0.0199) + 1e-8)
  assertClose([...state.momentumBuffer!], [0.9 * d1 + d2], 1e-9)
  assertClose(history.map((w) => w[0]!), [-0.01 * d1, -0.01 * d1 - 0.01 * (0.9 * d1 + d2)], 1e-9)
})

test('weight decay adds weightDecay * w to the gradient first', () => {
  // g' = 0 + 0.5 * 2 = 1: the same first step as a gradient of 1.
  assertClose(run([2], [[0]], { ...defaults, weightDecay: 0.5 }).history[0]!, [2 - 0.01 / (0.1 + 1e-8)], 1e-9)
})

test('the RMSprop optimizer applies the rule to every parameter with a gradient', () => {
  const a = tensor([1, -1], { requiresGrad: true })
  const opt = new RMSprop([a], { lr: 0.01 })
  a.mul(a).sum().backward()
  opt.step()
  assertClose(a.toArray(), [0.9, -0.9], 1e-5)
})

test.run()
