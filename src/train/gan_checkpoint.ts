// What a GAN run's checkpoint carries besides the weights of both players, and reading it back
// checked (for resuming and for reopening a run).
import { CheckpointError, readCheckpoint } from '../nn/checkpoint.ts'
import type { RngState } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import type { GanEpochMetrics } from './gan_config.ts'

export interface GanCheckpointExtra {
  epoch: number
  rng: RngState
  optimizerG: unknown
  optimizerD: unknown
  history: GanEpochMetrics[]
  /** The fixed-noise samples after each epoch so far, [epochs, PROGRESS_COLUMNS, H, W] in [0, 1]. */
  progress: Tensor | null
  imageShape: [number, number, number]
  classes: number | null
}

/** A GAN checkpoint's extra, checked, with its tensors (the state dict of the pair). */
export function readGanCheckpoint(path: string): GanCheckpointExtra & { tensors: ReturnType<typeof readCheckpoint>['tensors'] } {
  const checkpoint = readCheckpoint(path)
  const extra = checkpoint.extra as GanCheckpointExtra | null
  if (!extra || typeof extra.epoch !== 'number' || !Array.isArray(extra.history) || !Array.isArray(extra.imageShape)) {
    throw new CheckpointError(`checkpoint ${path}: not a GAN run's checkpoint (its extra has no epoch, history and imageShape)`)
  }
  return { ...extra, tensors: checkpoint.tensors }
}
