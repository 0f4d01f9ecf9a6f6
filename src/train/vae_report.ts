// The pictures of a VAE run, rewritten after every epoch so a person can watch it learn:
// curves.png (train and test loss per epoch), kl.png (the two terms), samples.png (64 draws from
// the prior, one row per class for a CVAE), reconstructions.png (test originals above their
// reconstructions), traversal.png (each latent dimension walked from -3 to 3); what the run page
// (written by the epoch runner, and again by genkata eval) shows of them; and the snapshot grid.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { noGrad } from '../autograd/grad_mode.ts'
import { fromArray } from '../tensor/creation.ts'
import { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { imageBatch, labelBatch } from '../data/batches.ts'
import type { ImageDataset } from '../data/datasets.ts'
import type { VaeModel } from '../models/vae.ts'
import { samplePrior, traversalLatents } from '#kata/models/sampling'
import { imageGrid, reconstructionGrid, traversalGrid } from '../report/grid.ts'
import { linePlot } from '../report/plot.ts'
import { writePng } from '../report/png.ts'
import type { Image } from '../report/canvas.ts'
import type { EpochMetrics } from './metrics.ts'
import { savedRunStatus, writeRunFolderPage, type RunPageContent } from './run_watch.ts'

export const TRAVERSAL_VALUES = [-3, -2, -1, 0, 1, 2, 3]

export interface VaeReportInput {
  model: VaeModel
  config: Record<string, unknown>
  history: readonly EpochMetrics[]
  test: ImageDataset
  seed: number
}

const asImages = (t: Tensor) => ({ data: t.toTypedArray(), shape: [t.shape[0]!, t.shape[t.ndim - 2]!, t.shape[t.ndim - 1]!] })

export function writeVaeReport(dir: string, input: VaeReportInput): void {
  const { model, history, test } = input
  const epochs = (key: keyof EpochMetrics) => history.map((h) => [h.epoch, h[key]] as [number, number])
  writePng(join(dir, 'curves.png'), linePlot({
    title: 'negative ELBO per image', xLabel: 'epoch', yLabel: 'loss',
    series: [{ name: 'train', points: epochs('train_loss') }, { name: 'test', points: epochs('test_loss') }],
  }))
  writePng(join(dir, 'terms.png'), linePlot({
    title: 'the two terms (test set)', xLabel: 'epoch', yLabel: 'per image',
    series: [{ name: 'reconstruction (BCE)', points: epochs('test_reconstruction') }, { name: 'KL', points: epochs('test_kl') }],
  }))

  // The same draws every epoch (a fixed seed), so the pictures show the model changing, not the noise.
  const rng = new Rng(input.seed + 3)
  const shape: [number, number] = [model.imageShape[1], model.imageShape[2]]
  noGrad(() => {
    const n = 64
    const classes = model.classes
    const labels = classes !== null ? Int32Array.from({ length: n }, (_, i) => Math.floor((i * classes) / n)) : undefined
    const samples = samplePrior((z) => model.decode(z, labels), n, model.latent, rng)
    writePng(join(dir, 'samples.png'), imageGrid(asImages(samples), { cols: 8, scale: 2 }))

    const shown = Int32Array.from({ length: Math.min(20, test.count) }, (_, i) => i)
    const x = imageBatch(test, shown).reshape([shown.length, ...model.imageShape])
    const testLabels = classes !== null ? labelBatch(test, shown) : undefined
    const recon = model.reconstruct(x, testLabels)
    writePng(join(dir, 'reconstructions.png'), reconstructionGrid(asImages(x), asImages(recon), { cols: 10, scale: 2 }))

    // Traverse around the posterior mean of the first test image, up to 10 dimensions.
    const base = model.encode(x.narrow(0, 0, 1), testLabels?.subarray(0, 1)).mu.toTypedArray()
    const dims = Math.min(10, model.latent)
    const latents = traversalLatents(base, dims, TRAVERSAL_VALUES)
    const rows = dims * TRAVERSAL_VALUES.length
    const traversalLabels = testLabels ? new Int32Array(rows).fill(testLabels[0]!) : undefined
    const decoded = model.decode(fromArray(latents, [rows, model.latent]), traversalLabels)
    writePng(join(dir, 'traversal.png'), traversalGrid(asImages(decoded), { values: TRAVERSAL_VALUES, scale: 2, imageShape: shape }))
  })
}

/**
 * Rewrites a VAE run's page after training (genkata eval adds eval.json and the latent maps): the
 * pictures, the settings, the metrics, the evaluation once there is one, and the state the run
 * left in status.json.
 */
export function writeVaeIndex(dir: string, input: { config: Record<string, unknown>; history: readonly EpochMetrics[]; conditional: boolean }): void {
  const epoch = input.history.at(-1)?.epoch ?? 0
  writeRunFolderPage(dir, { content: vaePage(dir, input), settings: input.config, figures: 'vae', status: savedRunStatus(dir, { state: 'done', epoch }) })
}

/** The run page's part of a VAE run: its pictures, the per-epoch table, its files and the evaluation once there is one. */
export function vaePage(dir: string, input: { config: Record<string, unknown>; history: readonly EpochMetrics[]; conditional: boolean }): RunPageContent {
  const last = input.history.at(-1)
  const evaluated = existsSync(join(dir, 'eval.json'))
  const maps = [
    { file: 'latent_pca.png', caption: 'The test set in latent space (mu), PCA, coloured by class' },
    { file: 'latent_tsne.png', caption: 'The same points by t-SNE' },
  ].filter((image) => existsSync(join(dir, image.file)))
  return {
    title: `${String(input.config.model)}: ${last ? `epoch ${last.epoch}, test loss ${last.test_loss.toFixed(2)} per image` : 'no epoch yet'}`,
    images: [
      { file: 'samples.png', caption: `64 samples from the prior${input.conditional ? ', one class per row band' : ''}` },
      { file: 'reconstructions.png', caption: 'Test images (orig) above their reconstructions (recon, z = mu)' },
      { file: 'traversal.png', caption: 'Latent traversal around the first test image: one row per dimension, from -3 to 3' },
      ...maps,
    ],
    curves: [
      { file: 'curves.png', caption: 'Learning curves: the negative ELBO per image, train and test' },
      { file: 'terms.png', caption: 'Its two terms on the test set: reconstruction (BCE summed over pixels) and KL' },
    ],
    metricsTable: input.history as unknown as Record<string, number>[],
    links: [
      { file: 'metrics.csv', caption: 'metrics.csv' },
      { file: 'metrics.json', caption: 'metrics.json' },
      ...(evaluated ? [{ file: 'eval.json', caption: 'eval.json (genkata eval)' }] : []),
      { file: 'checkpoint.gkt', caption: 'checkpoint (resume with genkata train --resume)' },
    ],
  }
}

/**
 * The snapshot grid (--snapshot-every): 16 draws from the prior with a generator of its own
 * (Rng(seed + 3), the same every time), 4 by 4; a CVAE's two rows of every class. Eval mode, no
 * graph: training goes on exactly as without it.
 */
export function vaeSnapshot(model: VaeModel, seed: number): Image {
  const classes = model.classes ?? null
  const n = classes !== null ? 2 * classes : 16
  const labels = classes !== null ? Int32Array.from({ length: n }, (_, i) => i % classes) : undefined
  const wasTraining = model.training
  model.eval()
  try {
    return noGrad(() => imageGrid(asImages(samplePrior((z) => model.decode(z, labels), n, model.latent, new Rng(seed + 3))), { cols: classes ?? 4, scale: 1 }))
  } finally {
    model.train(wasTraining)
  }
}
