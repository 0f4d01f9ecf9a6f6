// The VAE family: the reparameterized gradient is unbiased, the models have the shapes the
// architecture says, a CVAE insists on its labels, and a few steps of training lower the loss.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { full, rand, randn, Rng, type Tensor } from '../../src/index.ts'
import { reparameterize } from '../../solutions/models/reparameterize.ts'
import { FcVae, ConvVae, createVae, VAE_KINDS } from '../../src/models/index.ts'
import { Adam } from '../../src/nn/optim/index.ts'

const meanAndStdErr = (xs: ArrayLike<number>) => {
  let m = 0
  for (let i = 0; i < xs.length; i++) m += xs[i]!
  m /= xs.length
  let v = 0
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - m) ** 2
  return { mean: m, se: Math.sqrt(v / (xs.length - 1) / xs.length) }
}

test('the reparameterized gradient of E[z^2] is unbiased, and has less variance than the score-function estimator', () => {
  // z ~ N(mu, sigma^2): E[z^2] = mu^2 + sigma^2, so d/dmu = 2 mu and d/dlogvar = sigma^2.
  const n = 20000
  for (const [mu0, logvar0] of [[0.7, -0.5], [-1.2, 0.3]] as const) {
    const sigma2 = Math.exp(logvar0)
    const rng = new Rng(17)
    // One copy of (mu, logvar) per draw, so .grad holds each draw's own gradient.
    const mu = full([n], mu0, { dtype: 'float64', requiresGrad: true })
    const logvar = full([n], logvar0, { dtype: 'float64', requiresGrad: true })
    const eps = randn([n], { rng, dtype: 'float64' })
    const z = reparameterize(mu, logvar, eps)
    z.square().sum().backward()
    const reparamMu = meanAndStdErr(mu.grad!.toTypedArray())
    const reparamLogvar = meanAndStdErr(logvar.grad!.toTypedArray())
    // The score-function (REINFORCE) estimator on the same draws: f(z) * d log q(z) / d theta.
    const zs = z.toTypedArray()
    const scoreMu = meanAndStdErr(Float64Array.from(zs, (zi) => zi * zi * ((zi - mu0) / sigma2)))
    const scoreLogvar = meanAndStdErr(Float64Array.from(zs, (zi) => zi * zi * (-0.5 + (zi - mu0) ** 2 / (2 * sigma2))))
    // Unbiased: each estimate within 5 standard errors of the exact value (a false alarm has
    // probability below 1e-6 per check; the seed is fixed anyway).
    for (const [estimate, exact, what] of [
      [reparamMu, 2 * mu0, 'reparameterized d/dmu'], [reparamLogvar, sigma2, 'reparameterized d/dlogvar'],
      [scoreMu, 2 * mu0, 'score-function d/dmu'], [scoreLogvar, sigma2, 'score-function d/dlogvar'],
    ] as const) {
      assert.ok(Math.abs(estimate.mean - exact) < 5 * estimate.se, `${what}: ${estimate.mean} +- ${estimate.se}, exact ${exact}`)
    }
    assert.ok(reparamMu.se < scoreMu.se && reparamLogvar.se < scoreLogvar.se, 'the reparameterized estimator has the lower variance')
  }
})

test('FcVae and ConvVae: mu/logvar [N, latent], reconstructions [N, 1, 28, 28] in (0, 1)', () => {
  const rng = new Rng(1)
  const x = rand([3, 1, 28, 28], { rng })
  for (const model of [new FcVae({ latent: 5, hidden: 16, rng }), new ConvVae({ latent: 4, channels: [4, 8], rng })]) {
    const { mu, logvar } = model.encode(x)
    assert.equal(mu.shape, [3, model.latent])
    assert.equal(logvar.shape, [3, model.latent])
    const recon = model.reconstruct(x)
    assert.equal(recon.shape, [3, 1, 28, 28])
    const values = recon.toTypedArray()
    assert.ok(values.every((v) => v > 0 && v < 1))
    // Flat [N, 784] input works as well as images.
    assert.equal(model.encode(x.reshape([3, 784])).mu.shape, [3, model.latent])
  }
})

test('parameter names and counts follow the architecture (the ConvVAE of the issue: 1->32->64, latent 32)', () => {
  const model = new ConvVae({ latent: 32, rng: new Rng(0) })
  const count = model.parameters().reduce((s, p) => s + p.size, 0)
  const conv = 32 * 1 * 16 + 32 + 64 * 32 * 16 + 64
  const linear = 2 * (3136 * 32 + 32) + (32 * 3136 + 3136)
  const deconv = 64 * 32 * 16 + 32 + 32 * 1 * 16 + 1
  assert.is(count, conv + linear + deconv)
  const fc = new FcVae({ latent: 20, rng: new Rng(0) })
  assert.is(fc.parameters().reduce((s, p) => s + p.size, 0), 784 * 400 + 400 + 2 * (400 * 20 + 20) + 20 * 400 + 400 + 400 * 784 + 784)
})

test('a CVAE needs labels, a VAE refuses them; bad shapes and sizes are errors that say what was expected', () => {
  const rng = new Rng(2)
  const x = rand([2, 784], { rng })
  const cvae = createVae('cvae', { latent: 3, hidden: 8, classes: 10, rng })
  assert.equal(cvae.encode(x, [1, 9]).mu.shape, [2, 3])
  assert.throws(() => cvae.encode(x), /needs the labels/)
  const vae = createVae('vae', { latent: 3, hidden: 8, rng })
  assert.throws(() => vae.encode(x, [1, 2]), /not conditional/)
  assert.throws(() => vae.encode(rand([2, 100], { rng })), /expected images \[N, 1, 28, 28\] or \[N, 784\], got \[2, 100\]/)
  assert.throws(() => vae.decode(rand([2, 4], { rng })), /expected latents \[N, 3\], got \[2, 4\]/)
  assert.throws(() => createVae('cvae', { latent: 3, rng }), /needs the number of classes/)
  assert.throws(() => new FcVae({ latent: 0, rng }), /latent must be a positive integer/)
  assert.throws(() => new ConvVae({ latent: 2, imageShape: [1, 30, 30], rng }), /divisible by 4/)
  assert.equal([...VAE_KINDS], ['vae', 'conv-vae', 'cvae', 'conv-cvae'])
})

test('a few Adam steps on one batch lower the negative ELBO, for every kind of model', () => {
  const rng = new Rng(4)
  const x = rand([8, 1, 28, 28], { rng })
  const labels = [0, 1, 2, 3, 4, 5, 6, 7]
  for (const kind of VAE_KINDS) {
    const model = createVae(kind, { latent: 4, hidden: 32, classes: 10, rng })
    const conditional = model.classes !== null ? labels : undefined
    const optimizer = new Adam(model.parameters(), { lr: 3e-3 })
    const lossAt = (): Tensor => model.elbo(x, { labels: conditional, rng: new Rng(9) }).loss
    const before = lossAt().item()
    for (let i = 0; i < 5; i++) {
      optimizer.zeroGrad()
      model.elbo(x, { labels: conditional, rng }).loss.backward()
      optimizer.step()
    }
    const after = lossAt().item()
    assert.ok(after < before, `${kind}: ${before} -> ${after}`)
  }
})

test.run()
