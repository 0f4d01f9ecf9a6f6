// GENERATED from solutions/models/acgan_loss.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 9.1: the auxiliary classifier GAN's losses (Odena, Olah and Shlens, 2017).
//
// The ACGAN's discriminator has two heads on one body: a source head (real or fake, one logit) and
// a class head (one logit per class). Both players want the class head to be right:
//   D minimises  L_source + L_class,   L_source as in chapter 8 on (real, fake),
//                                       L_class = CE(class logits of real, their labels)
//                                               + CE(class logits of fakes, the labels G was given)
//   G minimises  the non-saturating source loss on its fakes + CE(class logits of fakes, their labels)
// so G is rewarded for images that D can both mistake for real and classify as the class asked for.
//
// The fakes' term in D's loss is weighted (fakeClassWeight, 1 in the paper). Trained on fakes, the
// class head can learn whatever mark G puts on each class, real-looking or not, and the two players
// agree on a code of their own: in genkata's runs D's head read the fakes' classes at 95% while the
// evaluation classifier read 44%. With weight 0 the head only ever learns from real images, so the
// generator can only satisfy it by drawing the class as it really looks.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { crossEntropy } from '../../src/nn/losses.ts'
import { discriminatorLoss, generatorLoss } from '#kata/models/gan_losses'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/** The two heads of an ACGAN discriminator on a batch of N images. */
export interface AcganHeads {
  /** [N] real-versus-fake logits */
  source: Tensor
  /** [N, classes] class logits */
  classes: Tensor
}

export interface AcganLoss {
  /** adversarial + auxiliary: what the player minimises */
  loss: Tensor
  /** the real/fake binary cross-entropy part (chapter 8's loss) */
  adversarial: Tensor
  /** the class cross-entropy part */
  auxiliary: Tensor
}

/**
 * 9.1 The discriminator's loss: chapter 8's real/fake loss on the source heads (with the smoothing)
 * plus the class cross-entropy of the real images against their labels and, weighted by
 * fakeClassWeight, that of the fakes against the labels G was given; each term a batch mean
 * (fakeClassWeight defaults to 1, the paper's loss).
 */
export function acganDiscriminatorLoss(
  real: AcganHeads,
  fake: AcganHeads,
  realLabels: ArrayLike<number>,
  fakeLabels: ArrayLike<number>,
  options: { smoothing?: number; fakeClassWeight?: number } = {},
): AcganLoss {
  const fakeClassWeight = options.fakeClassWeight ?? 1
  if (!(fakeClassWeight >= 0 && Number.isFinite(fakeClassWeight))) throw new RangeError(`acganDiscriminatorLoss: fakeClassWeight must be a finite number >= 0, got ${fakeClassWeight}`)
  // TODO(9.1): the ACGAN discriminator's loss: chapter 8's real/fake loss plus a class cross-entropy on each batch, the fakes' class term weighted
  throw new NotImplementedError('9.1', 'the ACGAN discriminator\'s loss: chapter 8\'s real/fake loss plus a class cross-entropy on each batch, the fakes\' class term weighted')
}

/** 9.1 The generator's loss: chapter 8's non-saturating loss on the fakes' source head plus their class cross-entropy against the labels asked for. */
export function acganGeneratorLoss(fake: AcganHeads, fakeLabels: ArrayLike<number>): AcganLoss {
  // TODO(9.1): the ACGAN generator's loss: chapter 8's non-saturating loss on the fakes' source head plus the class cross-entropy for the labels it was given
  throw new NotImplementedError('9.1', 'the ACGAN generator\'s loss: chapter 8\'s non-saturating loss on the fakes\' source head plus the class cross-entropy for the labels it was given')
}
