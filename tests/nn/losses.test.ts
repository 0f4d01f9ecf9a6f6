// Losses against their naive formulas in float64, their gradients against gradcheck, their
// stability at extreme inputs, and the Gaussian KL against a Monte-Carlo estimate.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fromArray, gradcheck, randn, Rng, tensor, type Tensor } from '../../src/index.ts'
import { bce, bceWithLogits, crossEntropy, gaussianKL, mse, nll, oneHot } from '../../src/nn/losses.ts'
import { ShapeError } from '../../src/tensor/errors.ts'

const runs = { numRuns: 30 }

/** A small shape [N, C] and float64 values for it drawn in [min, max]. */
function matrixArb(min: number, max: number, maxRows = 4, maxCols = 5) {
  return fc.record({ n: fc.integer({ min: 1, max: maxRows }), c: fc.integer({ min: 1, max: maxCols }) }).chain(({ n, c }) =>
    fc.array(fc.double({ min, max, noNaN: true }), { minLength: n * c, maxLength: n * c }).map((values) => ({ n, c, values })),
  )
}

function f64(values: number[], shape: number[]): Tensor {
  return fromArray(values, shape, { dtype: 'float64' })
}

function flat(t: Tensor): number[] {
  return [...t.toTypedArray()]
}

function assertGrad(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], label: string): void {
  const report = gradcheck(fn, inputs)
  assert.ok(report.ok, `${label}: gradcheck failed\n${report.summary}`)
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))

test('bceWithLogits equals the naive -(z log s + (1 - z) log(1 - s)) wherever the naive one is finite', () => {
  fc.assert(
    fc.property(matrixArb(-40, 40), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }), ({ n, c, values }, zs) => {
      const z = zs.slice(0, n * c).concat(new Array(Math.max(0, n * c - zs.length)).fill(0.5))
      const got = flat(bceWithLogits(f64(values, [n, c]), f64(z, [n, c]), { reduction: 'none' }))
      values.forEach((x, i) => {
        const s = sigmoid(x)
        const naive = -(z[i]! * Math.log(s) + (1 - z[i]!) * Math.log(1 - s))
        if (!Number.isFinite(naive)) return
        // The naive form loses about 1e-16 / (1 - s) relative precision in log(1 - s), e^|x| * 1e-16.
        const tol = 1e-9 + 4e-16 * Math.exp(Math.abs(x)) * (1 + Math.abs(naive))
        assert.ok(Math.abs(got[i]! - naive) <= tol, `x=${x} z=${z[i]}: stable ${got[i]}, naive ${naive}`)
      })
    }),
    runs,
  )
})

test('bceWithLogits stays finite, values and gradients, at logits of +-100 and +-1e4 (float32 and float64)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const x = fromArray([100, -100, 1e4, -1e4, 100, -1e4], [6], { dtype, requiresGrad: true })
    const z = fromArray([0, 1, 0, 1, 1, 0], [6], { dtype })
    const loss = bceWithLogits(x, z, { reduction: 'none' })
    const values = flat(loss)
    assert.ok(values.every(Number.isFinite), `${dtype}: ${values}`)
    // Wrong and confident costs |x|; right and confident costs about nothing.
    for (const [i, expected] of [100, 100, 1e4, 1e4, 0, 0].entries()) assert.ok(Math.abs(values[i]! - expected) <= 1e-6 * expected + 1e-30)
    loss.sum().backward()
    assert.ok(flat(x.grad!).every(Number.isFinite))
    assert.equal(flat(x.grad!), [1, -1, 1, -1, 0, 0])
  }
})

test('bceWithLogits at exactly x = 0 has gradient sigmoid(0) - z (not a kink subgradient)', () => {
  const x = tensor([0, 0], { requiresGrad: true })
  bceWithLogits(x, tensor([0, 1]), { reduction: 'sum' }).backward()
  assert.equal(flat(x.grad!), [0.5, -0.5])
})

test('bce(sigmoid(x), z) agrees with bceWithLogits(x, z) for moderate logits, and with the naive formula', () => {
  fc.assert(
    fc.property(matrixArb(-8, 8), fc.double({ min: 0, max: 1, noNaN: true }), ({ n, c, values }, zv) => {
      const x = f64(values, [n, c])
      const z = f64(values.map((_, i) => (i % 2 ? zv : 1 - zv)), [n, c])
      const a = flat(bce(x.sigmoid(), z, { reduction: 'none' }))
      const b = flat(bceWithLogits(x, z, { reduction: 'none' }))
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= 1e-9 * (1 + Math.abs(v)), `${v} vs ${b[i]}`))
    }),
    runs,
  )
})

