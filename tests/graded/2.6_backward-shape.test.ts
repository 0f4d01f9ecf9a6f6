import { test } from 'uvu'
import { tensor, randn, Rng } from '../../src/index.ts'
import { permuteBackward, reshapeBackward } from '#kata/autograd/backward_shape'
import { assertClose, assertEqual, assertGradcheck, gradedFile } from './support.ts'

gradedFile('2.6', '#kata/autograd/backward_shape')

test('reshapeBackward: the gradient goes back to the input shape [x2]', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]])
  assertClose(reshapeBackward(tensor([1, 2, 3, 4, 5, 6]), x).toArray(), [[1, 2, 3], [4, 5, 6]], 1e-5, 'reshapeBackward(grad [6], x [2, 3])')
})

test('permuteBackward: the inverse permutation [x3]', () => {
  const grad = randn([2, 3, 4], { rng: new Rng(1) }) // the gradient of x.permute(1, 2, 0) for x [4, 2, 3]
  const back = permuteBackward(grad, [1, 2, 0])
  assertEqual(back.shape, [4, 2, 3], 'the shape of permuteBackward(grad [2, 3, 4], [1, 2, 0])')
  assertClose(back.get(3, 1, 2), grad.get(1, 2, 3), 1e-6, 'element (3, 1, 2) of the result, which must be element (1, 2, 3) of grad')
  assertClose(permuteBackward(tensor([[1, 2], [3, 4]]), [1, 0]).toArray(), [[1, 3], [2, 4]], 1e-5, 'permuteBackward(grad [[1, 2], [3, 4]], [1, 0])')
})

test('gradcheck: reshape, transpose and permute in a chain', () => {
  const rng = new Rng(9)
  const x = randn([2, 3, 4], { rng })
  const w = randn([4, 5], { rng })
  assertGradcheck((x, w) => x.permute(2, 0, 1).reshape(4, 6).transpose().matmul(w).square().reshape(-1, 2).transpose(0, 1), [x, w])
})

test.run()
