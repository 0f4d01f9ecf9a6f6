// Which per-step curves each kind of trainer draws, the course projects' figures: a VAE's loss and
// its two terms (BCE, KL); a GAN's two losses and the discriminator's outputs, D(x) and D(G(z))
// before and after its step; a classifier's loss and accuracy. The keys are the step log's value
// names (what the trainers already pass their progress bar and GanStepStats), and the epoch keys
// the per-epoch metrics.json columns drawn on top. The runner calls writeStepFigures after every
// epoch and adds the returned pictures to the run page.
import type { IndexFile } from './html.ts'
import type { MetricRow } from './metrics.ts'
import { writeStepCurves, type StepCurve } from './step_curves.ts'

export type StepFigureKind = 'vae' | 'gan' | 'classifier'

export interface StepFigure {
  file: string
  title: string
  yLabel: string
  caption: string
  curves: StepCurve[]
  logY?: boolean
}

const NOTE = 'each logged step faint, a smoothed line over it'

export const STEP_FIGURES: Readonly<Record<StepFigureKind, readonly StepFigure[]>> = {
  vae: [
    {
      file: 'curves-steps.png', title: 'negative ELBO per step', yLabel: 'per image', caption: `The training loss per step (${NOTE}), the test loss per epoch on top`,
      curves: [{ key: 'loss', name: 'train loss', epochKey: 'test_loss', epochName: 'test loss (per epoch)' }],
    },
    {
      file: 'terms-steps.png', title: 'BCE and KL per step', yLabel: 'per image (log scale)', logY: true, caption: `The two terms per step (${NOTE}), the test set's per epoch on top`,
      curves: [
        { key: 'reconstruction', name: 'BCE', epochKey: 'test_reconstruction', epochName: 'test BCE (per epoch)' },
        { key: 'kl', name: 'KL', epochKey: 'test_kl', epochName: 'test KL (per epoch)' },
      ],
    },
  ],
  gan: [
    {
      file: 'losses-steps.png', title: 'losses per step', yLabel: 'BCE', caption: `The two players' losses per step (${NOTE}), the epoch means on top`,
      curves: [
        { key: 'd_loss', name: 'D loss', epochKey: 'd_loss', epochName: 'D loss (epoch mean)' },
        { key: 'g_loss', name: 'G loss', epochKey: 'g_loss', epochName: 'G loss (epoch mean)' },
      ],
    },
    {
      file: 'outputs-steps.png', title: "the discriminator's outputs per step", yLabel: 'probability', caption: `D(x), and D(G(z)) before and after the D step, per step (${NOTE})`,
      curves: [
        { key: 'd_real', name: 'D(x)' },
        { key: 'd_fake_before', name: 'D(G(z)) before the D step' },
        { key: 'd_fake_after', name: 'D(G(z)) after the D step' },
        { key: 'real_class_accuracy', name: 'class accuracy, real' },
        { key: 'fake_class_accuracy', name: 'class accuracy, fake' },
      ],
    },
  ],
  classifier: [
    {
      file: 'loss-steps.png', title: 'loss per step', yLabel: 'cross-entropy', caption: `The training loss per step (${NOTE}), the test loss per epoch on top`,
      curves: [{ key: 'loss', name: 'train loss', epochKey: 'test_loss', epochName: 'test loss (per epoch)' }],
    },
    {
      file: 'accuracy-steps.png', title: 'accuracy per step', yLabel: 'accuracy', caption: `The training batches' accuracy per step (${NOTE}), the test accuracy per epoch on top`,
      curves: [{ key: 'accuracy', name: 'train accuracy', epochKey: 'test_accuracy', epochName: 'test accuracy (per epoch)' }],
    },
  ],
}

export interface StepFiguresInput {
  steps: readonly MetricRow[]
  epochs?: readonly MetricRow[]
  // Places the epoch points when the epoch rows have no global_step column.
  stepsPerEpoch?: number
}

/**
 * Writes the kind's per-step figures into `dir` and returns them for the run page. Curves whose key
 * the step log never holds (an ACGAN's class accuracy on a plain GAN) are left out, and a figure
 * with none left is not drawn; nothing is drawn before the first logged step.
 */
export function writeStepFigures(dir: string, kind: StepFigureKind, input: StepFiguresInput): IndexFile[] {
  const figures = STEP_FIGURES[kind]
  if (!figures) throw new RangeError(`step figures: unknown kind "${String(kind)}"; expected vae, gan or classifier`)
  const logged = new Set(input.steps.flatMap((r) => Object.keys(r).filter((k) => typeof r[k] === 'number')))
  return figures.flatMap((f) => {
    const curves = f.curves.filter((c) => logged.has(c.key))
    if (curves.length === 0) return []
    writeStepCurves(dir, f.file, {
      title: f.title, yLabel: f.yLabel, steps: input.steps, curves,
      ...(f.logY ? { logY: true } : {}),
      ...(input.epochs ? { epochs: input.epochs } : {}),
      ...(input.stepsPerEpoch !== undefined ? { stepsPerEpoch: input.stepsPerEpoch } : {}),
    })
    return [{ file: f.file, caption: f.caption }]
  })
}
