// Layers: BatchNorm against hand formulas (train and eval, running statistics), Dropout's scaling
// and mean, Embedding against a one-hot product, reshape layers, activations; all through gradcheck.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fromArray, gradcheck, ones, randn, Rng, tensor, type Tensor } from '../../src/index.ts'
import { BatchNorm1d, BatchNorm2d } from '../../src/nn/batchnorm.ts'
import { Dropout } from '../../src/nn/dropout.ts'
import { Embedding, embeddingLookup } from '../../src/nn/embedding.ts'
import { Flatten, Unflatten } from '../../src/nn/reshape_layers.ts'
import { LeakyReLU, ReLU, Sigmoid, Tanh } from '../../src/nn/activations.ts'
import { Sequential } from '../../src/nn/sequential.ts'
import { Linear } from '../../src/nn/linear.ts'
import { oneHot } from '../../src/nn/losses.ts'

function assertGrad(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], label: string): void {
  const report = gradcheck(fn, inputs)
  assert.ok(report.ok, `${label}: gradcheck failed\n${report.summary}`)
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, label: string): void {
  assert.is(a.length, b.length, `${label}: length`)
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)), `${label}[${i}]: ${a[i]} vs ${b[i]}`)
}

// ---- BatchNorm ---------------------------------------------------------------------------------

/** Per-channel mean and biased / unbiased variance of x [N, C, ...] by plain loops, in float64. */
function channelStats(values: ArrayLike<number>, shape: number[]) {
  const [n, c] = shape as [number, number]
  const inner = shape.slice(2).reduce((a, b) => a * b, 1)
  const count = n * inner
  const mean = new Array<number>(c).fill(0)
  const biased = new Array<number>(c).fill(0)
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let k = 0; k < inner; k++) mean[ch]! += values[(b * c + ch) * inner + k]! / count
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let k = 0; k < inner; k++) biased[ch]! += (values[(b * c + ch) * inner + k]! - mean[ch]!) ** 2 / count
  return { mean, biased, unbiased: biased.map((v) => (v * count) / (count - 1)), inner, count }
}

function normalizeByHand(values: ArrayLike<number>, shape: number[], mean: number[], variance: number[], w: number[], b: number[], eps: number): number[] {
  const c = shape[1]!
  const inner = shape.slice(2).reduce((a, x) => a * x, 1)
  return Array.from(values, (v, i) => {
    const ch = Math.floor(i / inner) % c
    return ((v - mean[ch]!) / Math.sqrt(variance[ch]! + eps)) * w[ch]! + b[ch]!
  })
}

const bnShapeArb = fc.oneof(
  fc.tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 3 })).map(([n, c]) => [n, c]),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 })).map(([n, c, l]) => [n, c, l]),
)

test('BatchNorm1d in training: batch statistics with the biased variance; running stats get the unbiased one', () => {
  fc.assert(
    fc.property(bnShapeArb, fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0, max: 1, noNaN: true }), (shape, seed, momentum) => {
      const rng = new Rng(seed)
      const c = shape[1]!
      const bn = new BatchNorm1d({ numFeatures: c, momentum })
      bn.weight = randn([c], { rng, requiresGrad: true })
      bn.bias = randn([c], { rng, requiresGrad: true })
      const x1 = randn(shape, { rng, dtype: 'float64', mean: 1, std: 2 })
      const x2 = randn(shape, { rng, dtype: 'float64' })
      const w = [...bn.weight.toTypedArray()]
      const b = [...bn.bias.toTypedArray()]
      const s1 = channelStats(x1.toTypedArray(), shape)
      close(bn.forward(x1).toTypedArray(), normalizeByHand(x1.toTypedArray(), shape, s1.mean, s1.biased, w, b, 1e-5), 1e-5, 'y')
      const s2 = channelStats(x2.toTypedArray(), shape)
      bn.forward(x2)
      const m = momentum
      const rm = s1.mean.map((v, ch) => (1 - m) * ((1 - m) * 0 + m * v) + m * s2.mean[ch]!)
      const rv = s1.unbiased.map((v, ch) => (1 - m) * ((1 - m) * 1 + m * v) + m * s2.unbiased[ch]!)
      close(bn.runningMean!.toTypedArray(), rm, 1e-5, 'runningMean')
      close(bn.runningVar!.toTypedArray(), rv, 1e-5, 'runningVar')
      assert.is(bn.numBatchesTracked!.item(), 2)
    }),
    { numRuns: 40 },
  )
})

