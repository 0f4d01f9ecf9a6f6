// The figures of one GAN training step: written by the trainer, read by the report. A file of its
// own so that gan_report.ts and gan_trainer.ts do not import each other.

/** The figures of one step, each a mean over its batch; the two accuracies only for the ACGAN. */
export interface GanStepStats {
  d_loss: number
  g_loss: number
  /** mean D(x) = sigmoid(logit) over the real images, at the discriminator's step */
  d_real: number
  /** mean D(G(z)) at the discriminator's step, before its update */
  d_fake_before: number
  /** mean D(G(z)) of the same fakes at the generator's step, after the discriminator's update */
  d_fake_after: number
  /** ACGAN: the class head's accuracy on the real images */
  real_class_accuracy?: number
  /** ACGAN: the class head's accuracy on the fakes, against the labels the generator was given */
  fake_class_accuracy?: number
}
