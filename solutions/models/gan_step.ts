// Exercise 8.3: the alternating step of GAN training. First the discriminator takes one step on
// its loss, then the generator takes k steps on its own (k = 1 in most GANs; 2 helps a generator
// that a strong discriminator keeps ahead of). Each player's step is the usual three moves (zero
// the gradients, backward, update) with two GAN-specific rules:
//   - zero only your own optimizer's parameters. The generator's loss runs through D, so its
//     backward leaves gradients on D's parameters; they are harmless because D's optimizer zeroes
//     them before D's next backward, and G's optimizer never reads them.
//   - optionally clip the gradient norm of your own parameters before updating (clipGradNorm), the
//     guard against the occasional huge gradient that throws a GAN off balance.
import type { Tensor } from '../../src/tensor/tensor.ts'
import type { Optimizer } from '../../src/nn/optim/index.ts'
import { clipGradNorm } from '../../src/nn/optim/index.ts'

/** One player: its loss (a closure that runs the forward pass; `step` counts from 0) and its optimizer. */
export interface Player {
  loss: (step: number) => Tensor
  optimizer: Optimizer
}

export interface AlternatingOptions {
  /** Generator steps per discriminator step (1 or more). */
  gSteps?: number
  /** Clip each player's gradient norm to this before its update; unset or null: no clipping. */
  clip?: number | null
}

export interface AlternatingResult {
  /** The discriminator's loss, computed before its update. */
  dLoss: number
  /** The generator's loss at each of its steps, each computed before that update. */
  gLosses: number[]
}

/**
 * 8.3 One round of GAN training: one discriminator step, then `gSteps` generator steps. Each step
 * zeroes its own optimizer's gradients, runs its loss closure and backward, clips (when `clip` is
 * set) and updates.
 */
export function alternatingStep(discriminator: Player, generator: Player, options: AlternatingOptions = {}): AlternatingResult {
  const gSteps = options.gSteps ?? 1
  const clip = options.clip ?? null
  if (!(Number.isInteger(gSteps) && gSteps >= 1)) throw new RangeError(`alternatingStep: gSteps must be an integer >= 1, got ${gSteps}`)
  if (clip !== null && !(clip > 0 && Number.isFinite(clip))) throw new RangeError(`alternatingStep: clip must be a positive number or null, got ${clip}`)
  const gLosses: number[] = []
  let dLoss = NaN
  // BEGIN SOLUTION hint: the usual training step (zero, forward, backward, clip, update) for each player with its own optimizer: the discriminator once, then the generator gSteps times
  // HINT 2: zero with the player's own optimizer before its loss; clip only its own optimizer's params with clipGradNorm, and only when clip is set; G's steps count from 0; record each loss as a number, taken before that update.
  const update = (player: Player, step: number): number => {
    player.optimizer.zeroGrad()
    const loss = player.loss(step)
    loss.backward()
    if (clip !== null) clipGradNorm(player.optimizer.params, clip)
    player.optimizer.step()
    return loss.item()
  }
  dLoss = update(discriminator, 0)
  for (let k = 0; k < gSteps; k++) gLosses.push(update(generator, k))
  // END SOLUTION
  return { dLoss, gLosses }
}