test('BatchNorm2d normalises over N, H and W per channel; eval mode uses the running statistics', () => {
  const rng = new Rng(3)
  const shape = [3, 2, 2, 3]
  const bn = new BatchNorm2d({ numFeatures: 2, momentum: 0.1 })
  const x = randn(shape, { rng, dtype: 'float64', mean: 2 })
  const s = channelStats(x.toTypedArray(), shape)
  close(bn.forward(x).toTypedArray(), normalizeByHand(x.toTypedArray(), shape, s.mean, s.biased, [1, 1], [0, 0], 1e-5), 1e-6, 'train')
  const rm = s.mean.map((v) => 0.1 * v)
  const rv = s.unbiased.map((v) => 0.9 + 0.1 * v)
  close(bn.runningMean!.toTypedArray(), rm, 1e-6, 'runningMean')
  close(bn.runningVar!.toTypedArray(), rv, 1e-6, 'runningVar')
  bn.eval()
  const y = randn(shape, { rng, dtype: 'float64' })
  close(bn.forward(y).toTypedArray(), normalizeByHand(y.toTypedArray(), shape, rm, rv, [1, 1], [0, 0], 1e-5), 1e-6, 'eval')
  // Eval mode does not touch the running statistics, and a single sample is fine there.
  bn.forward(randn([1, 2, 1, 1], { rng }))
  close(bn.runningMean!.toTypedArray(), rm, 1e-6, 'runningMean after eval')
})

test('BatchNorm: momentum null keeps the cumulative average; affine false has no parameters; no tracking uses batch stats in eval', () => {
  const cumulative = new BatchNorm1d({ numFeatures: 1, momentum: null, affine: false })
  assert.is(cumulative.parameters().length, 0)
  cumulative.forward(tensor([[1], [3]])) // mean 2, unbiased var 2
  cumulative.forward(tensor([[5], [5], [8]])) // mean 6, unbiased var 3
  close(cumulative.runningMean!.toTypedArray(), [4], 1e-6, 'mean of means')
  close(cumulative.runningVar!.toTypedArray(), [2.5], 1e-6, 'mean of variances')
  const untracked = new BatchNorm1d({ numFeatures: 2, trackRunningStats: false })
  assert.equal(untracked.namedBuffers(), [])
  untracked.eval()
  const x = tensor([[1, 10], [3, 30]])
  close(untracked.forward(x).toTypedArray(), normalizeByHand(x.toTypedArray(), [2, 2], [2, 20], [1, 100], [1, 1], [0, 0], 1e-5), 1e-6, 'batch stats in eval')
})

test('BatchNorm passes gradcheck for the input, weight and bias, in train and eval mode', () => {
  fc.assert(
    fc.property(bnShapeArb, fc.integer({ min: 0, max: 1e6 }), fc.boolean(), (shape, seed, training) => {
      const rng = new Rng(seed)
      const c = shape[1]!
      const bn = new BatchNorm1d({ numFeatures: c })
      bn.forward(randn(shape, { rng })) // some running statistics for eval mode
      bn.train(training)
      const x = randn(shape, { rng, dtype: 'float64' })
      const w = randn([c], { rng, dtype: 'float64' })
      const b = randn([c], { rng, dtype: 'float64' })
      assertGrad((xi, wi, bi) => {
        bn.weight = wi!
        bn.bias = bi!
        return bn.forward(xi!)
      }, [x, w, b], `BatchNorm1d ${JSON.stringify(shape)} training=${training}`)
    }),
    { numRuns: 20 },
  )
  const bn2 = new BatchNorm2d({ numFeatures: 2 })
  assertGrad((x) => bn2.forward(x), [randn([2, 2, 2, 2], { seed: 4, dtype: 'float64' })], 'BatchNorm2d')
})

test('BatchNorm errors name the layer, the expected and the actual shape', () => {
  assert.throws(() => new BatchNorm1d({ numFeatures: 0 }), /BatchNorm1d: numFeatures must be a positive integer, got 0/)
  assert.throws(() => new BatchNorm1d({ numFeatures: 2, eps: 0 }), /eps must be > 0/)
  assert.throws(() => new BatchNorm2d({ numFeatures: 2, momentum: 2 }), /BatchNorm2d: momentum must be in \[0, 1\] or null, got 2/)
  assert.throws(() => new BatchNorm1d({ numFeatures: 3 }).forward(ones([2, 2])), /BatchNorm1d\(3\): input has shape \[2, 2\], its axis 1 must have 3 channels/)
  assert.throws(() => new BatchNorm1d({ numFeatures: 3 }).forward(ones([2, 3, 1, 1])), /BatchNorm1d: expected an input \[N, C\] or \[N, C, L\], got \[2, 3, 1, 1\]/)
  assert.throws(() => new BatchNorm2d({ numFeatures: 3 }).forward(ones([2, 3])), /BatchNorm2d: expected an input \[N, C, H, W\], got \[2, 3\]/)
  assert.throws(() => new BatchNorm1d({ numFeatures: 3 }).forward(ones([1, 3])), /expected more than 1 value per channel when training, got input of shape \[1, 3\]/)
})

