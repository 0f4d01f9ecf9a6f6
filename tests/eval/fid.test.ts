// FID: known answers for Gaussians (sampled, so within the sampling error), 0 for identical sets,
// the floor on real test images, and the checks on its inputs.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rng, tensor, fromArray } from '../../src/index.ts'
import { loadSample } from '../../src/data/sample.ts'
import { ClassifierCnn } from '../../src/models/classifier_cnn.ts'
import { datasetFeatures, extractFeatures, fid, fidFloor, FID_NAME, frechetDistance, moments, selectFeatures } from '../../src/eval/fid.ts'

// count draws of N(mean, R diag(variances) R^T), R the rotation by `angle` in the plane of the first two axes.
function gaussianSample(count: number, mean: number[], variances: number[], angle: number, rng: Rng) {
  const dim = mean.length
  const [c, s] = [Math.cos(angle), Math.sin(angle)]
  const features = new Float32Array(count * dim)
  for (let i = 0; i < count; i++) {
    const z = variances.map((v) => Math.sqrt(v) * rng.normal())
    const x = [...z]
    x[0] = c * z[0]! - s * z[1]!
    x[1] = s * z[0]! + c * z[1]!
    for (let j = 0; j < dim; j++) features[i * dim + j] = mean[j]! + x[j]!
  }
  return { count, dim, features }
}

test('identical sets are at FID 0, up to float error', () => {
  const set = gaussianSample(500, [1, 2, 3, 4], [1, 2, 3, 4], 0.3, new Rng(1))
  const d = fid(set, set)
  assert.ok(Math.abs(d) < 1e-10, `FID of a set with itself: ${d}`)
})

test('sampled Gaussians with diagonal covariances: the closed form sum (mu1-mu2)^2 + (sqrt s1 - sqrt s2)^2', () => {
  const rng = new Rng(2)
  const a = gaussianSample(20000, [0, 0, 0], [1, 4, 9], 0, rng)
  const b = gaussianSample(20000, [1, 0, -1], [4, 1, 9], 0, rng)
  const exact = 2 + (1 - 2) ** 2 + (2 - 1) ** 2 + 0
  const d = fid(a, b)
  assert.ok(Math.abs(d - exact) < 0.05 * exact, `FID ${d}, closed form ${exact}`)
})

test('sampled Gaussians with rotated, non-diagonal covariances: the same closed form as unrotated', () => {
  const rng = new Rng(3)
  const angle = Math.PI / 5
  const a = gaussianSample(20000, [0, 0, 0], [1, 9, 1], angle, rng)
  const b = gaussianSample(20000, [0.5, 0.5, 0], [4, 16, 1], angle, rng)
  const m = moments(a.features, a.count, 3)
  assert.ok(Math.abs(m.covariance[1]!) > 1, `the covariance is not diagonal: cov[0][1] = ${m.covariance[1]}`)
  const exact = 0.5 + (1 - 2) ** 2 + (3 - 4) ** 2
  const d = fid(a, b)
  assert.ok(Math.abs(d - exact) < 0.05 * exact, `FID ${d}, closed form ${exact}`)
  // and from the true moments, exactly
  const [c, s] = [Math.cos(angle), Math.sin(angle)]
  const cov = (u: number, v: number) => [u * c * c + v * s * s, (u - v) * c * s, 0, (u - v) * c * s, u * s * s + v * c * c, 0, 0, 0, 1]
  const closed = frechetDistance({ dim: 3, mean: [0, 0, 0], covariance: cov(1, 9) }, { dim: 3, mean: [0.5, 0.5, 0], covariance: cov(4, 16) })
  assert.ok(Math.abs(closed - exact) < 1e-10, `${closed}`)
})

const tinyClassifier = () => new ClassifierCnn({ classes: 10, channels: [4, 8], hidden: 12, rng: new Rng(5) })

test('features of images, batch by batch, equal those of one batch; the floor splits the test set in halves', () => {
  const model = tinyClassifier()
  const test = { ...loadSample({ split: 'test' }), count: 120 }
  const all = datasetFeatures(model, test, undefined, 1000)
  const batched = datasetFeatures(model, test, undefined, 25)
  assert.is(all.count, 120)
  assert.is(all.dim, 12)
  assert.is(all.classes, 10)
  for (let i = 0; i < all.features.length; i++) assert.ok(Math.abs(all.features[i]! - batched.features[i]!) < 1e-5)
  const floor = fidFloor(model, test)
  assert.is(floor.name, FID_NAME)
  assert.equal(floor.halves, [60, 60])
  assert.ok(floor.fid > 0 && Number.isFinite(floor.fid), `floor ${floor.fid}`)
  assert.is(fidFloor({ model } as never, all).fid, floor.fid, 'the same from features already computed, or from a run')
  assert.not.equal(fidFloor(model, all, { seed: 9 }).fid, floor.fid, 'another split for another seed')
  // halves of one set are closer than the set and a shifted copy of itself
  const shifted = { ...all, features: all.features.map((v) => v + 1) }
  assert.ok(fid(all, shifted) > floor.fid)
})

test('selectFeatures picks rows of features and logits alike', () => {
  const set = { count: 3, dim: 2, classes: 1, features: Float32Array.from([1, 2, 3, 4, 5, 6]), logits: Float32Array.from([7, 8, 9]) }
  const picked = selectFeatures(set, [2, 0])
  assert.equal(Array.from(picked.features), [5, 6, 1, 2])
  assert.equal(Array.from(picked.logits), [9, 7])
})

test('bad inputs are errors that say what was expected', () => {
  const model = tinyClassifier()
  assert.throws(() => extractFeatures(model, 0, () => tensor([[0]])), /count must be a positive integer, got 0/)
  assert.throws(() => extractFeatures(model, 4, () => fromArray(new Float32Array(3 * 784), [3, 784])), /asked for 4 images from 0, got a batch of 3/)
  assert.throws(() => fid({ count: 2, dim: 2, features: new Float32Array(4) }, { count: 2, dim: 3, features: new Float32Array(6) }), /different widths, 2 and 3/)
  assert.throws(() => fidFloor(model, { count: 3, dim: 1, classes: 1, features: new Float32Array(3), logits: new Float32Array(3) }), /at least 4 test images/)
  assert.throws(() => moments([1, 2], 1, 2), /at least 2 vectors, got count 1/)
  assert.throws(() => moments([1, 2, 3], 2, 2), /2 vectors of length 2 need 4 values, got 3/)
  assert.throws(() => moments([1, 2], 2, 0), /dim must be a positive integer, got 0/)
  const g = { dim: 2, mean: [0, 0], covariance: [1, 0, 0, 1] }
  assert.throws(() => frechetDistance(g, { dim: 1, mean: [0], covariance: [1] }), /different dimensions, 2 and 1/)
  assert.throws(() => frechetDistance(g, { dim: 2, mean: [0], covariance: [1, 0, 0, 1] }), /the second Gaussian should have a mean of 2 and a covariance of 4 values, got 1 and 4/)
})

test.run()
