// What the per-arm experiments share: one row per arm holding every figure and the arm's settings
// (table.json keeps them all; table.md shows the columns), the usual columns, and the figure of
// the arms' sample grids side by side.
import { sampleGrid, sideBySide } from './figures.ts'
import type { ArmResult, Cell, Column, ExperimentContext, Figure } from './types.ts'

export function armRow(r: ArmResult, context: Pick<ExperimentContext, 'realClassAccuracy' | 'floor'>): Record<string, Cell> {
  const e = r.evaluation
  const c = r.arm.config
  return {
    arm: r.arm.name,
    label: r.arm.label,
    model: c.model,
    epochs: r.epoch,
    fid: e.fid,
    floor: context.floor,
    loss: e.loss ?? null,
    reconstruction: e.reconstruction ?? null,
    kl: e.kl ?? null,
    mse: e.mse ?? null,
    classAccuracy: e.classAccuracy?.mean ?? null,
    realClassAccuracy: e.classAccuracy ? context.realClassAccuracy.mean : null,
    latent: c.model.includes('vae') ? (c as { latent: number }).latent : null,
    beta: c.model.includes('vae') ? (c as { beta: number }).beta : null,
    dataset: c.dataset,
    sample: c.sample,
    limit: c.limit ?? null,
    seed: c.seed,
    backend: r.trainedOn,
    action: r.action,
    run: r.dir,
  }
}

export const COLUMNS = {
  label: { key: 'label', title: 'arm' },
  model: { key: 'model', title: 'model' },
  epochs: { key: 'epochs', title: 'epochs', digits: 0 },
  loss: { key: 'loss', title: 'test loss (neg. ELBO per image)' },
  reconstruction: { key: 'reconstruction', title: 'reconstruction (BCE)' },
  kl: { key: 'kl', title: 'KL' },
  fid: { key: 'fid', title: 'FID (classifier features)' },
  classAccuracy: { key: 'classAccuracy', title: 'per-class accuracy of samples (mean)', percent: true },
} satisfies Record<string, Column>

export const VAE_COLUMNS: Column[] = [COLUMNS.label, COLUMNS.model, COLUMNS.epochs, COLUMNS.loss, COLUMNS.reconstruction, COLUMNS.kl, COLUMNS.fid]

export function armRows(results: ArmResult[], context: ExperimentContext, columns: Column[]) {
  return { columns, rows: results.map((r) => armRow(r, context)) }
}

/** The arms' samples side by side, the same noise for each (64 images; a row of classes for conditional ones). */
export function samplesFigure(results: ArmResult[], context: Pick<ExperimentContext, 'seed'>, caption: string): Figure {
  return {
    file: 'samples.png',
    caption,
    image: sideBySide(results.map((r) => ({ label: r.arm.label, image: sampleGrid(r.trained, 64, context.seed + 5) }))),
  }
}
