// Exact t-SNE (van der Maaten and Hinton, 2008): a 2-D map in which points that are neighbours in
// the original space stay neighbours.
//
//  1. For each point i, a Gaussian over the others, p(j|i) ~ exp(-beta_i ||x_i - x_j||^2), with
//     beta_i found by binary search so that the perplexity 2^H(P_i) equals the one asked for (the
//     effective number of neighbours). Symmetrised: p_ij = (p(j|i) + p(i|j)) / 2N.
//  2. In the map, a Student-t with one degree of freedom: q_ij ~ 1 / (1 + ||y_i - y_j||^2); its
//     heavy tail lets dissimilar points sit far apart without cost (the "crowding problem").
//  3. Gradient descent on KL(P || Q):  dC/dy_i = 4 sum_j (p_ij - q_ij) (y_i - y_j) / (1 + ||y_i - y_j||^2),
//     with momentum, per-coordinate adaptive gains, and "early exaggeration" (p multiplied by 12
//     for the first 250 iterations) so that clusters form before they settle.
//
// Exact means every pair, every iteration: O(N^2 D) once for the distances, then O(N^2) time per
// iteration and O(N^2) memory (P and the distances, N x N float64 each: 32 MB apiece at N = 2000).
// Fine for the 1000-2000 points of a latent map; Barnes-Hut would be needed for tens of thousands. Deterministic: the only randomness is the seeded start.
import { Rng } from '../tensor/random.ts'

export interface TsneOptions {
  /** Effective number of neighbours (30); must be below the number of points. */
  perplexity?: number
  /** Gradient steps (1000). */
  iterations?: number
  /** Step size (200). */
  learningRate?: number
  /** Factor on P during the first exaggerationIterations steps (12, for 250). */
  earlyExaggeration?: number
  exaggerationIterations?: number
  /** Seed of the initial map, N(0, 1e-4 I) (0). Or pass an Rng. */
  seed?: number
  rng?: Rng
  /** Called every 50 iterations with the iteration and the current KL divergence. */
  onProgress?: (iteration: number, kl: number) => void
}

export interface TsneResult {
  /** [count, 2] row-major map coordinates, centred. */
  embedding: Float64Array
  /** KL(P || Q) at the end: what the map failed to preserve (lower is better). */
  kl: number
  iterations: number
  perplexity: number
}

/** Squared Euclidean distances between all rows of a [count, dim] matrix, [count, count], in float64. */
export function squaredDistances(rows: ArrayLike<number>, count: number, dim: number): Float64Array {
  const d = new Float64Array(count * count)
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      let s = 0
      for (let k = 0; k < dim; k++) {
        const diff = rows[i * dim + k]! - rows[j * dim + k]!
        s += diff * diff
      }
      d[i * count + j] = s
      d[j * count + i] = s
    }
  }
  return d
}

/**
 * Row i of the conditional probabilities p(j|i) for the squared distances, with beta (the
 * Gaussian's precision) chosen by bisection so that the entropy is log(perplexity) (nats).
 * Returns the row (p(i|i) = 0) and the beta found.
 */
export function conditionalRow(distances: Float64Array, count: number, i: number, perplexity: number, tolerance = 1e-5, maxSteps = 200): { row: Float64Array; beta: number } {
  const target = Math.log(perplexity)
  const row = new Float64Array(count)
  // Distances relative to the nearest neighbour: exp() cannot underflow for all j at once.
  let nearest = Infinity
  for (let j = 0; j < count; j++) if (j !== i && distances[i * count + j]! < nearest) nearest = distances[i * count + j]!
  let beta = 1
  let lo = 0
  let hi = Infinity
  for (let step = 0; step < maxSteps; step++) {
    let sum = 0
    let weighted = 0
    for (let j = 0; j < count; j++) {
      if (j === i) {
        row[j] = 0
        continue
      }
      const d = distances[i * count + j]! - nearest
      const p = Math.exp(-beta * d)
      row[j] = p
      sum += p
      weighted += d * p
    }
    // H = log(sum) + beta * E[d]: the entropy of the normalised row.
    const entropy = Math.log(sum) + (beta * weighted) / sum
    for (let j = 0; j < count; j++) row[j]! /= sum
    const gap = entropy - target
    if (Math.abs(gap) < tolerance) break
    // Too flat (entropy too high): sharpen, a larger beta; too peaked: a smaller one.
    if (gap > 0) {
      lo = beta
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2
    } else {
      hi = beta
      beta = (beta + lo) / 2
    }
  }
  return { row, beta }
}

/** The symmetric joint probabilities p_ij = (p(j|i) + p(i|j)) / 2N, [count, count]. */
export function jointProbabilities(rows: ArrayLike<number>, count: number, dim: number, perplexity: number): Float64Array {
  const distances = squaredDistances(rows, count, dim)
  // The scale of the distances does not change P, but beta's search starts at 1: normalise so
  // that it starts near the answer whatever the units of the data.
  let max = 0
  for (let i = 0; i < distances.length; i++) if (distances[i]! > max) max = distances[i]!
  if (max > 0) for (let i = 0; i < distances.length; i++) distances[i]! /= max
  const p = new Float64Array(count * count)
  for (let i = 0; i < count; i++) p.set(conditionalRow(distances, count, i, perplexity).row, i * count)
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      const v = Math.max((p[i * count + j]! + p[j * count + i]!) / (2 * count), 1e-12)
      p[i * count + j] = v
      p[j * count + i] = v
    }
    p[i * count + i] = 0
  }
  return p
}

