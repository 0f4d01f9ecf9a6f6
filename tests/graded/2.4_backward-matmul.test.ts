import { test } from 'uvu'
import { tensor, randn, Rng } from '../../src/index.ts'
import { matmulBackward } from '#kata/autograd/backward_matmul'
import { assertClose, assertGradcheck, assertSame, gradedFile } from './support.ts'

gradedFile('2.4', '#kata/autograd/backward_matmul')

test('matmulBackward: grad @ b^T and a^T @ grad on a small case [x3]', () => {
  const a = tensor([[1, 2], [3, 4], [5, 6]]) // [3, 2]
  const b = tensor([[1, 0, 2], [0, 1, 3]]) // [2, 3]
  const grad = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
  const [ga, gb] = matmulBackward(grad, a, b)
  assertClose(ga!.toArray(), [[1, 0], [0, 1], [2, 3]])
  assertClose(gb!.toArray(), [[1, 3, 5], [2, 4, 6]])
})

test('matmulBackward skips the product an input does not need (needs[i] false gives null) [x2]', () => {
  const a = tensor([[1, 2], [3, 4], [5, 6]])
  const b = tensor([[1, 0, 2], [0, 1, 3]])
  const grad = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
  const [ga, gb] = matmulBackward(grad, a, b, [false, true])
  assertSame(ga, null, 'the gradient of a with needs [false, true]')
  assertClose(gb!.toArray(), [[1, 3, 5], [2, 4, 6]])
  const [ga2, gb2] = matmulBackward(grad, a, b, [true, false])
  assertClose(ga2!.toArray(), [[1, 0], [0, 1], [2, 3]])
  assertSame(gb2, null, 'the gradient of b with needs [true, false]')
})

test('through backward(): a data batch that does not require grad gets none, the weight does', () => {
  const x = tensor([[1, 2], [3, 4]])
  const w = tensor([[5, 6], [7, 8]], { requiresGrad: true })
  x.matmul(w).sum().backward()
  assertSame(x.grad, null, 'x.grad of a data batch that does not require grad')
  assertClose(w.grad!.toArray(), [[4, 4], [6, 6]])
})

test('matmul through backward(): the gradient of sum(a @ b) [x2]', () => {
  const a = tensor([[1, 2], [3, 4]], { requiresGrad: true })
  const b = tensor([[5, 6], [7, 8]], { requiresGrad: true })
  a.matmul(b).sum().backward()
  assertClose(a.grad!.toArray(), [[11, 15], [11, 15]])
  assertClose(b.grad!.toArray(), [[4, 4], [6, 6]])
})

test('gradcheck: 2-D, non-square [x2]', () => {
  const rng = new Rng(11)
  assertGradcheck((a, b) => a.matmul(b), [randn([3, 4], { rng }), randn([4, 2], { rng })], 'gradcheck of a [3, 4] @ b [4, 2]')
})

test('gradcheck: batched, with a batch axis broadcast on either side (unbroadcast) [x3]', () => {
  const rng = new Rng(12)
  assertGradcheck((a, b) => a.matmul(b), [randn([2, 3, 4], { rng }), randn([4, 5], { rng })], 'gradcheck of a [2, 3, 4] @ b [4, 5]')
  assertGradcheck((a, b) => a.matmul(b), [randn([2, 1, 3, 2], { rng }), randn([3, 2, 4], { rng })], 'gradcheck of a [2, 1, 3, 2] @ b [3, 2, 4]')
})

test.run()
