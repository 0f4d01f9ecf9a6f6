// Judging a trained generative model with the evaluation classifier: FID of generated samples
// against the test set (and the floor: test against test), per-class accuracy of a conditional
// model's samples, and 2-D maps (PCA and t-SNE) of the latent means of test images coloured by
// class, all written into the model's run folder with an eval.json.
import { writeFileAtomic } from '../report/atomic.ts'
import { join } from 'node:path'
import { noGrad } from '../autograd/grad_mode.ts'
import { getBackend } from '../backend/index.ts'
import { randn } from '../tensor/creation.ts'
import { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import type { ImageDataset } from '../data/datasets.ts'
import type { VaeModel } from '../models/vae.ts'
import { loadRunData } from '../train/data.ts'
import { imageTensor } from '../train/data.ts'
import { loadClassifierRun, openGanRun, openRun, type OpenGanRun } from '../train/reopen.ts'
import type { ClassifierRun } from '../train/classifier_cnn_model.ts'
import { writePng } from '../report/png.ts'
import { renderScatter } from '../report/scatter.ts'
import { argmax, classAccuracy, formatClassAccuracy, type ClassAccuracy } from './class_accuracy.ts'
import { datasetFeatures, extractFeatures, fid, fidFloor, FID_NAME, type FeatureSet } from './fid.ts'
import { pca } from './pca.ts'
import { formatLabelUse, probeLabelUse, type LabelUse } from './label_use.ts'
import { tsne } from './tsne.ts'
import { tidy } from '../tensor/memory.ts'

export * from './eigen.ts'
export * from './fid.ts'
export * from './class_accuracy.ts'
export * from './pca.ts'
export * from './tsne.ts'
export * from './label_use.ts'

export interface GenerativeEvalOptions {
  /** Generated images for FID and the per-class accuracy (5000; 1000-10000 is sensible). */
  samples?: number
  /** Test images in the latent maps (2000; t-SNE is O(N^2)). */
  mapPoints?: number
  /** t-SNE's perplexity and iterations (30, 1000). */
  perplexity?: number
  tsneIterations?: number
  /** Use only the first N test images (tests, quick looks); all of them by default. */
  testLimit?: number
  /** Seed of the latents drawn and of the map's subset and start (the run's seed). */
  seed?: number
  /** More figures to keep in eval.json (the ELBO terms, say). */
  extra?: Record<string, unknown>
  log?: (line: string) => void
}

export interface GenerativeEvaluation {
  run: string
  model: string
  epoch: number
  classifier: { run: string; dataset: string; testAccuracy: number }
  backend: string
  fid: { name: typeof FID_NAME; value: number; samples: number; testImages: number }
  floor: { name: typeof FID_NAME; value: number; halves: [number, number] }
  /** A conditional model's samples, judged by the classifier against the labels they were drawn for. */
  classAccuracy?: ClassAccuracy
  /** The classifier's own per-class accuracy on the real test images: the ceiling for the above. */
  realClassAccuracy?: ClassAccuracy
  /** A conditional VAE: whether its decoder takes the class from the label or from z (label_use.ts). */
  labelUse?: LabelUse
  maps: { points: number; pca: string; tsne: string; pcaVarianceRatio: number[]; tsneKl: number; perplexity: number }
  seconds: number
  [key: string]: unknown
}

/** Images drawn from the model's prior, decoded; a conditional model cycles through the classes. */
export function generateSamples(model: VaeModel, count: number, rng: Rng, batch = 250): { images: (start: number, n: number) => Tensor; labels: Int32Array | null } {
  const labels = model.classes === null ? null : Int32Array.from({ length: count }, (_, i) => i % model.classes!)
  return {
    labels,
    images: (start, n) => noGrad(() => model.decode(randn([n, model.latent], { rng }), labels ? labels.subarray(start, start + n) : undefined)),
  }
}

/** A GAN run's samples, as generateSamples: an ACGAN cycles through the classes. */
export function generateGanSamples(run: OpenGanRun, count: number, rng: Rng): { images: (start: number, n: number) => Tensor; labels: Int32Array | null } {
  const classes = run.generator.classes
  const labels = classes === null ? null : Int32Array.from({ length: count }, (_, i) => i % classes)
  return { labels, images: (start, n) => noGrad(() => run.generate(n, rng, labels ? labels.subarray(start, start + n) : undefined).images) }
}

/** The latent means mu of the test images `indices`, [indices.length, latent] in float32. */
export function latentMeans(model: VaeModel, data: ImageDataset, indices: Int32Array, batch = 500): Float32Array {
  const out = new Float32Array(indices.length * model.latent)
  noGrad(() => {
    for (let start = 0; start < indices.length; start += batch) {
      const pick = indices.subarray(start, Math.min(start + batch, indices.length))
      const labels = model.classes === null ? undefined : Int32Array.from(pick, (i) => data.labels[i]!)
      tidy(() => out.set(model.encode(imageTensor(data, pick), labels).mu.contiguous().toTypedArray() as Float32Array, start * model.latent))
    }
  })
  return out
}

/** Writes a PCA map and a t-SNE map of the points' latent means, coloured by class. */
export function writeLatentMaps(
  dir: string,
  latents: Float32Array,
  labels: ArrayLike<number>,
  dim: number,
  classNames: readonly string[],
  options: { perplexity?: number; iterations?: number; seed?: number; title?: string } = {},
): GenerativeEvaluation['maps'] {
  const count = labels.length
  const title = options.title ?? 'latent means of test images'
  // One latent dimension: the PCA map is the line it spans (y = 0).
  const k = Math.min(2, dim)
  const principal = pca(latents, count, dim, k)
  const px = Float64Array.from({ length: count }, (_, i) => principal.projection[i * k]!)
  const py = Float64Array.from({ length: count }, (_, i) => (k === 2 ? principal.projection[i * k + 1]! : 0))
  const ratio = Array.from(principal.varianceRatio)
  const pcaPlot = renderScatter({
    x: px,
    y: py,
    labels,
    classNames,
    title: `${title}: PCA`,
    xLabel: `PC1 (${(100 * ratio[0]!).toFixed(1)}% of the variance)`,
    yLabel: k === 2 ? `PC2 (${(100 * ratio[1]!).toFixed(1)}%)` : 'PC2 (none: 1-D latent)',
  })
  writePng(join(dir, 'latent_pca.png'), pcaPlot.image)
  const perplexity = Math.min(options.perplexity ?? 30, Math.max(1, Math.floor((count - 1) / 3)))
  const map = tsne(latents, count, dim, { perplexity, iterations: options.iterations ?? 1000, seed: options.seed ?? 0 })
  const tsnePlot = renderScatter({
    x: Float64Array.from({ length: count }, (_, i) => map.embedding[2 * i]!),
    y: Float64Array.from({ length: count }, (_, i) => map.embedding[2 * i + 1]!),
    labels,
    classNames,
    title: `${title}: t-SNE (perplexity ${perplexity})`,
    xLabel: 't-SNE 1',
    yLabel: 't-SNE 2',
  })
  writePng(join(dir, 'latent_tsne.png'), tsnePlot.image)
  return { points: count, pca: 'latent_pca.png', tsne: 'latent_tsne.png', pcaVarianceRatio: ratio, tsneKl: map.kl, perplexity }
}

/**
 * Evaluates the VAE run in `runDir` with the classifier run in `classifier` (a folder or a loaded
 * run): FID and its floor, per-class accuracy for a conditional model, latent maps; writes
 * latent_pca.png, latent_tsne.png and eval.json into the run folder and returns the report.
 */
export function evaluateGenerativeRun(runDir: string, classifier: string | ClassifierRun, options: GenerativeEvalOptions = {}): GenerativeEvaluation {
  const began = performance.now()
  const log = options.log ?? ((line: string) => console.log(line))
  const { config, model, epoch } = openRun(runDir)
  const judge = typeof classifier === 'string' ? loadClassifierRun(classifier) : classifier
  const { test: fullTest } = loadRunData({ ...config, limit: undefined })
  if (judge.dataset !== config.dataset) {
    throw new Error(`the classifier in ${judge.dir} was trained on ${judge.dataset}, but ${runDir} models ${config.dataset}: train one on ${config.dataset} (genkata train classifier-cnn --dataset ${config.dataset === 'mnist' ? 'mnist' : 'fashion'})`)
  }
  const [, h, w] = judge.model.imageShape
  if (h !== fullTest.rows || w !== fullTest.cols) throw new Error(`the classifier in ${judge.dir} takes ${h}x${w} images, the test set has ${fullTest.rows}x${fullTest.cols}`)
  const limit = options.testLimit
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 4)) throw new RangeError(`testLimit must be an integer of at least 4, got ${limit}`)
  const test: ImageDataset = limit === undefined || limit >= fullTest.count ? fullTest : { ...fullTest, count: limit, labels: fullTest.labels.subarray(0, limit), images: fullTest.images.subarray(0, limit * h * w) }
  const samples = options.samples ?? 5000
  if (!(Number.isInteger(samples) && samples >= 2)) throw new RangeError(`samples must be an integer of at least 2, got ${samples}`)
  const seed = options.seed ?? config.seed
  log(`evaluating ${runDir} (${config.model}, epoch ${epoch}) with the classifier ${judge.dir} (test accuracy ${(100 * judge.testAccuracy).toFixed(2)}%); backend ${getBackend().name}`)

  const testFeatures: FeatureSet = datasetFeatures(judge.model, test)
  const generated = generateSamples(model, samples, new Rng(seed + 3))
  const sampleFeatures = extractFeatures(judge.model, samples, generated.images)
  const value = fid(sampleFeatures, testFeatures)
  const floor = fidFloor(judge, testFeatures, { seed })
  log(`${FID_NAME}: ${value.toFixed(3)} for ${samples} samples against ${test.count} test images; floor (test half against test half) ${floor.fid.toFixed(3)}`)

  let judged: ClassAccuracy | undefined
  let real: ClassAccuracy | undefined
  let labelUse: LabelUse | undefined
  if (generated.labels) {
    judged = classAccuracy(argmax(sampleFeatures.logits, samples, sampleFeatures.classes), generated.labels, judge.classNames)
    real = classAccuracy(argmax(testFeatures.logits, test.count, testFeatures.classes), test.labels, judge.classNames)
    log(`per-class accuracy of the samples, judged by the classifier:\n${formatClassAccuracy(judged)}\n(on real test images the classifier scores ${(100 * real.mean).toFixed(1)}% per class on average)`)
    labelUse = probeLabelUse(model, judge.model, test, samples)
    log(formatLabelUse(labelUse))
  }

  const mapPoints = Math.min(options.mapPoints ?? 2000, test.count)
  const chosen = new Rng(seed + 4).permutation(test.count).subarray(0, mapPoints)
  const latents = latentMeans(model, test, chosen)
  const maps = writeLatentMaps(runDir, latents, Int32Array.from(chosen, (i) => test.labels[i]!), model.latent, test.classes, {
    perplexity: options.perplexity,
    iterations: options.tsneIterations,
    seed,
    title: `${config.model} latent means`,
  })
  log(`latent maps of ${mapPoints} test images: ${join(runDir, maps.pca)}, ${join(runDir, maps.tsne)}`)

  const report: GenerativeEvaluation = {
    run: runDir,
    model: config.model,
    epoch,
    classifier: { run: judge.dir, dataset: judge.dataset, testAccuracy: judge.testAccuracy },
    backend: getBackend().name,
    fid: { name: FID_NAME, value, samples, testImages: test.count },
    floor: { name: FID_NAME, value: floor.fid, halves: floor.halves },
    ...(judged ? { classAccuracy: judged, realClassAccuracy: real, labelUse } : {}),
    maps,
    seconds: (performance.now() - began) / 1000,
    ...options.extra,
  }
  // NaN (a class with no images) is not JSON: written as null.
  writeFileAtomic(join(runDir, 'eval.json'), JSON.stringify(report, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n')
  return report
}

/** A GAN run's evaluation: as a VAE's, without latent maps (a GAN has no encoder). */
export type GanEvaluation = Omit<GenerativeEvaluation, 'maps'>

/**
 * Evaluates the GAN run in `runDir` (gan, dcgan, acgan) with the classifier run in `classifier`: FID
 * of its samples against the test set and the floor; for the ACGAN, the per-class accuracy of its
 * samples. Writes eval.json into the run folder (a GAN has no encoder, so no latent maps).
 */
export function evaluateGanRun(runDir: string, classifier: string | ClassifierRun, options: Pick<GenerativeEvalOptions, 'samples' | 'seed' | 'log' | 'testLimit'> = {}): GanEvaluation {
  const began = performance.now()
  const log = options.log ?? ((line: string) => console.log(line))
  const run = openGanRun(runDir)
  const judge = typeof classifier === 'string' ? loadClassifierRun(classifier) : classifier
  const { test: fullTest } = loadRunData({ ...run.config, limit: undefined })
  if (judge.dataset !== run.config.dataset) throw new Error(`the classifier in ${judge.dir} was trained on ${judge.dataset}, but ${runDir} models ${run.config.dataset}`)
  const limit = options.testLimit
  const test: ImageDataset = limit === undefined || limit >= fullTest.count ? fullTest : { ...fullTest, count: limit, labels: fullTest.labels.subarray(0, limit), images: fullTest.images.subarray(0, limit * fullTest.rows * fullTest.cols) }
  const samples = options.samples ?? 5000
  if (!(Number.isInteger(samples) && samples >= 2)) throw new RangeError(`samples must be an integer of at least 2, got ${samples}`)
  const seed = options.seed ?? run.config.seed
  log(`evaluating ${runDir} (${run.config.model}, epoch ${run.epoch}) with the classifier ${judge.dir} (test accuracy ${(100 * judge.testAccuracy).toFixed(2)}%); backend ${getBackend().name}`)
  const { images, labels } = generateGanSamples(run, samples, new Rng(seed + 3))
  const testFeatures = datasetFeatures(judge.model, test)
  const sampleFeatures = extractFeatures(judge.model, samples, images)
  const value = fid(sampleFeatures, testFeatures)
  const floor = fidFloor(judge, testFeatures, { seed })
  log(`${FID_NAME}: ${value.toFixed(3)} for ${samples} samples against ${test.count} test images; floor (test half against test half) ${floor.fid.toFixed(3)}`)
  let judged: ClassAccuracy | undefined
  let real: ClassAccuracy | undefined
  if (labels) {
    judged = classAccuracy(argmax(sampleFeatures.logits, samples, sampleFeatures.classes), labels, judge.classNames)
    real = classAccuracy(argmax(testFeatures.logits, test.count, testFeatures.classes), test.labels, judge.classNames)
    log(`per-class accuracy of the samples, judged by the classifier:\n${formatClassAccuracy(judged)}\n(on real test images the classifier scores ${(100 * real.mean).toFixed(1)}% per class on average)`)
  }
  const report: GanEvaluation = {
    run: runDir,
    model: run.config.model,
    epoch: run.epoch,
    classifier: { run: judge.dir, dataset: judge.dataset, testAccuracy: judge.testAccuracy },
    backend: getBackend().name,
    fid: { name: FID_NAME, value, samples, testImages: test.count },
    floor: { name: FID_NAME, value: floor.fid, halves: floor.halves },
    ...(judged ? { classAccuracy: judged, realClassAccuracy: real } : {}),
    seconds: (performance.now() - began) / 1000,
  }
  writeFileAtomic(join(runDir, 'eval.json'), JSON.stringify(report, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n')
  return report
}
