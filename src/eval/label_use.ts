// Why a conditional VAE's samples miss the class asked for. Sampling draws z from the prior and
// decodes it with label y; that works only if the decoder takes the class from y and z carries
// style alone. Three probes, each judged by the evaluation classifier, tell the failures apart:
//   prototype       decode(0, y) is judged y: the decoder does listen to the label;
//   reconstruction  decode(mu(x, y), y) is judged y: its images are sharp enough to judge;
//   label swap      decode(mu(x, y), y') for another class y': judged y' when the label decides
//                   the class, judged y (the image's own class) when z carries it. A z that carries
//                   the class is what sinks prior samples: a z drawn from the prior is some class's
//                   z, and decoded with another label it gives neither class.
import type { Tensor } from '../tensor/tensor.ts'
import { fromArray, zeros } from '../tensor/creation.ts'
import { argmax } from '../tensor/argmax.ts'
import { noGrad } from '../autograd/grad_mode.ts'
import type { ImageDataset } from '../data/datasets.ts'
import type { ClassifierCnn } from '../models/classifier_cnn.ts'
import { imageTensor } from '../train/data.ts'
import { extractFeatures } from './fid.ts'
import { tidy } from '../tensor/memory.ts'

/** The part of a conditional VAE the probes use. */
export interface ConditionalDecoder {
  readonly latent: number
  encode(x: Tensor, labels: ArrayLike<number>): { mu: Tensor }
  decode(z: Tensor, labels: ArrayLike<number>): Tensor
}

export interface LabelUse {
  /** Share of the classes whose decode(0, y) is judged y. */
  prototype: number
  /** Share of reconstructions decode(mu(x, y), y) judged y. */
  reconstruction: number
  /** Share of decode(mu(x, y), y') judged y' (follows the label) and judged y (follows z). */
  swapFollowsLabel: number
  swapFollowsImage: number
  /** Test images probed. */
  images: number
}

export interface LabelUseInput {
  model: ConditionalDecoder
  classes: number
  /** The test images as the model takes them, `count` of them, and their labels. */
  images: (start: number, n: number) => Tensor
  labels: ArrayLike<number>
  count: number
  /** The classifier's verdicts on `count` images made batch by batch. */
  judge: (count: number, images: (start: number, n: number) => Tensor) => ArrayLike<number>
  batch?: number
}

const share = (predicted: ArrayLike<number>, target: ArrayLike<number>) => {
  let hits = 0
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === target[i]) hits++
  return hits / predicted.length
}

export function labelUse(input: LabelUseInput): LabelUse {
  const { model, classes, count, judge } = input
  const batch = input.batch ?? 250
  if (!(Number.isInteger(classes) && classes > 1)) throw new RangeError(`labelUse: classes must be an integer above 1, got ${classes}`)
  if (!(Number.isInteger(count) && count >= 1 && count <= input.labels.length)) throw new RangeError(`labelUse: count must be an integer in 1..${input.labels.length} (the labels given), got ${count}`)
  const own = Int32Array.from({ length: count }, (_, i) => input.labels[i]!)
  // Every other class equally often: y' = y + 1 + (i mod (classes - 1)), wrapped.
  const other = Int32Array.from(own, (y, i) => (y + 1 + (i % (classes - 1))) % classes)
  const classOrder = Int32Array.from({ length: classes }, (_, i) => i)
  const latent = model.latent
  const mus = new Float32Array(count * latent)
  noGrad(() => {
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start)
      // Each batch's tensors are freed as it ends (tidy): a backend's own memory would otherwise hold them all.
      tidy(() => mus.set(model.encode(input.images(start, n), own.subarray(start, start + n)).mu.contiguous().toTypedArray() as Float32Array, start * latent))
    }
  })
  const mu = (start: number, n: number) => fromArray(mus.subarray(start * latent, (start + n) * latent), [n, latent])
  const decoded = (z: (start: number, n: number) => Tensor, labels: Int32Array) => (start: number, n: number) => noGrad(() => model.decode(z(start, n), labels.subarray(start, start + n)))
  const swapped = judge(count, decoded(mu, other))
  return {
    prototype: share(judge(classes, decoded((_, n) => zeros([n, latent]), classOrder)), classOrder),
    reconstruction: share(judge(count, decoded(mu, own)), own),
    swapFollowsLabel: share(swapped, other),
    swapFollowsImage: share(swapped, own),
    images: count,
  }
}

/** The probes of a conditional VAE on the first `count` test images, judged by the evaluation classifier. */
export function probeLabelUse(model: ConditionalDecoder & { classes: number | null }, classifier: ClassifierCnn, test: ImageDataset, count: number): LabelUse {
  if (model.classes === null) throw new Error('labelUse: the model is not conditional (it has no classes)')
  return labelUse({
    model,
    classes: model.classes,
    images: (start, n) => imageTensor(test, Int32Array.from({ length: n }, (_, i) => start + i)),
    labels: test.labels,
    count: Math.min(count, test.count),
    judge: (n, images) => argmax(extractFeatures(classifier, n, images).logits, n, classifier.classes),
  })
}

/** The probes as lines for a log. */
export function formatLabelUse(u: LabelUse): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`
  return [
    `does the decoder take the class from the label or from z? (${u.images} test images x, label y, another class y')`,
    `  decode(0, y), the prototype, judged y:        ${pct(u.prototype)}`,
    `  decode(mu(x, y), y), the reconstruction:      ${pct(u.reconstruction)}`,
    `  decode(mu(x, y), y') judged y' (the label):   ${pct(u.swapFollowsLabel)}`,
    `  decode(mu(x, y), y') judged y (z's class):    ${pct(u.swapFollowsImage)}`,
  ].join('\n')
}