/** The sum over all pairs i != j of the Student-t kernel 1 / (1 + ||y_i - y_j||^2). */
function studentSum(y: Float64Array, count: number): number {
  let sum = 0
  for (let i = 0; i < count; i++) {
    const [yi0, yi1] = [y[2 * i]!, y[2 * i + 1]!]
    for (let j = i + 1; j < count; j++) {
      const d0 = yi0 - y[2 * j]!
      const d1 = yi1 - y[2 * j + 1]!
      sum += 2 / (1 + d0 * d0 + d1 * d1)
    }
  }
  return sum
}

/** KL(P || Q) for joint P and the map y. */
export function divergence(p: Float64Array, y: Float64Array, count: number): number {
  const kernelSum = studentSum(y, count)
  let kl = 0
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) {
      const pij = p[i * count + j]!
      if (j === i || pij <= 0) continue
      const d0 = y[2 * i]! - y[2 * j]!
      const d1 = y[2 * i + 1]! - y[2 * j + 1]!
      kl += pij * Math.log(pij / Math.max(1 / (1 + d0 * d0 + d1 * d1) / kernelSum, 1e-12))
    }
  }
  return kl
}

/** A 2-D t-SNE map of the rows of a [count, dim] row-major matrix. */
export function tsne(rows: ArrayLike<number>, count: number, dim: number, options: TsneOptions = {}): TsneResult {
  const perplexity = options.perplexity ?? 30
  const iterations = options.iterations ?? 1000
  const learningRate = options.learningRate ?? 200
  const exaggeration = options.earlyExaggeration ?? 12
  const exaggerationIterations = options.exaggerationIterations ?? 250
  if (!(Number.isInteger(count) && count >= 3)) throw new RangeError(`tsne: needs at least 3 points, got ${count}`)
  if (rows.length !== count * dim) throw new RangeError(`tsne: ${count} points of dimension ${dim} need ${count * dim} values, got ${rows.length}`)
  if (!(perplexity >= 1 && perplexity < count)) {
    throw new RangeError(`tsne: perplexity must be at least 1 and below the number of points (${count}), got ${perplexity}`)
  }
  if (!(Number.isInteger(iterations) && iterations >= 1)) throw new RangeError(`tsne: iterations must be a positive integer, got ${iterations}`)
  for (let i = 0; i < rows.length; i++) if (!Number.isFinite(rows[i]!)) throw new RangeError(`tsne: point ${Math.floor(i / dim)} has a non-finite coordinate ${rows[i]}`)

  const p = jointProbabilities(rows, count, dim, perplexity)
  const rng = options.rng ?? new Rng(options.seed ?? 0)
  const y = Float64Array.from({ length: count * 2 }, () => 1e-2 * rng.normal())
  const update = new Float64Array(count * 2)
  const gains = new Float64Array(count * 2).fill(1)
  const grad = new Float64Array(count * 2)
  const attract = new Float64Array(count * 2)
  const repulse = new Float64Array(count * 2)

  for (let it = 0; it < iterations; it++) {
    const exaggerate = it < exaggerationIterations ? exaggeration : 1
    const momentum = it < exaggerationIterations ? 0.5 : 0.8
    // dC/dy_i = 4 (sum_j p_ij k_ij (y_i - y_j) - (1/Z) sum_j k_ij^2 (y_i - y_j)), k_ij = 1/(1 + d_ij^2),
    // Z = sum of k over all pairs: the attraction and the repulsion are summed apart, so that one
    // pass over the pairs i < j (each kernel computed once, used for both points) gives Z too.
    attract.fill(0)
    repulse.fill(0)
    let kernelSum = 0
    for (let i = 0; i < count; i++) {
      const [yi0, yi1] = [y[2 * i]!, y[2 * i + 1]!]
      const row = i * count
      let [a0, a1, r0, r1] = [0, 0, 0, 0]
      for (let j = i + 1; j < count; j++) {
        const d0 = yi0 - y[2 * j]!
        const d1 = yi1 - y[2 * j + 1]!
        const k = 1 / (1 + d0 * d0 + d1 * d1)
        kernelSum += 2 * k
        const pull = exaggerate * p[row + j]! * k
        const push = k * k
        a0 += pull * d0
        a1 += pull * d1
        r0 += push * d0
        r1 += push * d1
        attract[2 * j]! -= pull * d0
        attract[2 * j + 1]! -= pull * d1
        repulse[2 * j]! -= push * d0
        repulse[2 * j + 1]! -= push * d1
      }
      attract[2 * i]! += a0
      attract[2 * i + 1]! += a1
      repulse[2 * i]! += r0
      repulse[2 * i + 1]! += r1
    }
    for (let c = 0; c < 2 * count; c++) grad[c] = 4 * (attract[c]! - repulse[c]! / kernelSum)
    // Gains grow where the gradient keeps its direction against the last step, shrink where it flips.
    for (let c = 0; c < 2 * count; c++) {
      const same = grad[c]! > 0 === update[c]! > 0
      gains[c] = Math.max(0.01, same ? gains[c]! * 0.8 : gains[c]! + 0.2)
      update[c] = momentum * update[c]! - learningRate * gains[c]! * grad[c]!
      y[c]! += update[c]!
    }
    let m0 = 0
    let m1 = 0
    for (let i = 0; i < count; i++) {
      m0 += y[2 * i]!
      m1 += y[2 * i + 1]!
    }
    for (let i = 0; i < count; i++) {
      y[2 * i]! -= m0 / count
      y[2 * i + 1]! -= m1 / count
    }
    if (options.onProgress && (it + 1) % 50 === 0) options.onProgress(it + 1, divergence(p, y, count))
  }
  return { embedding: y, kl: divergence(p, y, count), iterations, perplexity }
}
