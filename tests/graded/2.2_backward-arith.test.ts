import { test } from 'uvu'
import { randn, tensor, Rng } from '../../src/index.ts'
import { addBackward, divBackward, mulBackward, unbroadcast } from '#kata/autograd/backward_arith'
import { assertClose, assertGradcheck, gradedFile } from './support.ts'

gradedFile('2.2', '#kata/autograd/backward_arith')

test('unbroadcast: sums the leading axes and the size-1 axes [x4]', () => {
  const g = tensor([[1, 2, 3], [4, 5, 6]])
  assertClose(unbroadcast(g, [3]).toArray(), [5, 7, 9], 1e-5, 'unbroadcast(grad [[1, 2, 3], [4, 5, 6]], [3])')
  assertClose(unbroadcast(g, [2, 1]).toArray(), [[6], [15]], 1e-5, 'unbroadcast(grad [[1, 2, 3], [4, 5, 6]], [2, 1])')
  assertClose(unbroadcast(g, [1, 1]).toArray(), [[21]], 1e-5, 'unbroadcast(grad, [1, 1])')
  assertClose(unbroadcast(g, []).toArray(), 21, 1e-5, 'unbroadcast(grad, []) (a scalar)')
  assertClose(unbroadcast(g, [2, 3]).toArray(), [[1, 2, 3], [4, 5, 6]], 1e-5, 'unbroadcast(grad, [2, 3]) (nothing to sum)')
})

test('addBackward: the gradient passes through to both inputs [x2]', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]])
  const b = tensor([10, 20, 30])
  const [ga, gb] = addBackward(tensor([[1, 1, 1], [2, 2, 2]]), a, b)
  assertClose(ga.toArray(), [[1, 1, 1], [2, 2, 2]], 1e-5, 'addBackward: the gradient of a [2, 3]')
  assertClose(gb.toArray(), [3, 3, 3], 1e-5, 'addBackward: the gradient of b [3] (broadcast over 2 rows)')
})

test('mulBackward: each input gets grad times the other [x2]', () => {
  const a = tensor([1, 2, 3])
  const b = tensor([4, 5, 6])
  const [ga, gb] = mulBackward(tensor([1, 10, 100]), a, b)
  assertClose(ga.toArray(), [4, 50, 600], 1e-5, 'mulBackward: the gradient of a = [1, 2, 3] (b = [4, 5, 6], grad [1, 10, 100])')
  assertClose(gb.toArray(), [1, 20, 300], 1e-5, 'mulBackward: the gradient of b')
})

test('divBackward: 1/b and -a/b^2 [x2]', () => {
  const [ga, gb] = divBackward(tensor([1, 1]), tensor([3, 8]), tensor([2, 4]))
  assertClose(ga.toArray(), [0.5, 0.25], 1e-5, 'divBackward: the gradient of a = [3, 8] (b = [2, 4], grad 1)')
  assertClose(gb.toArray(), [-0.75, -0.5], 1e-5, 'divBackward: the gradient of b')
})

test('broadcast add and mul through backward(): gradients have the input shapes [x2]', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true })
  const b = tensor([[2], [3]], { requiresGrad: true })
  a.mul(b).add(b).sum().backward()
  assertClose(a.grad!.toArray(), [[2, 2, 2], [3, 3, 3]], 1e-5, 'a.grad of sum(a * b + b), a [2, 3], b [2, 1]')
  assertClose(b.grad!.toArray(), [[9], [18]], 1e-5, 'b.grad of sum(a * b + b), b [2, 1]')
})

test('gradcheck: add, mul and div with broadcasting [x2]', () => {
  const rng = new Rng(7)
  const a = randn([3, 4], { rng })
  const b = randn([4], { rng })
  const c = randn([3, 1], { rng }).abs().add(0.5)
  assertGradcheck((a, b, c) => a.add(b).mul(c).div(c.add(b.exp())), [a, b, c])
})

test.run()
