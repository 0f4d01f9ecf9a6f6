// FID on the evaluation classifier's features: the Fréchet distance between Gaussians fitted to
// the penultimate activations of real and generated images (Heusel et al., 2017).
//
// Real FID uses Inception-v3's 2048 pool features on ImageNet-sized colour images; genkata has no
// Inception, so its numbers come from its own classifier's 128 features and are comparable only
// with each other (same classifier run, same sample sizes), never with published FIDs. Every
// printout says so: FID_NAME. The estimate is biased upward at finite sample sizes, so the report
// also gives the floor: real test images against other real test images (fidFloor).
import { noGrad } from '../autograd/grad_mode.ts'
import { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import type { ImageDataset } from '../data/datasets.ts'
import type { ClassifierCnn } from '../models/classifier_cnn.ts'
import { imageTensor } from '../train/data.ts'
import type { ClassifierRun } from '../train/classifier_cnn_model.ts'
import { moments, type Moments } from '#kata/eval/moments'
import { frechetDistance } from '#kata/eval/frechet'
import { tidy } from '../tensor/memory.ts'

export { moments, frechetDistance }
export type { Moments }

/** How FID is named wherever genkata prints or writes it. */
export const FID_NAME = 'FID (genkata classifier features, not Inception)'

/** Features (and logits) of a set of images, computed batch by batch. */
export interface FeatureSet {
  count: number
  dim: number
  /** [count, dim] row-major */
  features: Float32Array
  /** [count, classes] row-major */
  logits: Float32Array
  classes: number
}

/**
 * The classifier's penultimate features and logits for `count` images; `images(start, n)` returns
 * images start..start+n-1 as [n, C, H, W] or [n, C*H*W] in [0, 1]. Eval mode, no graph.
 */
export function extractFeatures(model: ClassifierCnn, count: number, images: (start: number, n: number) => Tensor, batch = 250): FeatureSet {
  if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`extractFeatures: count must be a positive integer, got ${count}`)
  const dim = model.hidden
  const classes = model.classes
  const features = new Float32Array(count * dim)
  const logits = new Float32Array(count * classes)
  const wasTraining = model.training
  model.eval()
  noGrad(() => {
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start)
      // Each batch's tensors are freed as it ends (tidy): a backend's own memory would otherwise hold them all.
      tidy(() => {
        const x = images(start, n)
        if (x.shape[0] !== n) throw new Error(`extractFeatures: asked for ${n} images from ${start}, got a batch of ${x.shape[0]}`)
        const h = model.features(x)
        features.set(h.contiguous().toTypedArray() as Float32Array, start * dim)
        // In eval mode dropout is the identity, so the logits are the last layer of the features.
        logits.set(model.out.forward(h).contiguous().toTypedArray() as Float32Array, start * classes)
      })
    }
  })
  if (wasTraining) model.train()
  return { count, dim, features, logits, classes }
}

/** Features of the images `indices` of a data set (all of them by default). */
export function datasetFeatures(model: ClassifierCnn, data: ImageDataset, indices?: ArrayLike<number>, batch = 250): FeatureSet {
  const pick = indices ?? Int32Array.from({ length: data.count }, (_, i) => i)
  return extractFeatures(model, pick.length, (start, n) => imageTensor(data, Array.from({ length: n }, (_, i) => pick[start + i]!)), batch)
}

/** The rows `indices` of a feature set, as a new one. */
export function selectFeatures(set: FeatureSet, indices: ArrayLike<number>): FeatureSet {
  const features = new Float32Array(indices.length * set.dim)
  const logits = new Float32Array(indices.length * set.classes)
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!
    features.set(set.features.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim)
    logits.set(set.logits.subarray(r * set.classes, (r + 1) * set.classes), i * set.classes)
  }
  return { count: indices.length, dim: set.dim, features, logits, classes: set.classes }
}

/** Mean and covariance of a feature set, in float64. */
export function featureMoments(set: Pick<FeatureSet, 'features' | 'count' | 'dim'>): Moments {
  return moments(set.features, set.count, set.dim)
}

/** FID between two feature sets: the Fréchet distance of their fitted Gaussians. */
export function fid(a: Pick<FeatureSet, 'features' | 'count' | 'dim'>, b: Pick<FeatureSet, 'features' | 'count' | 'dim'>): number {
  if (a.dim !== b.dim) throw new RangeError(`fid: the feature sets have different widths, ${a.dim} and ${b.dim}: were they made by the same classifier?`)
  return frechetDistance(featureMoments(a), featureMoments(b))
}

export interface FidFloor {
  name: typeof FID_NAME
  /** FID between the two halves of the test images. */
  fid: number
  halves: [number, number]
}

/**
 * The floor: FID between two random halves of the real test images (seeded). A model cannot be
 * expected to score below it at that sample size: it is the estimator's own bias and noise.
 * Takes a classifier run (or the model) and the test set, or test features already computed.
 */
export function fidFloor(classifier: ClassifierRun | ClassifierCnn, testSet: ImageDataset | FeatureSet, options: { seed?: number } = {}): FidFloor {
  const model = 'model' in classifier ? classifier.model : classifier
  const features = 'features' in testSet ? testSet : datasetFeatures(model, testSet)
  if (features.count < 4) throw new RangeError(`fidFloor: needs at least 4 test images to split in two halves, got ${features.count}`)
  const order = new Rng(options.seed ?? 0).permutation(features.count)
  const half = Math.floor(features.count / 2)
  const first = selectFeatures(features, order.subarray(0, half))
  const second = selectFeatures(features, order.subarray(half))
  return { name: FID_NAME, fid: fid(first, second), halves: [first.count, second.count] }
}