// ---- Dropout -----------------------------------------------------------------------------------

test('Dropout keeps the mean: over 40000 ones the output mean is 1 within 5 standard errors, and a fraction p is zeroed', () => {
  for (const p of [0.1, 0.5, 0.8]) {
    const n = 40000
    const out = Array.from(new Dropout({ p, seed: 11 }).forward(ones([200, 200])).toTypedArray())
    const kept = out.filter((v) => v !== 0)
    // Each output is 1/(1-p) with probability 1-p, else 0: mean 1, variance p/(1-p).
    const se = Math.sqrt(p / (1 - p) / n)
    const mean = out.reduce((a, b) => a + b, 0) / n
    assert.ok(Math.abs(mean - 1) <= 5 * se, `p=${p}: mean ${mean}, standard error ${se}`)
    assert.ok(kept.every((v) => Math.abs(v - 1 / (1 - p)) < 1e-6), `p=${p}: survivors are scaled by 1/(1-p)`)
    const zeroed = (n - kept.length) / n
    assert.ok(Math.abs(zeroed - p) <= 5 * Math.sqrt((p * (1 - p)) / n), `p=${p}: zeroed fraction ${zeroed}`)
  }
})

test('Dropout: identity in eval mode and for p = 0, zeros for p = 1, seeded, and gradients only through the kept elements', () => {
  const x = randn([4, 5], { seed: 1 })
  const d = new Dropout({ p: 0.5, seed: 3 })
  d.eval()
  assert.is(d.forward(x), x)
  assert.is(new Dropout({ p: 0, seed: 1 }).forward(x), x)
  assert.ok(new Dropout({ p: 1, seed: 1 }).forward(x).toTypedArray().every((v) => v === 0))
  assert.equal(new Dropout({ seed: 5 }).forward(x).toArray(), new Dropout({ seed: 5 }).forward(x).toArray())
  const rng = new Rng(9)
  const shared = new Dropout({ rng })
  assert.not.equal(shared.forward(x).toArray(), shared.forward(x).toArray(), 'a generator goes on: a new mask each call')
  // A fresh layer with the same seed gives the same mask every call, so the function is deterministic.
  assertGrad((xi) => new Dropout({ p: 0.3, seed: 2 }).forward(xi!), [randn([3, 4], { seed: 2, dtype: 'float64' })], 'Dropout')
  const leaf = ones([10], { requiresGrad: true })
  const y = new Dropout({ p: 0.5, seed: 8 }).forward(leaf)
  y.sum().backward()
  assert.equal([...leaf.grad!.toTypedArray()], [...y.toTypedArray()], 'dL/dx is the scaled mask')
  assert.throws(() => new Dropout({ p: 1.5, seed: 1 }), /Dropout: p must be a probability in \[0, 1\], got 1.5/)
  assert.throws(() => new Dropout({}), /Dropout: pass \{ rng \} or \{ seed \}/)
})

// ---- Embedding ---------------------------------------------------------------------------------

test('Embedding equals the one-hot product, values and gradients, for any indices (repeats included)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 1000 }), (rows, dim, raw, seed) => {
      const indices = raw.map((i) => i % rows)
      const emb = new Embedding({ numEmbeddings: rows, embeddingDim: dim, seed })
      const seedGrad = randn([indices.length, dim], { seed: seed + 1 })
      const out = emb.forward(indices)
      assert.equal(out.shape, [indices.length, dim])
      out.backward(seedGrad)
      const viaGather = emb.weight.grad!.toTypedArray()
      emb.zeroGrad()
      const product = oneHot(indices, rows).matmul(emb.weight)
      product.backward(seedGrad)
      close(out.toTypedArray(), product.toTypedArray(), 1e-6, 'values')
      close(viaGather, emb.weight.grad!.toTypedArray(), 1e-5, 'gradients')
    }),
    { numRuns: 50 },
  )
})

test('Embedding: index tensors of any shape, gradcheck, and clear errors', () => {
  const emb = new Embedding({ numEmbeddings: 5, embeddingDim: 3, seed: 1 })
  const out = emb.forward(tensor([[0, 4], [4, 2]]))
  assert.equal(out.shape, [2, 2, 3])
  const rows = emb.weight.toArray() as number[][]
  assert.equal(out.toArray(), [[rows[0], rows[4]], [rows[4], rows[2]]])
  assertGrad((w) => embeddingLookup(w!, [1, 1, 3, 0]), [randn([4, 2], { seed: 5, dtype: 'float64' })], 'embedding')
  assertGrad((w) => embeddingLookup(w!.transpose(), [0, 2]), [randn([2, 3], { seed: 6, dtype: 'float64' })], 'embedding of a transposed table')
  assert.throws(() => emb.forward([5]), /embedding: index 5 at flat position 0 is not an integer in \[0, 5\)/)
  assert.throws(() => emb.forward(tensor([0, 1.5])), /index 1.5 at flat position 1/)
  assert.throws(() => embeddingLookup(ones([3]), [0]), /embedding: the table must be \[numEmbeddings, embeddingDim\], got \[3\]/)
  assert.throws(() => new Embedding({ numEmbeddings: 0, embeddingDim: 2, seed: 1 }), /Embedding: numEmbeddings and embeddingDim must be positive integers, got 0 and 2/)
  assert.throws(() => new Embedding({ numEmbeddings: 2, embeddingDim: 2 }), /Embedding: pass \{ rng \} or \{ seed \}/)
  assert.equal(emb.namedParameters().map(([n]) => n), ['weight'])
})