test('bce never exceeds 100 per element and keeps finite gradients, even at p = 0 and p = 1', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(0, 1, 0.5, 1e-30, 1 - 1e-7), { minLength: 1, maxLength: 8 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }), (ps, ys) => {
      const p = fromArray(ps, [ps.length], { dtype: 'float64', requiresGrad: true })
      const y = fromArray(ys.slice(0, ps.length), [ps.length], { dtype: 'float64', requiresGrad: true })
      const loss = bce(p, y, { reduction: 'none' })
      assert.ok(flat(loss).every((v) => Number.isFinite(v) && v >= 0 && v <= 100 + 1e-9), `${flat(loss)}`)
      loss.sum().backward()
      assert.ok(flat(p.grad!).every(Number.isFinite) && flat(y.grad!).every(Number.isFinite))
    }),
    runs,
  )
})

test('every loss passes gradcheck on random inputs, for each reduction', () => {
  fc.assert(
    fc.property(matrixArb(-2, 2), fc.constantFrom('mean', 'sum', 'none') as fc.Arbitrary<'mean' | 'sum' | 'none'>, fc.integer({ min: 0, max: 1000 }), ({ n, c, values }, reduction, seed) => {
      const rng = new Rng(seed)
      const x = f64(values, [n, c])
      const other = randn([n, c], { rng, dtype: 'float64' })
      const prob = other.sigmoid().mul(0.9).add(0.05) // in [0.05, 0.95]: away from the clamps
      const target = randn([n, c], { rng, dtype: 'float64' }).sigmoid()
      const labels = Array.from({ length: n }, () => rng.int(c))
      const o = { reduction }
      assertGrad((a, b) => mse(a, b, o), [x, other], 'mse')
      assertGrad((a, b) => bce(a, b, o), [prob, target], 'bce')
      assertGrad((a, b) => bceWithLogits(a, b, o), [x, target], 'bceWithLogits')
      assertGrad((a, b) => gaussianKL(a, b, o), [x, other], 'gaussianKL')
      assertGrad((a) => crossEntropy(a, labels, o), [x], 'crossEntropy')
      assertGrad((a) => nll(a.logSoftmax(1), labels, o), [x], 'nll')
    }),
    { numRuns: 15 },
  )
})

test('crossEntropy equals -log(softmax) computed naively, ignores a constant added to a row, and equals nll(logSoftmax)', () => {
  fc.assert(
    fc.property(matrixArb(-5, 5), fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: 0, max: 1000 }), ({ n, c, values }, shift, seed) => {
      const rng = new Rng(seed)
      const labels = Array.from({ length: n }, () => rng.int(c))
      const logits = f64(values, [n, c])
      const got = flat(crossEntropy(logits, labels, { reduction: 'none' }))
      labels.forEach((label, row) => {
        const rowValues = values.slice(row * c, row * c + c)
        const naive = -Math.log(Math.exp(rowValues[label]!) / rowValues.reduce((s, v) => s + Math.exp(v), 0))
        assert.ok(Math.abs(got[row]! - naive) <= 1e-9 * (1 + naive), `row ${row}: ${got[row]} vs ${naive}`)
      })
      const shifted = flat(crossEntropy(logits.add(shift), labels, { reduction: 'none' }))
      shifted.forEach((v, i) => assert.ok(Math.abs(v - got[i]!) <= 1e-9 * (1 + Math.abs(shift)), `shift ${shift}: ${v} vs ${got[i]}`))
      assert.ok(Math.abs(nll(logits.logSoftmax(1), labels).item() - crossEntropy(logits, labels).item()) <= 1e-12)
    }),
    runs,
  )
})

test('crossEntropy and nll take labels as a Tensor too, and keep the two-argument form (mean)', () => {
  const logits = tensor([[1, 2, 3], [0, 0, 5]])
  const a = crossEntropy(logits, [0, 2]).item()
  assert.is(crossEntropy(logits, tensor([0, 2])).item(), a)
  assert.is(crossEntropy(logits, [0, 2], { reduction: 'sum' }).item(), flat(crossEntropy(logits, [0, 2], { reduction: 'none' })).reduce((s, v) => s + v, 0))
  assert.is(nll(logits, tensor([1, 1]), { reduction: 'sum' }).item(), -2)
})

