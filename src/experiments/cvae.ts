// `cvae`: the conditional VAE with a latent of 2, 10 and 20 dimensions, judged class by class: how
// often the evaluation classifier sees the class a sample was drawn for, next to the classifier's
// own accuracy on real test images, and below them the label-use probes (eval/label_use.ts).
// The latent size is the experiment because it decides how much the class rides in z instead of
// the label. Early in training the encoder puts the class into z (it sees the image); a z drawn
// from the prior is then some class's z, and decoded with another label it gives neither class.
// Only the KL term pushes the class out of z into the free label, and it does so slowly, the
// faster the narrower z is: at z = 10 after 5 epochs the swapped label wins 37% of the time and
// z's class 28%; after 10, 64% and 10%; at z = 2 after 20 epochs, 88% and 2%, and 90% of its
// samples are judged the class asked for. Hence 20 epochs by default.
import { DEFAULT_EPOCHS, vaeArm } from './arms.ts'
import { classGrid, sideBySide } from './figures.ts'
import type { Cell, Column, Experiment } from './types.ts'
import type { LabelUse } from '../eval/label_use.ts'

export const CVAE_LATENTS = [2, 10, 20] as const

export const cvaeExperiment: Experiment = {
  name: 'cvae',
  title: 'Conditional VAE: per-class accuracy of its samples, latent 2, 10 and 20',
  about: `The conditional FC VAE (cvae, latent ${CVAE_LATENTS.join(', ')}, beta 1, Adam 1e-3, batch 128, ${DEFAULT_EPOCHS.cvae} epochs unless --epochs says otherwise). Its samples, drawn in equal numbers for every class, are classified by the evaluation classifier; a class's accuracy is the share it assigns to the class asked for. The classifier's own accuracy on the real test images of the class is the ceiling. Below the mean, on test images x of class y: the decoder's prototype decode(0, y) and its reconstruction decode(mu(x, y), y) judged y, and decode(mu(x, y), y') with another label y' judged y' (the label decides the class) or y (z carries it).`,
  arms: (o) => CVAE_LATENTS.map((z) => vaeArm(`z${z}`, `CVAE z = ${z}`, o, { model: 'cvae', latent: z, epochs: DEFAULT_EPOCHS.cvae })),
  table: (results, context) => {
    const real = context.realClassAccuracy
    const common = { model: 'cvae', epochs: results.map((r) => `${r.arm.name}:${r.epoch}`).join(' '), dataset: results[0]!.arm.config.dataset, seed: results[0]!.arm.config.seed }
    const perArm = (pick: (r: (typeof results)[number]) => Cell) => Object.fromEntries(results.map((r) => [r.arm.name, pick(r)]))
    const rows: Record<string, Cell>[] = real.perClass.map((c) => ({
      label: String(c.label),
      class: c.name,
      ...perArm((r) => r.evaluation.classAccuracy!.perClass[c.label]!.accuracy),
      samples: results[0]!.evaluation.classAccuracy!.perClass[c.label]!.count,
      realAccuracy: c.accuracy,
      ...common,
    }))
    // The mean row also carries each arm's FID and test loss for table.json (the markdown shows accuracies).
    const extras = Object.fromEntries(results.flatMap((r) => [[`${r.arm.name}Fid`, r.evaluation.fid], [`${r.arm.name}Loss`, r.evaluation.loss ?? null]]))
    rows.push({ label: 'mean', class: 'mean over classes', ...perArm((r) => r.evaluation.classAccuracy!.mean), samples: null, realAccuracy: real.mean, ...extras, ...common })
    // Why samples miss (eval/label_use.ts): the decoder's use of the label against z's.
    const probes: [string, string, (u: LabelUse) => number][] = [
      ['decode(0, y)', 'prototype judged y', (u) => u.prototype],
      ['decode(mu(x, y), y)', 'reconstruction judged y', (u) => u.reconstruction],
      ["decode(mu(x, y), y')", "label swapped: judged y'", (u) => u.swapFollowsLabel],
      ["decode(mu(x, y), y')", 'label swapped: judged y (z carries the class)', (u) => u.swapFollowsImage],
    ]
    for (const [label, what, pick] of probes) {
      rows.push({ label, class: what, ...perArm((r) => pick(r.evaluation.labelUse!)), samples: null, realAccuracy: null, ...common })
    }
    const columns: Column[] = [
      { key: 'label', title: 'label' },
      { key: 'class', title: 'class' },
      ...results.map((r) => ({ key: r.arm.name, title: r.arm.label, percent: true })),
      { key: 'realAccuracy', title: 'classifier on real test images', percent: true },
    ]
    return { columns, rows }
  },
  figures: (results, context) => [
    {
      file: 'samples.png',
      caption: 'Class-conditioned samples of each arm: one row per class, 10 draws each',
      image: sideBySide(results.map((r) => ({ label: r.arm.label, image: classGrid(r.trained, context.classNames, 10, context.seed + 5) }))),
    },
  ],
}
