import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { tensor, randn, Rng } from '../../src/index.ts'
import { matmulBackward } from '#kata/autograd/backward_matmul'
import { assertClose, assertGradcheck } from './support.ts'

test('matmulBackward: grad @ b^T and a^T @ grad on a small case', () => {
  const a = tensor([[1, 2], [3, 4], [5, 6]]) // [3, 2]
  const b = tensor([[1, 0, 2], [0, 1, 3]]) // [2, 3]
  const grad = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
  const [ga, gb] = matmulBackward(grad, a, b)
  assertClose(ga!.toArray(), [[1, 0], [0, 1], [2, 3]])
  assertClose(gb!.toArray(), [[1, 3, 5], [2, 4, 6]])
})

test('matmulBackward skips the product an input does not need (needs[i] false gives null)', () => {
  const a = tensor([[1, 2], [3, 4], [5, 6]])
  const b = tensor([[1, 0, 2], [0, 1, 3]])
  const grad = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
  const [ga, gb] = matmulBackward(grad, a, b, [false, true])
  assert.is(ga, null)
  assertClose(gb!.toArray(), [[1, 3, 5], [2, 4, 6]])
  const [ga2, gb2] = matmulBackward(grad, a, b, [true, false])
  assertClose(ga2!.toArray(), [[1, 0], [0, 1], [2, 3]])
  assert.is(gb2, null)
})

test('through backward(): a data batch that does not require grad gets none, the weight does', () => {
  const x = tensor([[1, 2], [3, 4]])
  const w = tensor([[5, 6], [7, 8]], { requiresGrad: true })
  x.matmul(w).sum().backward()
  assert.is(x.grad, null)
  assertClose(w.grad!.toArray(), [[4, 4], [6, 6]])
})

test('matmul through backward(): the gradient of sum(a @ b)', () => {
  const a = tensor([[1, 2], [3, 4]], { requiresGrad: true })
  const b = tensor([[5, 6], [7, 8]], { requiresGrad: true })
  a.matmul(b).sum().backward()
  assertClose(a.grad!.toArray(), [[11, 15], [11, 15]])
  assertClose(b.grad!.toArray(), [[4, 4], [6, 6]])
})

test('gradcheck: 2-D and batched, with a broadcast batch axis', () => {
  const rng = new Rng(11)
  assertGradcheck((a, b) => a.matmul(b), [randn([3, 4], { rng }), randn([4, 2], { rng })])
  assertGradcheck((a, b) => a.matmul(b), [randn([2, 3, 4], { rng }), randn([4, 5], { rng })])
  assertGradcheck((a, b) => a.matmul(b), [randn([2, 1, 3, 2], { rng }), randn([3, 2, 4], { rng })])
})

test.run()