test('mse: the mean of squared differences; a number target is broadcast', () => {
  const x = tensor([[1, 2], [3, 5]])
  assert.is(mse(x, tensor([[0, 0], [3, 3]])).item(), (1 + 4 + 0 + 4) / 4)
  assert.is(mse(x, 1, { reduction: 'sum' }).item(), 0 + 1 + 4 + 16)
  assert.equal(mse(x, 2, { reduction: 'none' }).toArray(), [[1, 0], [1, 9]])
})

test('gaussianKL equals a Monte-Carlo estimate of E_q[log q(z) - log p(z)] within 5 standard errors', () => {
  // 40000 draws per case; the estimate's standard error is the sample standard deviation of
  // log q - log p over sqrt(40000). A correct closed form fails this bound with probability
  // below 1e-6 per case; the generators are seeded, so the run is reproducible anyway.
  const draws = 40000
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
      fc.array(fc.double({ min: -2, max: 1.5, noNaN: true }), { minLength: 3, maxLength: 3 }),
      fc.integer({ min: 0, max: 1 << 30 }),
      (mu, logvar, seed) => {
        const closed = gaussianKL(f64(mu, [1, 3]), f64(logvar, [1, 3])).item()
        const rng = new Rng(seed)
        let sum = 0
        let sumSq = 0
        for (let k = 0; k < draws; k++) {
          let logRatio = 0
          for (let d = 0; d < 3; d++) {
            const sigma = Math.exp(logvar[d]! / 2)
            const eps = rng.normal()
            const z = mu[d]! + sigma * eps
            // log q(z) - log p(z) for one dimension; the log(2 pi) terms cancel.
            logRatio += -0.5 * logvar[d]! - 0.5 * eps * eps + 0.5 * z * z
          }
          sum += logRatio
          sumSq += logRatio * logRatio
        }
        const mean = sum / draws
        const se = Math.sqrt((sumSq / draws - mean * mean) / draws)
        assert.ok(Math.abs(mean - closed) <= 5 * se, `closed form ${closed}, Monte Carlo ${mean} +- ${se}`)
      },
    ),
    { numRuns: 12, seed: 20240607 },
  )
})

test('errors name the loss, the shapes and the values', () => {
  const a = tensor([[0.5, 0.5]])
  assert.throws(() => mse(a, tensor([0.5, 0.5])), (e: Error) => e instanceof ShapeError && /mse: the input \[1, 2\] and the target \[2\] must have the same shape/.test(e.message))
  assert.throws(() => bce(a, tensor([[1, 0, 1]])), /bce: the probabilities \[1, 2\] and the target \[1, 3\] must have the same shape/)
  assert.throws(() => bce(tensor([1.5]), tensor([1])), /bce: the input must hold probabilities in \[0, 1\], got 1.5 at flat index 0/)
  assert.throws(() => bce(tensor([NaN]), tensor([1])), /got NaN/)
  assert.throws(() => bceWithLogits(a, tensor([1])), /bceWithLogits: the logits \[1, 2\] and the target \[1\] must have the same shape/)
  assert.throws(() => mse(a, a, { reduction: 'avg' as 'mean' }), /mse: reduction must be 'mean', 'sum' or 'none', got "avg"/)
  assert.throws(() => crossEntropy(tensor([1, 2]), [0]), /crossEntropy: logits must be \[N, classes\] with N = 1 labels, got \[2\]/)
  assert.throws(() => crossEntropy(a, [0, 1]), /N = 2 labels, got \[1, 2\]/)
  assert.throws(() => crossEntropy(a, [2]), /label 2 at position 0 is not an integer in \[0, 2\)/)
  assert.throws(() => nll(a, [0.5]), /label 0.5/)
  assert.throws(() => gaussianKL(a, tensor([[0]])), /gaussianKL: mu has shape \[1, 2\] and logvar \[1, 1\]/)
  assert.throws(() => gaussianKL(tensor([1]), tensor([1])), /gaussianKL: expected mu and logvar of shape \[N, latent...\], got \[1\]/)
  assert.throws(() => oneHot([0], 0), /classes must be a positive integer, got 0/)
})

test('oneHot builds the [N, classes] indicator matrix', () => {
  assert.equal(oneHot([2, 0], 3).toArray(), [[0, 0, 1], [1, 0, 0]])
  assert.equal(oneHot(tensor([1]), 2).toArray(), [[0, 1]])
})

test.run()
