// t-SNE: the perplexity calibration, clusters kept apart in the map, determinism for a seed.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rng } from '../../src/index.ts'
import { conditionalRow, jointProbabilities, squaredDistances, tsne } from '../../src/eval/tsne.ts'

// `perCluster` points around each of `clusters` random centres in `dim` dimensions.
function blobs(clusters: number, perCluster: number, dim: number, spread: number, rng: Rng) {
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => 10 * rng.normal()))
  const count = clusters * perCluster
  const rows = new Float64Array(count * dim)
  const labels = new Int32Array(count)
  for (let i = 0; i < count; i++) {
    // interleaved, so the order of the points says nothing about their cluster
    const c = i % clusters
    labels[i] = c
    for (let j = 0; j < dim; j++) rows[i * dim + j] = centres[c]![j]! + spread * rng.normal()
  }
  return { rows, labels, count }
}

// The share of points whose nearest neighbour in the map has their label.
function neighbourAgreement(y: Float64Array, labels: Int32Array): number {
  const n = labels.length
  let agree = 0
  for (let i = 0; i < n; i++) {
    let [best, nearest] = [Infinity, -1]
    for (let j = 0; j < n; j++) {
      if (j === i) continue
      const d = (y[2 * i]! - y[2 * j]!) ** 2 + (y[2 * i + 1]! - y[2 * j + 1]!) ** 2
      if (d < best) [best, nearest] = [d, j]
    }
    if (labels[nearest] === labels[i]) agree++
  }
  return agree / n
}

test('the binary search finds the precision whose row has the asked-for perplexity', () => {
  const { rows, count } = blobs(2, 20, 3, 1, new Rng(1))
  const d = squaredDistances(rows, count, 3)
  for (const perplexity of [2, 5, 15]) {
    const { row, beta } = conditionalRow(d, count, 0, perplexity)
    assert.is(row[0], 0, 'p(i|i) = 0')
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12, 'a distribution')
    const entropy = -row.reduce((s, p) => s + (p > 0 ? p * Math.log(p) : 0), 0)
    assert.ok(Math.abs(Math.exp(entropy) - perplexity) < 1e-3 * perplexity, `perplexity ${Math.exp(entropy)} for ${perplexity}`)
    assert.ok(beta > 0)
  }
})

test('P is symmetric, sums to 1, and has a zero diagonal', () => {
  const { rows, count } = blobs(3, 10, 4, 1, new Rng(2))
  const p = jointProbabilities(rows, count, 4, 8)
  let sum = 0
  for (let i = 0; i < count; i++) {
    assert.is(p[i * count + i], 0)
    for (let j = 0; j < count; j++) {
      sum += p[i * count + j]!
      assert.is(p[i * count + j], p[j * count + i])
    }
  }
  assert.ok(Math.abs(sum - 1) < 1e-9, `sum ${sum}`)
})

test('three well-separated Gaussian blobs in 10-D stay apart: nearest-neighbour labels agree > 95% in 2-D', () => {
  const { rows, labels, count } = blobs(3, 40, 10, 1, new Rng(3))
  let progress = 0
  const r = tsne(rows, count, 10, { perplexity: 15, iterations: 400, seed: 1, onProgress: () => progress++ })
  assert.is(r.embedding.length, 2 * count)
  assert.is(progress, 8, 'a progress call every 50 iterations')
  const agreement = neighbourAgreement(r.embedding, labels)
  assert.ok(agreement > 0.95, `nearest-neighbour agreement ${agreement}`)
  assert.ok(r.kl > 0 && r.kl < 2, `KL ${r.kl}`)
  // centred
  let [m0, m1] = [0, 0]
  for (let i = 0; i < count; i++) [m0, m1] = [m0 + r.embedding[2 * i]!, m1 + r.embedding[2 * i + 1]!]
  assert.ok(Math.abs(m0) < 1e-6 && Math.abs(m1) < 1e-6)
})

test('deterministic for a seed; another seed gives another map', () => {
  const { rows, count } = blobs(2, 15, 5, 1, new Rng(4))
  const run = (seed: number) => Array.from(tsne(rows, count, 5, { perplexity: 5, iterations: 60, seed }).embedding)
  assert.equal(run(7), run(7))
  assert.not.equal(run(7), run(8))
})

test('impossible settings are errors that say what is allowed', () => {
  const rows = new Float64Array(10 * 2)
  assert.throws(() => tsne(rows, 10, 2, { perplexity: 10 }), /perplexity must be at least 1 and below the number of points \(10\), got 10/)
  assert.throws(() => tsne(rows.subarray(0, 4), 2, 2), /needs at least 3 points, got 2/)
  assert.throws(() => tsne(rows, 10, 3), /10 points of dimension 3 need 30 values, got 20/)
  assert.throws(() => tsne(rows, 10, 2, { perplexity: 3, iterations: 0 }), /iterations must be a positive integer, got 0/)
  const bad = Float64Array.from(rows)
  bad[5] = NaN
  assert.throws(() => tsne(bad, 10, 2, { perplexity: 3 }), /point 2 has a non-finite coordinate NaN/)
})

test.run()
