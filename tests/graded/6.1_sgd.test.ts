import { gradedFile } from './support.ts'
gradedFile('6.1', '#kata/nn/optim/sgd') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import { tensor } from '../../src/index.ts'
import { SGD } from '../../src/nn/optim/index.ts'
import { sgdUpdate, type SgdHyper } from '#kata/nn/optim/sgd'
import { assertClose } from './support.ts'

const plain: SgdHyper = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 }

/** Run `grads.length` updates of one parameter from w0; the parameter after each. */
function run(w0: number[], grads: number[][], h: SgdHyper): number[][] {
  const param = Float64Array.from(w0)
  const state = { step: 0, momentumBuffer: new Float64Array(w0.length) }
  return grads.map((g) => {
    state.step += 1
    sgdUpdate(param, g, state, h)
    return [...param]
  })
}

test('plain SGD: w - lr g [x1]', () => {
  assertClose(run([1, -2], [[0.5, -1], [1, 1]], plain), [[0.95, -1.9], [0.85, -2]])
})

test('weight decay adds weightDecay * w to the gradient [x2]', () => {
  // g' = 0 + 0.5 * 2 = 1, so w = 2 - 0.1 = 1.9
  assertClose(run([2], [[0]], { ...plain, weightDecay: 0.5 }), [[1.9]])
})

test('momentum: the buffer starts as the first gradient, then buf = momentum buf + g [x3]', () => {
  // buf: 1, then 0.9 + 1 = 1.9, then 1.71 + 1 = 2.71; w falls by 0.1 buf each step.
  assertClose(run([0], [[1], [1], [1]], { ...plain, momentum: 0.9 }), [[-0.1], [-0.29], [-0.561]])
})

test('the momentum buffer is kept in the state between calls [x2]', () => {
  const state = { step: 0, momentumBuffer: new Float64Array(1) }
  const param = new Float64Array(1)
  for (const g of [2, 4]) {
    state.step += 1
    sgdUpdate(param, [g], state, { ...plain, momentum: 0.5 })
  }
  // buf = 2, then 0.5 * 2 + 4 = 5
  assertClose([...state.momentumBuffer], [5])
})

test('dampening scales the new gradient after the first step: buf = momentum buf + (1 - dampening) g [x2]', () => {
  // buf: 1 (no dampening on the first step), then 0.9 + 0.5 = 1.4
  assertClose(run([0], [[1], [1]], { ...plain, momentum: 0.9, dampening: 0.5 }), [[-0.1], [-0.24]])
})

test('Nesterov steps along g + momentum buf [x2]', () => {
  // step 1: buf = 1, d = 1 + 0.9 = 1.9; step 2: buf = 1.9, d = 1 + 0.9 * 1.9 = 2.71
  assertClose(run([0], [[1], [1]], { ...plain, momentum: 0.9, nesterov: true }), [[-0.19], [-0.461]], 1e-9)
})

test('the SGD optimizer applies the rule to every parameter with a gradient [x1]', () => {
  const a = tensor([1, 2], { requiresGrad: true })
  const b = tensor([3], { requiresGrad: true })
  const opt = new SGD([a, b], { lr: 0.5, momentum: 0.9 })
  a.mul(a).sum().backward() // grad 2a = [2, 4]; b gets none and stays put
  opt.step()
  assertClose(a.toArray(), [0, 0])
  assertClose(b.toArray(), [3])
})

// PyTorch's torch.optim.SGD, written out independently, for the property test below.
function pytorchSgd(w0: number[], grads: number[][], h: SgdHyper): number[][] {
  const w = [...w0]
  let buf: number[] | null = null
  return grads.map((g) => {
    let d = g.map((gi, i) => gi + h.weightDecay * w[i]!)
    if (h.momentum !== 0) {
      buf = buf === null ? [...d] : buf.map((b, i) => h.momentum * b + (1 - h.dampening) * d[i]!)
      const b = buf
      d = h.nesterov ? d.map((di, i) => di + h.momentum * b[i]!) : [...b]
    }
    d.forEach((di, i) => (w[i] = w[i]! - h.lr * di))
    return [...w]
  })
}

// Property tests: fast-check with a fixed seed per test (assertProperty).
import fc from 'fast-check'
import { assertProperty } from './support.ts'

const hyper = fc.record({
  lr: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
  momentum: fc.constantFrom(0, 0.5, 0.9),
  dampening: fc.constantFrom(0, 0.1, 0.5),
  nesterov: fc.boolean(),
  weightDecay: fc.constantFrom(0, 0.01, 0.3),
})
const steps = fc.integer({ min: 1, max: 3 }).chain((n) =>
  fc.tuple(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }), fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 6 })),
)

test('every combination of momentum, dampening, Nesterov and weight decay matches PyTorch over several steps [x3]', () => {
  assertProperty('6.1 sgd matches PyTorch', fc.property(hyper, steps, (h, [w0, grads]) => {
    // Nesterov needs momentum and no dampening, as PyTorch requires.
    const valid = { ...h, nesterov: h.nesterov && h.momentum > 0, dampening: h.nesterov ? 0 : h.dampening }
    assertClose(run(w0, grads, valid), pytorchSgd(w0, grads, valid), 1e-9)
  }))
})

test.run()
