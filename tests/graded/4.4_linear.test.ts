import { test } from 'uvu'
import { randn, Rng, tensor } from '../../src/index.ts'
import { Linear } from '../../src/nn/index.ts'
import { linear } from '#kata/nn/linear'
import { assertClose, assertEqual, assertGradcheck, gradedFile } from './support.ts'

gradedFile('4.4', '#kata/nn/linear')

test('linear by hand: y = x W^T + b, W stored [out, in] [x3]', () => {
  const x = tensor([[1, 2], [3, 4]]) // 2 rows, 2 input features
  const w = tensor([[1, 0], [0, 1], [1, 1]]) // 3 output features
  const b = tensor([10, 20, 30])
  assertClose(linear(x, w, b).toArray(), [
    [11, 22, 33],
    [13, 24, 37],
  ], 1e-5, 'linear(x [[1, 2], [3, 4]], w [[1, 0], [0, 1], [1, 1]], b [10, 20, 30])')
})

test('linear without a bias [x2]', () => {
  const x = tensor([[1, 2, 3]])
  const w = tensor([[1, 1, 1], [1, -1, 0]])
  assertClose(linear(x, w, null).toArray(), [[6, -1]], 1e-5, 'linear(x [[1, 2, 3]], w [[1, 1, 1], [1, -1, 0]], null)')
})

test('leading axes are batch axes: [2, 3, in] -> [2, 3, out] [x2]', () => {
  const rng = new Rng(5)
  const x = randn([2, 3, 4], { rng })
  const w = randn([5, 4], { rng })
  const b = randn([5], { rng })
  const y = linear(x, w, b)
  assertEqual(y.shape, [2, 3, 5], 'the shape of linear(x [2, 3, 4], w [5, 4], b [5])')
  // Row (1, 2) of the output is the same affine map of row (1, 2) of the input.
  const row = linear(x.slice([1, 2], [2, 3]).reshape([1, 4]), w, b)
  assertClose(y.slice([1, 2], [2, 3]).reshape([1, 5]).toArray(), row.toArray(), 1e-5, 'row (1, 2) of linear(x [2, 3, 4]) against linear of that row alone')
})

test('gradcheck: linear with and without bias, batched [x2]', () => {
  const rng = new Rng(9)
  assertGradcheck((x, w, b) => linear(x, w, b), [randn([3, 4], { rng }), randn([2, 4], { rng }), randn([2], { rng })])
  assertGradcheck((x, w) => linear(x, w, null).tanh(), [randn([2, 3, 4], { rng }), randn([5, 4], { rng })])
})

test('the Linear layer runs through linear()', () => {
  const layer = new Linear({ inFeatures: 3, outFeatures: 2, seed: 1 })
  const x = randn([4, 3], { seed: 2 })
  assertClose(layer.forward(x).toArray(), linear(x, layer.weight, layer.bias).toArray(), 1e-5, 'Linear.forward(x) against linear(x, weight, bias)')
  assertClose(layer.forward(x).toArray(), x.matmul(layer.weight.transpose()).add(layer.bias!).toArray(), 1e-5, 'Linear.forward(x) against x W^T + b')
})

test.run()
