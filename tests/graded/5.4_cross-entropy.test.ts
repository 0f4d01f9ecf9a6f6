import { test } from 'uvu'
import { tensor, randn, Rng } from '../../src/index.ts'
import { crossEntropy, nll } from '../../src/nn/losses.ts'
import { crossEntropyPerSample, nllPerSample } from '#kata/nn/losses/cross_entropy'
import { assertClose, assertGradcheck, gradedFile } from './support.ts'

gradedFile('5.4', '#kata/nn/losses/cross_entropy')

test('nllPerSample picks -logProbs[n, label_n] [x3]', () => {
  const logProbs = tensor([[-1, -2, -3], [-0.5, -4, -6]])
  assertClose(nllPerSample(logProbs, [2, 1]).toArray(), [3, 4], 1e-5, 'nllPerSample([[-1, -2, -3], [-0.5, -4, -6]], labels [2, 1])')
  assertClose(nll(logProbs, [2, 2]).item(), 4.5, 1e-5, 'nll(the same log-probabilities, labels [2, 2]) (the mean)')
})

test('nllPerSample: the one-hot width is the number of classes, even when a batch lacks the last class [x3]', () => {
  const logProbs = tensor([[-1, -2, -3], [-0.5, -4, -6]])
  assertClose(nllPerSample(logProbs, [1, 0]).toArray(), [2, 0.5], 1e-5, 'nllPerSample([[-1, -2, -3], [-0.5, -4, -6]], labels [1, 0]) (3 classes, no label 2)')
  assertClose(nllPerSample(tensor([[-1, -2, -3, -4]]), [0]).toArray(), [1], 1e-5, 'nllPerSample([[-1, -2, -3, -4]], labels [0]) (4 classes)')
})

test('crossEntropyPerSample: log(sum(exp(logits))) - logits[label] [x3]', () => {
  const logits = tensor([[0, 0], [1, 2], [3, 1]])
  const lse = (xs: number[]) => Math.log(xs.reduce((a, x) => a + Math.exp(x), 0))
  assertClose(crossEntropyPerSample(logits, [0, 1, 1]).toArray(), [Math.log(2), lse([1, 2]) - 2, lse([3, 1]) - 1], 1e-6, 'crossEntropyPerSample(logits [[0, 0], [1, 2], [3, 1]], labels [0, 1, 1])')
})

test('crossEntropyPerSample stays finite for huge logits (a naive softmax would overflow) [x4]', () => {
  assertClose(crossEntropyPerSample(tensor([[1000, 0], [0, 1000]]), [1, 1]).toArray(), [1000, 0], 1e-6, 'crossEntropyPerSample(logits [[1000, 0], [0, 1000]], labels [1, 1])')
})

test('crossEntropy: the gradient is (softmax - onehot) / N, and gradcheck agrees [x2]', () => {
  const logits = tensor([[0, 0], [0, Math.log(3)]], { requiresGrad: true })
  crossEntropy(logits, [0, 1]).backward()
  // softmax rows: [1/2, 1/2] and [1/4, 3/4]; minus the one-hot labels, over N = 2.
  assertClose(logits.grad!.toArray(), [[-0.25, 0.25], [0.125, -0.125]], 1e-6)
  const rng = new Rng(3)
  assertGradcheck((x) => crossEntropy(x, [2, 0, 1]), [randn([3, 4], { rng })])
  assertGradcheck((x) => nll(x.logSoftmax(1), [3, 3, 0], { reduction: 'sum' }), [randn([3, 4], { rng })])
})

test.run()
