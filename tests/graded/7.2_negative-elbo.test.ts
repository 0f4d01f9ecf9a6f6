import { gradedFile } from './support.ts'
gradedFile('7.2', '#kata/models/negative_elbo') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { rand, randn, tensor, Rng } from '../../src/index.ts'
import { negativeElbo } from '#kata/models/negative_elbo'
import { assertClose, assertGradcheck } from './support.ts'

test('one image, two pixels: BCE summed over pixels, KL of N(0,1) is zero', () => {
  const { loss, reconstruction, kl } = negativeElbo(tensor([[0.5, 0.5]]), tensor([[1, 0]]), tensor([[0]]), tensor([[0]]))
  assertClose(reconstruction.item(), 2 * Math.log(2))
  assertClose(kl.item(), 0)
  assertClose(loss.item(), 2 * Math.log(2))
})

test('KL of N(1, 1) is 1/2; beta weighs it; both terms are averaged over the batch', () => {
  const recon = tensor([[0.5, 0.5], [0.5, 0.5]])
  const x = tensor([[1, 0], [0, 1]])
  const mu = tensor([[1], [0]])
  const logvar = tensor([[0], [0]])
  const { loss, reconstruction, kl } = negativeElbo(recon, x, mu, logvar, 2)
  assertClose(reconstruction.item(), 2 * Math.log(2)) // per image, not summed over the batch
  assertClose(kl.item(), 0.25) // (0.5 + 0) / 2 images
  assertClose(loss.item(), 2 * Math.log(2) + 2 * 0.25)
  assert.is(loss.ndim, 0)
})

test('gradcheck of the loss with respect to the reconstruction, mu and logvar', () => {
  const rng = new Rng(3)
  const x = rand([3, 4], { rng, dtype: 'float64' })
  assertGradcheck(
    (recon, mu, logvar) => negativeElbo(recon, x, mu, logvar, 0.5).loss,
    [rand([3, 4], { rng, low: 0.1, high: 0.9 }), randn([3, 2], { rng }), randn([3, 2], { rng })],
  )
})

test.run()
