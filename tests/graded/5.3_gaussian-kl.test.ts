import { test } from 'uvu'
import { tensor, randn, Rng } from '../../src/index.ts'
import { gaussianKL } from '../../src/nn/losses.ts'
import { gaussianKLPerSample } from '#kata/nn/losses/gaussian_kl'
import { assertClose, assertGradcheck, gradedFile } from './support.ts'

gradedFile('5.3', '#kata/nn/losses/gaussian_kl')

test('gaussianKLPerSample: 0 for the standard normal itself, mu^2 / 2 for a shifted one [x3]', () => {
  const mu = tensor([[0, 0], [1, 2]])
  const logvar = tensor([[0, 0], [0, 0]])
  // Row 2: -1/2 * ((1 + 0 - 1 - 1) + (1 + 0 - 4 - 1)) = (1 + 4) / 2
  assertClose(gaussianKLPerSample(mu, logvar).toArray(), [0, 2.5], 1e-5, 'gaussianKLPerSample(mu [[0, 0], [1, 2]], logvar 0)')
})

test('gaussianKLPerSample: a wider or narrower Gaussian costs (sigma^2 - 1 - log sigma^2) / 2 per dimension [x3]', () => {
  const mu = tensor([[0, 0, 0]])
  const logvar = tensor([[Math.log(2), Math.log(0.5), 0]])
  const expected = (2 - 1 - Math.log(2)) / 2 + (0.5 - 1 - Math.log(0.5)) / 2
  assertClose(gaussianKLPerSample(mu, logvar).toArray(), [expected], 1e-6, 'gaussianKLPerSample(mu 0, logvar [[log 2, log 0.5, 0]])')
})

test('gaussianKLPerSample sums over every latent axis: [N, 2, 3] gives [N] [x2]', () => {
  const mu = tensor([[[1, 0, 0], [0, 0, 1]], [[0, 0, 0], [0, 0, 0]]])
  const logvar = tensor([[[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]])
  assertClose(gaussianKLPerSample(mu, logvar).toArray(), [1, 0], 1e-5, 'gaussianKLPerSample(mu [2, 2, 3], logvar 0)')
})

test('gaussianKL: reductions over the batch, and gradients mu and (exp(logvar) - 1) / 2', () => {
  const mu = tensor([[0, 0], [1, 2]])
  const logvar = tensor([[0, 0], [0, 0]])
  assertClose(gaussianKL(mu, logvar).item(), 1.25, 1e-5, 'gaussianKL (mean over the batch)')
  assertClose(gaussianKL(mu, logvar, { reduction: 'sum' }).item(), 2.5, 1e-5, 'gaussianKL with reduction \'sum\'')
  assertClose(gaussianKL(mu, logvar, { reduction: 'none' }).toArray(), [0, 2.5], 1e-5, 'gaussianKL with reduction \'none\'')
  const m = tensor([[0.5, -1]], { requiresGrad: true })
  const lv = tensor([[Math.log(3), 0]], { requiresGrad: true })
  gaussianKL(m, lv, { reduction: 'sum' }).backward()
  assertClose(m.grad!.toArray(), [[0.5, -1]], 1e-6, 'the gradient in mu')
  assertClose(lv.grad!.toArray(), [[1, 0]], 1e-6, 'the gradient in logvar')
  const rng = new Rng(2)
  assertGradcheck((a, b) => gaussianKL(a, b), [randn([3, 4], { rng }), randn([3, 4], { rng })])
})

test.run()
