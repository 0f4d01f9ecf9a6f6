import { gradedFile } from './support.ts'
gradedFile('7.2', '#kata/models/negative_elbo') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { rand, randn, tensor, Rng } from '../../src/index.ts'
import { negativeElbo } from '#kata/models/negative_elbo'
import { assertClose, assertGradcheck } from './support.ts'

test('one image, two pixels: BCE summed over pixels, KL of N(0,1) is zero [x2]', () => {
  const { loss, reconstruction, kl } = negativeElbo(tensor([[0.5, 0.5]]), tensor([[1, 0]]), tensor([[0]]), tensor([[0]]))
  assertClose(reconstruction.item(), 2 * Math.log(2))
  assertClose(kl.item(), 0)
  assertClose(loss.item(), 2 * Math.log(2))
})

test('KL of N(1, 1) is 1/2; beta weighs it; both terms are averaged over the batch [x2]', () => {
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

test('random batches: each term, and the loss, against the formulas written out per element [x3]', () => {
  const rng = new Rng(11)
  for (const [n, pixels, latent, beta] of [[3, 5, 2, 1], [4, 7, 3, 0.5], [2, 4, 4, 4]] as const) {
    const recon = rand([n, pixels], { rng, low: 0.05, high: 0.95, dtype: 'float64' })
    const x = rand([n, pixels], { rng, dtype: 'float64' })
    const mu = randn([n, latent], { rng, dtype: 'float64' })
    const logvar = randn([n, latent], { rng, dtype: 'float64' })
    const [p, t, m, lv] = [recon, x, mu, logvar].map((a) => Array.from(a.toTypedArray()))
    let bceTotal = 0
    for (let i = 0; i < n * pixels; i++) bceTotal -= t[i]! * Math.log(p[i]!) + (1 - t[i]!) * Math.log(1 - p[i]!)
    let klTotal = 0
    for (let i = 0; i < n * latent; i++) klTotal += -0.5 * (1 + lv[i]! - m[i]! ** 2 - Math.exp(lv[i]!))
    const terms = negativeElbo(recon, x, mu, logvar, beta)
    const at = `N = ${n}, ${pixels} pixels, latent ${latent}, beta ${beta}`
    assertClose(terms.reconstruction.item(), bceTotal / n, 1e-9, `reconstruction (${at})`)
    assertClose(terms.kl.item(), klTotal / n, 1e-9, `kl (${at})`)
    assertClose(terms.loss.item(), bceTotal / n + (beta * klTotal) / n, 1e-9, `loss (${at})`)
  }
})

test('gradcheck of the loss with respect to the reconstruction, mu and logvar [x1]', () => {
  const rng = new Rng(3)
  const x = rand([3, 4], { rng, dtype: 'float64' })
  assertGradcheck(
    (recon, mu, logvar) => negativeElbo(recon, x, mu, logvar, 0.5).loss,
    [rand([3, 4], { rng, low: 0.1, high: 0.9 }), randn([3, 2], { rng }), randn([3, 2], { rng })],
  )
})

test.run()