// ---- reshape layers, activations, Sequential -------------------------------------------------

test('Flatten and Unflatten: shapes, round trip, errors', () => {
  const x = randn([2, 3, 4, 5], { seed: 1 })
  assert.equal(new Flatten().forward(x).shape, [2, 60])
  assert.equal(new Flatten({ startDim: 0, endDim: 1 }).forward(x).shape, [6, 4, 5])
  const back = new Unflatten({ dim: 1, sizes: [3, 4, 5] }).forward(new Flatten().forward(x))
  assert.equal(back.toArray(), x.toArray())
  assert.equal(new Unflatten({ dim: -1, sizes: [2, 2] }).forward(ones([3, 4])).shape, [3, 2, 2])
  assert.throws(() => new Unflatten({ dim: 1, sizes: [7, 7] }).forward(ones([2, 50])), /Unflatten\(dim 1, sizes \[7, 7\]\): input has shape \[2, 50\]; axis 1 must have 49 entries/)
  assert.throws(() => new Unflatten({ dim: 3, sizes: [1] }).forward(ones([2, 50])), /axis 3 must have 1 entries/)
  assert.throws(() => new Unflatten({ dim: 1, sizes: [] }), /Unflatten: sizes must be positive integers, got \[\]/)
  assert.throws(() => new Unflatten({ dim: 0.5, sizes: [1] }), /Unflatten: dim must be an integer/)
  assertGrad((t) => new Unflatten({ dim: 1, sizes: [2, 3] }).forward(new Flatten().forward(t!)), [randn([2, 3, 2], { seed: 2, dtype: 'float64' })], 'flatten/unflatten')
})

test('activation modules are their tensor methods, and pass gradcheck', () => {
  const x = fromArray([-2, -0.5, 0.25, 1.5, 3, -1], [2, 3], { dtype: 'float64' })
  const cases: [string, ReLU | LeakyReLU | Sigmoid | Tanh, (t: Tensor) => Tensor][] = [
    ['ReLU', new ReLU(), (t) => t.relu()],
    ['LeakyReLU', new LeakyReLU(), (t) => t.leakyRelu(0.01)],
    ['LeakyReLU(0.2)', new LeakyReLU({ negativeSlope: 0.2 }), (t) => t.leakyRelu(0.2)],
    ['Sigmoid', new Sigmoid(), (t) => t.sigmoid()],
    ['Tanh', new Tanh(), (t) => t.tanh()],
  ]
  for (const [name, layer, fn] of cases) {
    assert.equal(layer.forward(x).toArray(), fn(x).toArray(), name)
    assertGrad((t) => layer.forward(t!), [x], name)
  }
  assert.is(new LeakyReLU({ negativeSlope: 0.2 }).forward(tensor([-1])).item(), Math.fround(-0.2))
  assert.throws(() => new LeakyReLU({ negativeSlope: NaN }), /LeakyReLU: negativeSlope must be a finite number, got NaN/)
})

test('a Sequential network of every layer passes gradcheck through its parameters', () => {
  const net = new Sequential(
    new Linear({ inFeatures: 4, outFeatures: 3, seed: 1 }),
    new BatchNorm1d({ numFeatures: 3 }),
    new LeakyReLU({ negativeSlope: 0.1 }),
    new Dropout({ p: 0.2, seed: 1 }),
    new Unflatten({ dim: 1, sizes: [3, 1] }),
    new Flatten(),
    new Tanh(),
  )
  const params = net.parameters()
  const x = randn([5, 4], { seed: 3, dtype: 'float64' })
  assertGrad((...ps) => {
    // Reset the dropout mask each call, so the function is the same for every perturbation.
    ;(net.at(3) as unknown as { rng: Rng }).rng = new Rng(1)
    const names = net.namedParameters()
    ps.forEach((p, i) => {
      const [layer, field] = names[i]![0].split('.') as [string, 'weight' | 'bias']
      ;(net.at(Number(layer)) as unknown as Record<string, Tensor>)[field] = p!
    })
    return net.forward(x)
  }, params, 'Sequential')
})

test.run()
