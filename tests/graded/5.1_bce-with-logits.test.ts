import { test } from 'uvu'
import { tensor, randn, rand, Rng } from '../../src/index.ts'
import { bceWithLogits } from '../../src/nn/losses.ts'
import { bceWithLogitsBackward, bceWithLogitsForward } from '#kata/nn/losses/bce_with_logits'
import { assertClose, assertGradcheck, gradedFile } from './support.ts'

gradedFile('5.1', '#kata/nn/losses/bce_with_logits')

test('bceWithLogitsForward: max(x, 0) - x z + log(1 + exp(-|x|)) on small values [x3]', () => {
  const x = tensor([0, 2, -3, 1])
  const z = tensor([1, 0, 1, 0.25])
  // By hand: x = 0 gives log 2 whatever z is; x = 2, z = 0 gives 2 + log(1 + e^-2); x = -3, z = 1
  // gives 3 + log(1 + e^-3); x = 1, z = 0.25 gives 1 - 0.25 + log(1 + e^-1).
  const expected = [Math.log(2), 2 + Math.log1p(Math.exp(-2)), 3 + Math.log1p(Math.exp(-3)), 0.75 + Math.log1p(Math.exp(-1))]
  assertClose(bceWithLogitsForward(x, z).toArray(), expected, 1e-5, 'bceWithLogitsForward(x [0, 2, -3, 1], z [1, 0, 1, 0.25])')
})

test('bceWithLogitsForward agrees with -(z log sigmoid(x) + (1 - z) log(1 - sigmoid(x))) where that is finite', () => {
  const rng = new Rng(5)
  const x = randn([4, 5], { rng, dtype: 'float64' }).mul(3)
  const z = rand([4, 5], { rng, dtype: 'float64' })
  const p = x.sigmoid()
  const naive = z.mul(p.log()).add(z.neg().add(1).mul(p.neg().add(1).log())).neg()
  assertClose(bceWithLogitsForward(x, z).toArray(), naive.toArray(), 1e-9)
})

test('bceWithLogitsForward stays finite (and right) at logits of +-100 [x4]', () => {
  const x = tensor([100, -100, 100, -100])
  const z = tensor([0, 1, 1, 0])
  // A confident wrong answer costs |x|; a confident right one costs about e^-100, which is 0 here.
  assertClose(bceWithLogitsForward(x, z).toArray(), [100, 100, 0, 0], 1e-6, 'bceWithLogitsForward(x [100, -100, 100, -100], z [0, 1, 1, 0])')
})

test('bceWithLogitsBackward: sigmoid(x) - z for x and -x for z, times grad [x3]', () => {
  const x = tensor([0, Math.log(3), -100])
  const z = tensor([1, 0, 0])
  const grad = tensor([1, 2, 1])
  const [dx, dz] = bceWithLogitsBackward(grad, x, z)
  // sigmoid(0) = 1/2; sigmoid(log 3) = 3/4; sigmoid(-100) is about 0.
  assertClose(dx.toArray(), [-0.5, 1.5, 0], 1e-6, 'dL/dx at x [0, log 3, -100], z [1, 0, 0], grad [1, 2, 1]')
  assertClose(dz.toArray(), [0, -2 * Math.log(3), 100], 1e-6, 'dL/dz at x [0, log 3, -100], z [1, 0, 0], grad [1, 2, 1]')
})

test('bceWithLogits as a loss: mean by default, gradients match central differences', () => {
  const rng = new Rng(9)
  const x = randn([3, 4], { rng }).mul(2)
  const z = rand([3, 4], { rng })
  const each = bceWithLogits(x, z, { reduction: 'none' }).toArray() as number[][]
  const mean = each.flat().reduce((a, b) => a + b, 0) / 12
  assertClose(bceWithLogits(x, z).item(), mean, 1e-5)
  assertGradcheck((a, b) => bceWithLogits(a, b, { reduction: 'sum' }), [x, z])
})

test.run()
