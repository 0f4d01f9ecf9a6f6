// One training step of the GAN family (exercise 8.3's alternatingStep with 8.2's passes, or 9.1's
// losses):
//   z ~ N(0, I), fakes = G(z)                      (labels drawn uniformly for the ACGAN)
//   D step:  loss on (real, fakes.detach())        D(x) and D(G(z)) "before" are read here
//   G step:  loss on D(fakes), gradient through D  D(G(z)) "after" is read at its first step
//   further G steps (--g-steps K) draw fresh noise.
import { noGrad } from '../autograd/grad_mode.ts'
import { randn } from '../tensor/creation.ts'
import type { Rng } from '../tensor/random.ts'
import type { Tensor } from '../tensor/tensor.ts'
import { AcganDiscriminator } from '../models/acgan.ts'
import { alternatingStep } from '#kata/models/gan_step'
import { discriminatorPass, generatorPass } from '#kata/models/gan_detach'
import { acganDiscriminatorLoss, acganGeneratorLoss } from '#kata/models/acgan_loss'
import type { GanRunConfig, GanStepStats } from './gan_config.ts'
import type { GanTrainingParts } from './gan_players.ts'

const meanProbability = (logits: Tensor) => noGrad(() => logits.sigmoid().mean().item())

function accuracy(logits: Tensor, labels: ArrayLike<number>): number {
  const [n, c] = logits.shape as [number, number]
  const v = logits.toTypedArray()
  let right = 0
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let j = 1; j < c; j++) if (v[i * c + j]! > v[i * c + best]!) best = j
    if (best === labels[i]) right++
  }
  return right / n
}

function drawLabels(rng: Rng, n: number, classes: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(classes))
}

/**
 * One round of training on a batch of real images [N, C, H, W] in [-1, 1] (and their labels, for
 * the ACGAN): one discriminator step, then options.gSteps generator steps. Noise and the fakes'
 * labels are drawn from rng.
 */
export function ganTrainingStep(
  parts: GanTrainingParts,
  real: Tensor,
  realLabels: Int32Array | undefined,
  rng: Rng,
  options: Pick<GanRunConfig, 'smoothing' | 'clip' | 'gSteps' | 'fakeClassWeight'>,
): GanStepStats {
  const { generator, discriminator } = parts.pair
  const n = real.shape[0]!
  const acgan = discriminator instanceof AcganDiscriminator ? discriminator : null
  const classes = generator.classes
  const draw = () => {
    const z = randn([n, generator.noise], { rng })
    const labels = classes !== null ? drawLabels(rng, n, classes) : undefined
    return { fake: generator.generate(z, labels), labels }
  }
  const first = draw()
  const stats: Partial<GanStepStats> = {}

  let dLoss: (step: number) => Tensor
  let gLoss: (step: number) => Tensor
  if (acgan) {
    if (!realLabels) throw new Error('ganTrainingStep: the ACGAN trains on labelled images; got no labels')
    dLoss = () => {
      const realHeads = acgan.heads(real)
      const fakeHeads = acgan.heads(first.fake.detach())
      stats.d_real = meanProbability(realHeads.source)
      stats.d_fake_before = meanProbability(fakeHeads.source)
      stats.real_class_accuracy = accuracy(realHeads.classes, realLabels)
      return acganDiscriminatorLoss(realHeads, fakeHeads, realLabels, first.labels!, { smoothing: options.smoothing, fakeClassWeight: options.fakeClassWeight ?? 1 }).loss
    }
    gLoss = (step) => {
      const { fake, labels } = step === 0 ? first : draw()
      const heads = acgan.heads(fake)
      if (step === 0) {
        stats.d_fake_after = meanProbability(heads.source)
        stats.fake_class_accuracy = accuracy(heads.classes, labels!)
      }
      return acganGeneratorLoss(heads, labels!).loss
    }
  } else {
    const discriminate = (x: Tensor) => discriminator.forward(x)
    dLoss = () => {
      const pass = discriminatorPass(discriminate, real, first.fake, { smoothing: options.smoothing })
      stats.d_real = meanProbability(pass.realLogits)
      stats.d_fake_before = meanProbability(pass.fakeLogits)
      return pass.loss
    }
    gLoss = (step) => {
      const pass = generatorPass(discriminate, step === 0 ? first.fake : draw().fake)
      if (step === 0) stats.d_fake_after = meanProbability(pass.fakeLogits)
      return pass.loss
    }
  }
  const result = alternatingStep({ loss: dLoss, optimizer: parts.optimizerD }, { loss: gLoss, optimizer: parts.optimizerG }, { gSteps: options.gSteps, clip: options.clip })
  stats.d_loss = result.dLoss
  stats.g_loss = result.gLosses.reduce((a, b) => a + b, 0) / result.gLosses.length
  if (result.gLosses.some((v) => !Number.isFinite(v))) stats.g_loss = result.gLosses.find((v) => !Number.isFinite(v))!
  return stats as GanStepStats
}
