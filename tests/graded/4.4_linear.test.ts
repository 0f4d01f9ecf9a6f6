import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randn, Rng, tensor } from '../../src/index.ts'
import { Linear } from '../../src/nn/index.ts'
import { linear } from '#kata/nn/linear'
import { assertClose, assertGradcheck } from './support.ts'

test('linear by hand: y = x W^T + b, W stored [out, in]', () => {
  const x = tensor([[1, 2], [3, 4]]) // 2 rows, 2 input features
  const w = tensor([[1, 0], [0, 1], [1, 1]]) // 3 output features
  const b = tensor([10, 20, 30])
  assertClose(linear(x, w, b).toArray(), [
    [11, 22, 33],
    [13, 24, 37],
  ])
})

test('linear without a bias', () => {
  const x = tensor([[1, 2, 3]])
  const w = tensor([[1, 1, 1], [1, -1, 0]])
  assertClose(linear(x, w, null).toArray(), [[6, -1]])
})

test('leading axes are batch axes: [2, 3, in] -> [2, 3, out]', () => {
  const rng = new Rng(5)
  const x = randn([2, 3, 4], { rng })
  const w = randn([5, 4], { rng })
  const b = randn([5], { rng })
  const y = linear(x, w, b)
  assert.equal(y.shape, [2, 3, 5])
  // Row (1, 2) of the output is the same affine map of row (1, 2) of the input.
  const row = linear(x.slice([1, 2], [2, 3]).reshape([1, 4]), w, b)
  assertClose(y.slice([1, 2], [2, 3]).reshape([1, 5]).toArray(), row.toArray())
})

test('gradcheck: linear with and without bias, batched', () => {
  const rng = new Rng(9)
  assertGradcheck((x, w, b) => linear(x, w, b), [randn([3, 4], { rng }), randn([2, 4], { rng }), randn([2], { rng })])
  assertGradcheck((x, w) => linear(x, w, null).tanh(), [randn([2, 3, 4], { rng }), randn([5, 4], { rng })])
})

test('the Linear layer runs through linear()', () => {
  const layer = new Linear({ inFeatures: 3, outFeatures: 2, seed: 1 })
  const x = randn([4, 3], { seed: 2 })
  assertClose(layer.forward(x).toArray(), linear(x, layer.weight, layer.bias).toArray())
  assertClose(layer.forward(x).toArray(), x.matmul(layer.weight.transpose()).add(layer.bias!).toArray())
})

test.run()
