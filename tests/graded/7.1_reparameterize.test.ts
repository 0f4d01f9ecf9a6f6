import { gradedFile } from './support.ts'
gradedFile('7.1', '#kata/models/reparameterize') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import { randn, tensor, Rng } from '../../src/index.ts'
import { reparameterize } from '#kata/models/reparameterize'
import { assertClose, assertGradcheck } from './support.ts'

test('reparameterize: z = mu + exp(logvar / 2) * eps on a worked example [x2]', () => {
  // sigma = exp(logvar / 2) = [1, 2]: z = [1 + 1 * 0.5, 2 + 2 * -1]
  const z = reparameterize(tensor([[1, 2]]), tensor([[0, 2 * Math.log(2)]]), tensor([[0.5, -1]]))
  assertClose(z.toArray(), [[1.5, 0]])
})

test('the gradient reaches mu (1) and logvar (eps * sigma / 2), not through eps [x2]', () => {
  const mu = tensor([[0.3, -1]], { requiresGrad: true })
  const logvar = tensor([[0, Math.log(4)]], { requiresGrad: true })
  const eps = tensor([[2, 0.5]], { requiresGrad: false })
  reparameterize(mu, logvar, eps).sum().backward()
  assertClose(mu.grad!.toArray(), [[1, 1]])
  assertClose(logvar.grad!.toArray(), [[1, 0.5]]) // 2 * 1 / 2 and 0.5 * 2 / 2
})

test('gradcheck through reparameterize for random shapes [x1]', () => {
  const rng = new Rng(7)
  for (const shape of [[3, 2], [5, 4]]) {
    const eps = randn(shape, { rng, dtype: 'float64' })
    assertGradcheck((mu, logvar) => reparameterize(mu, logvar, eps).square(), [randn(shape, { rng }), randn(shape, { rng })])
  }
})

test.run()
