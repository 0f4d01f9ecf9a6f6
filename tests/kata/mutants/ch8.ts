// Plausible student bugs in chapter 8 (the GAN); each must cost a fair share of the exercise's points.
import type { Mutant } from './types.ts'

export const mutants: Mutant[] = [
  { exercise: '8.1', bug: 'fakes smoothed too', find: 'return bceWithLogits(realLogits, 1 - smoothing).add(bceWithLogits(fakeLogits, 0))', replace: 'return bceWithLogits(realLogits, 1 - smoothing).add(bceWithLogits(fakeLogits, smoothing))' },
  { exercise: '8.1', bug: 'real target is smoothing, not 1 - smoothing', find: 'return bceWithLogits(realLogits, 1 - smoothing)', replace: 'return bceWithLogits(realLogits, smoothing)' },
  { exercise: '8.1', bug: 'saturating generator loss log(1 - D(G(z)))', find: 'return bceWithLogits(fakeLogits, 1)', replace: 'return bceWithLogits(fakeLogits, 0).neg()' },
  { exercise: '8.1', bug: "the discriminator's two halves averaged", find: '.add(bceWithLogits(fakeLogits, 0))', replace: '.add(bceWithLogits(fakeLogits, 0)).div(2)' },
  { exercise: '8.1', bug: 'generator loss smoothed like the real images', find: 'return bceWithLogits(fakeLogits, 1)', replace: 'return bceWithLogits(fakeLogits, 0.9)' },
  { exercise: '8.2', bug: "D's pass forgets to detach the fakes", find: 'discriminate(fake.detach())', replace: 'discriminate(fake)' },
  { exercise: '8.2', bug: "G's pass detaches its fakes", find: 'const fakeLogits = discriminate(fake)\n', replace: 'const fakeLogits = discriminate(fake.detach())\n' },
  { exercise: '8.2', bug: 'real and fake logits swapped in the loss', find: 'discriminatorLoss(realLogits, fakeLogits, options)', replace: 'discriminatorLoss(fakeLogits, realLogits, options)' },
  { exercise: '8.2', bug: 'smoothing option dropped', find: 'discriminatorLoss(realLogits, fakeLogits, options)', replace: 'discriminatorLoss(realLogits, fakeLogits)' },
  { exercise: '8.3', bug: 'gradients never zeroed', find: '    player.optimizer.zeroGrad()\n', replace: '' },
  { exercise: '8.3', bug: 'zeroGrad after backward', find: '    player.optimizer.zeroGrad()\n    const loss = player.loss(step)\n    loss.backward()\n', replace: '    const loss = player.loss(step)\n    loss.backward()\n    player.optimizer.zeroGrad()\n' },
  { exercise: '8.3', bug: 'one generator step too few', find: 'for (let k = 0; k < gSteps; k++)', replace: 'for (let k = 1; k < gSteps; k++)' },
  { exercise: '8.3', bug: 'clipping after the update', find: '    if (clip !== null) clipGradNorm(player.optimizer.params, clip)\n    player.optimizer.step()\n', replace: '    player.optimizer.step()\n    if (clip !== null) clipGradNorm(player.optimizer.params, clip)\n' },
  { exercise: '8.3', bug: 'generator steps before the discriminator', find: '  dLoss = update(discriminator, 0)\n  for (let k = 0; k < gSteps; k++) gLosses.push(update(generator, k))\n', replace: '  for (let k = 0; k < gSteps; k++) gLosses.push(update(generator, k))\n  dLoss = update(discriminator, 0)\n' },
]
