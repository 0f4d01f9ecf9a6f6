import { test } from 'uvu'
import { tensor, randn, Rng } from '../../src/index.ts'
import type { Tensor } from '../../src/index.ts'
import { assertClose, assertGradcheck, gradedFile } from './support.ts'

gradedFile('2.3', '#kata/autograd/backward_unary')

const x = () => randn([2, 5], { rng: new Rng(3) })
const positive = () => randn([2, 5], { rng: new Rng(4) }).abs().add(0.1)

function gradOf(values: number[], f: (t: Tensor) => Tensor): number[] {
  const t = tensor(values, { requiresGrad: true })
  f(t).sum().backward()
  return Array.from(t.grad!.toTypedArray())
}

test('exp: the derivative is exp itself [x2]', () => {
  assertClose(gradOf([0, 1, -1], (t) => t.exp()), [1, Math.E, 1 / Math.E], 1e-5, 'the gradient of sum(exp(x)) at x = [0, 1, -1]')
  assertGradcheck((t) => t.exp(), [x()])
})

test('log: 1/x [x2]', () => {
  assertClose(gradOf([1, 2, 0.5], (t) => t.log()), [1, 0.5, 2], 1e-5, 'the gradient of sum(log(x)) at x = [1, 2, 0.5]')
  assertGradcheck((t) => t.log(), [positive()])
})

test('sigmoid: s(1-s) [x2]', () => {
  const s = (v: number) => 1 / (1 + Math.exp(-v))
  assertClose(gradOf([0, 2, -3], (t) => t.sigmoid()), [0.25, s(2) * (1 - s(2)), s(-3) * (1 - s(-3))], 1e-5, 'the gradient of sum(sigmoid(x)) at x = [0, 2, -3]')
  assertGradcheck((t) => t.sigmoid(), [x()])
})

test('tanh: 1 - tanh^2 [x2]', () => {
  assertClose(gradOf([0, 0.5, -2], (t) => t.tanh()), [1, 1 - Math.tanh(0.5) ** 2, 1 - Math.tanh(-2) ** 2], 1e-5, 'the gradient of sum(tanh(x)) at x = [0, 0.5, -2]')
  assertGradcheck((t) => t.tanh(), [x()])
})

test('relu: 1 where x > 0, else 0 (0 at exactly 0) [x2]', () => {
  assertClose(gradOf([-2, 0, 3], (t) => t.relu()), [0, 0, 1], 1e-5, 'the gradient of sum(relu(x)) at x = [-2, 0, 3]')
  assertGradcheck((t) => t.relu(), [tensor([[-1.5, 0.7, 2], [0.3, -0.2, -4]])])
})

test('a composition of all five', () => {
  assertGradcheck((t) => t.tanh().exp().add(t.sigmoid()).relu().add(1).log(), [x()])
})

test.run()
