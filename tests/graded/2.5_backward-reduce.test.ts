import { test } from 'uvu'
import { tensor, randn, Rng } from '../../src/index.ts'
import { meanBackward, sumBackward } from '#kata/autograd/backward_reduce'
import { assertClose, assertGradcheck, gradedFile } from './support.ts'

gradedFile('2.5', '#kata/autograd/backward_reduce')

test('sumBackward: every element gets the gradient of its sum [x3]', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]])
  assertClose(sumBackward(tensor([10, 20]), x, [2, 1]).toArray(), [[10, 10, 10], [20, 20, 20]], 1e-5, 'sumBackward(grad [10, 20], x [2, 3], keptShape [2, 1])')
  assertClose(sumBackward(tensor(7), x, [1, 1]).toArray(), [[7, 7, 7], [7, 7, 7]], 1e-5, 'sumBackward(grad 7, x [2, 3], keptShape [1, 1])')
})

test('meanBackward: the gradient divided by the count [x3]', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]])
  assertClose(meanBackward(tensor([3, 6, 9]), x, [1, 3]).toArray(), [[1.5, 3, 4.5], [1.5, 3, 4.5]], 1e-5, 'meanBackward(grad [3, 6, 9], x [2, 3], keptShape [1, 3])')
  assertClose(meanBackward(tensor(6), x, [1, 1]).toArray(), [[1, 1, 1], [1, 1, 1]], 1e-5, 'meanBackward(grad 6, x [2, 3], keptShape [1, 1])')
})

test('sum and mean through backward(), with and without keepDims [x2]', () => {
  const x = tensor([[1, 2], [3, 4]], { requiresGrad: true })
  x.sum(1).mul(tensor([1, 2])).sum().backward()
  assertClose(x.grad!.toArray(), [[1, 1], [2, 2]], 1e-5, 'x.grad of sum(x.sum(1) * [1, 2])')
  x.zeroGrad()
  x.mean(0, true).mul(tensor([[2, 4]])).sum().backward()
  assertClose(x.grad!.toArray(), [[1, 2], [1, 2]], 1e-5, 'x.grad of sum(x.mean(0, keepDims) * [[2, 4]])')
})

test('gradcheck: sums and means over several axes', () => {
  const rng = new Rng(5)
  const x = randn([2, 3, 4], { rng })
  assertGradcheck((t) => t.sum([0, 2]).exp(), [x])
  assertGradcheck((t) => t.mean(1, true).mul(t), [x])
  assertGradcheck((t) => t.mean().add(t.sum(-1).mean()), [x])
})

test.run()
