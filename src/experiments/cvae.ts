// `cvae`: the conditional VAE, judged class by class: how often the evaluation classifier sees the
// class a sample was drawn for, next to the classifier's own accuracy on real test images.
import { DEFAULT_EPOCHS, vaeArm } from './arms.ts'
import { classGrid } from './figures.ts'
import type { Cell, Experiment } from './types.ts'

export const CVAE_LATENT = 20

export const cvaeExperiment: Experiment = {
  name: 'cvae',
  title: 'Conditional VAE: per-class accuracy of its samples',
  about: `The conditional FC VAE (cvae, latent ${CVAE_LATENT}, beta 1, Adam 1e-3, batch 128, ${DEFAULT_EPOCHS.vae} epochs unless --epochs says otherwise). Its samples, drawn in equal numbers for every class, are classified by the evaluation classifier; a class's accuracy is the share it assigns to the class asked for. The classifier's own accuracy on the real test images of the class is the ceiling.`,
  arms: (o) => [vaeArm('cvae', 'CVAE', o, { model: 'cvae', latent: CVAE_LATENT })],
  table: (results, context) => {
    const r = results[0]!
    const judged = r.evaluation.classAccuracy!
    const real = context.realClassAccuracy
    const common = { arm: r.arm.name, model: r.arm.config.model, epochs: r.epoch, dataset: r.arm.config.dataset, seed: r.arm.config.seed, backend: r.trainedOn, run: r.dir }
    const rows: Record<string, Cell>[] = judged.perClass.map((c) => ({
      label: String(c.label), class: c.name, accuracy: c.accuracy, samples: c.count, correct: c.correct, realAccuracy: real.perClass[c.label]!.accuracy, ...common,
    }))
    rows.push({
      label: 'mean', class: 'mean over classes', accuracy: judged.mean, samples: judged.perClass.reduce((s, c) => s + c.count, 0), correct: judged.perClass.reduce((s, c) => s + c.correct, 0),
      realAccuracy: real.mean, fid: r.evaluation.fid, loss: r.evaluation.loss ?? null, reconstruction: r.evaluation.reconstruction ?? null, kl: r.evaluation.kl ?? null, ...common,
    })
    return {
      columns: [
        { key: 'label', title: 'label' },
        { key: 'class', title: 'class' },
        { key: 'accuracy', title: 'accuracy of CVAE samples', percent: true },
        { key: 'samples', title: 'samples', digits: 0 },
        { key: 'realAccuracy', title: 'classifier on real test images', percent: true },
      ],
      rows,
    }
  },
  figures: (results, context) => [
    {
      file: 'samples.png',
      caption: 'Class-conditioned samples: one row per class, 10 draws each',
      image: classGrid(results[0]!.trained, context.classNames, 10, context.seed + 5),
    },
  ],
}
