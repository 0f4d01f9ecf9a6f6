import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { tensor, randn, Rng } from '../../src/index.ts'
import { crossEntropy, nll } from '../../src/nn/losses.ts'
import { crossEntropyPerSample, nllPerSample } from '#kata/nn/losses/cross_entropy'
import { assertClose, assertGradcheck } from './support.ts'

test('nllPerSample picks -logProbs[n, label_n]', () => {
  const logProbs = tensor([[-1, -2, -3], [-0.5, -4, -6]])
  assertClose(nllPerSample(logProbs, [1, 0]).toArray(), [2, 0.5])
  assertClose(nll(logProbs, [2, 2]).item(), 4.5)
})

test('crossEntropyPerSample: log(sum(exp(logits))) - logits[label]', () => {
  const logits = tensor([[0, 0], [1, 2], [3, 1]])
  const lse = (xs: number[]) => Math.log(xs.reduce((a, x) => a + Math.exp(x), 0))
  assertClose(crossEntropyPerSample(logits, [0, 1, 1]).toArray(), [Math.log(2), lse([1, 2]) - 2, lse([3, 1]) - 1], 1e-6)
})

test('crossEntropyPerSample stays finite for huge logits (a naive softmax would overflow)', () => {
  const values = crossEntropyPerSample(tensor([[1000, 0], [0, 1000]]), [1, 1]).toArray() as number[]
  for (const v of values) assert.ok(Number.isFinite(v), `expected finite losses, got ${JSON.stringify(values)}`)
  assertClose(values, [1000, 0], 1e-6)
})

test('crossEntropy: the gradient is (softmax - onehot) / N, and gradcheck agrees', () => {
  const logits = tensor([[0, 0], [0, Math.log(3)]], { requiresGrad: true })
  crossEntropy(logits, [0, 1]).backward()
  // softmax rows: [1/2, 1/2] and [1/4, 3/4]; minus the one-hot labels, over N = 2.
  assertClose(logits.grad!.toArray(), [[-0.25, 0.25], [0.125, -0.125]], 1e-6)
  const rng = new Rng(3)
  assertGradcheck((x) => crossEntropy(x, [2, 0, 1]), [randn([3, 4], { rng })])
  assertGradcheck((x) => nll(x.logSoftmax(1), [3, 3, 0], { reduction: 'sum' }), [randn([3, 4], { rng })])
})

test.run()
