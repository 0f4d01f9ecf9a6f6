// The experiments' pictures: each arm's grid (samples, a traversal, a row per class) and panels put
// side by side, each under its label. Layout (pixels): every gap is PANEL_PAD; panel i's top-left
// corner is at x = PANEL_PAD + sum of the earlier panels' widths + i * PANEL_PAD, y = PANEL_PAD +
// header, where header = TEXT_HEIGHT * labelScale + PANEL_PAD; the picture is as tall as the
// tallest panel plus the header and two gaps.
import { noGrad } from '../autograd/grad_mode.ts'
import { fromArray } from '../tensor/creation.ts'
import { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { imageBatch } from '../data/batches.ts'
import type { ImageDataset } from '../data/datasets.ts'
import { samplePrior, traversalLatents } from '#kata/models/sampling'
import { blit, createImage, type Image } from '../report/canvas.ts'
import { drawText, measureText, TEXT_HEIGHT } from '../report/font.ts'
import { imageGrid, traversalGrid } from '../report/grid.ts'
import { TRAVERSAL_VALUES } from '../train/vae_report.ts'
import type { TrainedModel } from './types.ts'

export const PANEL_PAD = 8
export const PANEL_LABEL_SCALE = 2

export interface Panel {
  label: string
  image: Image
}

/** Where sideBySide puts each panel: its top-left corner. */
export function panelLayout(panels: readonly Pick<Image, 'width' | 'height'>[], labelScale = PANEL_LABEL_SCALE): { width: number; height: number; boxes: { x: number; y: number }[] } {
  const header = TEXT_HEIGHT * labelScale + PANEL_PAD
  const boxes: { x: number; y: number }[] = []
  let x = PANEL_PAD
  for (const p of panels) {
    boxes.push({ x, y: PANEL_PAD + header })
    x += p.width + PANEL_PAD
  }
  return { width: x, height: PANEL_PAD + header + Math.max(...panels.map((p) => p.height)) + PANEL_PAD, boxes }
}

/** The panels in a row on white, each with its label centred above it (grayscale). */
export function sideBySide(panels: readonly Panel[], labelScale = PANEL_LABEL_SCALE): Image {
  if (panels.length === 0) throw new RangeError('sideBySide: expected at least one panel')
  const layout = panelLayout(panels.map((p) => p.image), labelScale)
  const out = createImage(layout.width, layout.height, 1, 255)
  panels.forEach((p, i) => {
    const { x, y } = layout.boxes[i]!
    blit(out, p.image, x, y)
    const text = measureText(p.label, labelScale)
    drawText(out, p.label, x + Math.max(0, Math.floor((p.image.width - text.width) / 2)), PANEL_PAD, { scale: labelScale, color: 0 })
  })
  return out
}

const asImages = (t: Tensor) => ({ data: t.toTypedArray() as Float32Array, shape: [t.shape[0]!, t.shape[t.ndim - 2]!, t.shape[t.ndim - 1]!] })

/**
 * n samples of a trained arm in a grid (the same draws for every arm of an experiment: Rng(seed)).
 * A conditional model (cvae, acgan) gets one column per class, and n rounded up to fill its rows.
 */
export function sampleGrid(trained: TrainedModel, n: number, seed: number): Image {
  const rng = new Rng(seed)
  const classes = trained.family === 'vae' ? trained.model.classes : trained.run.generator.classes
  // A conditional model fills whole rows: n rounded up to a multiple of the classes.
  if (classes !== null) n = Math.ceil(n / classes) * classes
  const labels = classes === null ? undefined : Int32Array.from({ length: n }, (_, i) => i % classes)
  const cols = classes ?? Math.ceil(Math.sqrt(n))
  const images = trained.family === 'vae'
    ? noGrad(() => samplePrior((z) => trained.model.decode(z, labels), n, trained.model.latent, rng))
    : trained.run.generate(n, rng, labels).images
  return imageGrid(asImages(images), { cols, scale: 2 })
}

/** A conditional arm's samples, one row per class (labelled with its name), `perClass` in each. */
export function classGrid(trained: TrainedModel, classNames: readonly string[], perClass: number, seed: number): Image {
  const classes = classNames.length
  const n = classes * perClass
  const labels = Int32Array.from({ length: n }, (_, i) => Math.floor(i / perClass))
  const rng = new Rng(seed)
  const images = trained.family === 'vae'
    ? noGrad(() => samplePrior((z) => trained.model.decode(z, labels), n, trained.model.latent, rng))
    : trained.run.generate(n, rng, labels).images
  return imageGrid(asImages(images), { cols: perClass, scale: 2, labels: [...classNames] })
}

/** A VAE's latent traversal around the first test image's posterior mean, as its run's traversal.png. */
export function traversalImage(trained: TrainedModel, test: ImageDataset): Image {
  if (trained.family !== 'vae') throw new Error('traversalImage: a GAN has no encoder to traverse from')
  const { model } = trained
  return noGrad(() => {
    const x = imageBatch(test, [0]).reshape([1, ...model.imageShape])
    const labels = model.classes !== null ? Int32Array.of(test.labels[0]!) : undefined
    const base = model.encode(x, labels).mu.toTypedArray()
    const dims = Math.min(10, model.latent)
    const rows = dims * TRAVERSAL_VALUES.length
    const decoded = model.decode(fromArray(traversalLatents(base, dims, TRAVERSAL_VALUES), [rows, model.latent]), labels ? new Int32Array(rows).fill(labels[0]!) : undefined)
    return traversalGrid(asImages(decoded), { values: TRAVERSAL_VALUES, scale: 2, imageShape: [model.imageShape[1], model.imageShape[2]] })
  })
}
