// ACGAN (Odena, Olah and Shlens, 2017) on the DCGAN body: the generator takes the class through a
// label embedding the size of the noise, multiplied into it (exercise 9.2); the discriminator has
// two heads on its features, real-versus-fake (1 logit) and the class (one logit per class),
// trained with the auxiliary classifier loss (exercise 9.1).
import type { Tensor } from '../tensor/tensor.ts'
import { Embedding } from '../nn/embedding.ts'
import { Linear } from '../nn/linear.ts'
import { conditionNoise } from '#kata/models/acgan_condition'
import type { AcganHeads } from '#kata/models/acgan_loss'
import type { GanConfig } from './gan.ts'
import { DcganDiscriminator, DcganGenerator } from './dcgan.ts'

export type AcganConfig = GanConfig & { classes: number }

export class AcganGenerator extends DcganGenerator {
  labelEmbedding: Embedding

  constructor(config: AcganConfig) {
    if (config.classes === undefined) throw new Error('AcganGenerator: the number of classes is required')
    super(config)
    this.labelEmbedding = new Embedding({ numEmbeddings: this.classes!, embeddingDim: this.noise, rng: config.rng })
  }

  override generate(z: Tensor, labels?: ArrayLike<number>): Tensor {
    this.checkNoise(z, labels)
    return this.body(conditionNoise(z, this.labelEmbedding.weight, labels!))
  }
}

export class AcganDiscriminator extends DcganDiscriminator {
  readonly classes: number
  toClasses: Linear

  constructor(config: AcganConfig) {
    super(config)
    if (!(Number.isInteger(config.classes) && config.classes > 1)) throw new RangeError(`AcganDiscriminator: classes must be an integer above 1, got ${config.classes}`)
    this.classes = config.classes
    this.toClasses = new Linear({ inFeatures: this.features, outFeatures: this.classes, rng: config.rng })
  }

  /** Both heads on one pass through the body. */
  heads(x: Tensor): AcganHeads {
    const features = this.extract(x)
    return { source: this.toLogit.forward(features).reshape([x.shape[0]!]), classes: this.toClasses.forward(features) }
  }
}
