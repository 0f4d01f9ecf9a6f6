// Shared by the experiment tests: a tiny evaluation classifier on the embedded sample, and arm
// settings shrunk so that an experiment trains in seconds.
import { trainClassifierCnn } from '../../src/train/classifier_cnn_trainer.ts'
import type { Arm } from '../../src/experiments/index.ts'

export function tinyClassifier(dir: string): string {
  trainClassifierCnn(
    { dataset: 'fashion-mnist', sample: true, limit: 128, epochs: 1, batch: 64, lr: 2e-3, lrDecay: 1, hidden: 12, dropout: 0, seed: 1, channels: [4, 8] },
    dir,
    { log: () => {}, progress: false },
  )
  return dir
}

/** Small players and hidden layers: the arms' structure kept, their cost cut. */
export function shrink(arm: Arm): Arm {
  if (arm.family === 'vae') return { ...arm, config: { ...arm.config, hidden: 16, batch: 32 } }
  return { ...arm, config: { ...arm.config, width: arm.config.model === 'gan' ? 8 : 2, noise: 8, batch: 32 } }
}
