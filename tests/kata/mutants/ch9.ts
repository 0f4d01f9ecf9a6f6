// Plausible student bugs in chapter 9 (the ACGAN); each must cost a fair share of the exercise's points.
import type { Mutant } from './types.ts'

export const mutants: Mutant[] = [
  { exercise: '9.1', bug: "fakes classified against the real images' labels", find: 'crossEntropy(fake.classes, fakeLabels).mul(fakeClassWeight)', replace: 'crossEntropy(fake.classes, realLabels).mul(fakeClassWeight)' },
  { exercise: '9.1', bug: 'fakeClassWeight on the whole class term', find: 'crossEntropy(real.classes, realLabels).add(crossEntropy(fake.classes, fakeLabels).mul(fakeClassWeight))', replace: 'crossEntropy(real.classes, realLabels).add(crossEntropy(fake.classes, fakeLabels)).mul(fakeClassWeight)' },
  { exercise: '9.1', bug: 'smoothing not passed on', find: 'discriminatorLoss(real.source, fake.source, { smoothing: options.smoothing })', replace: 'discriminatorLoss(real.source, fake.source)' },
  { exercise: '9.1', bug: "the generator's loss has no class term", find: 'const auxiliary = crossEntropy(fake.classes, fakeLabels)\n  return { loss: adversarial.add(auxiliary)', replace: 'const auxiliary = crossEntropy(fake.classes, fakeLabels)\n  return { loss: adversarial' },
  { exercise: '9.1', bug: 'the generator plays the discriminator game (fakes -> 0)', find: 'const adversarial = generatorLoss(fake.source)', replace: 'const adversarial = generatorLoss(fake.source.neg())' },
  { exercise: '9.2', bug: 'embedding added to the noise', find: 'noise.mul(embeddingLookup(table, labels))', replace: 'noise.add(embeddingLookup(table, labels))' },
  { exercise: '9.2', bug: 'labels in blocks instead of cycling', find: '(_, i) => i % classes', replace: '(_, i) => Math.floor(i / rows)' },
  { exercise: '9.2', bug: 'whole batch tiled instead of each row repeated', find: 'noise.unsqueeze(1).expand([rows, classes, d])', replace: 'noise.unsqueeze(0).expand([classes, rows, d])' },
  { exercise: '9.2', bug: 'the embedding of label 0 for everyone', find: 'noise.mul(embeddingLookup(table, labels))', replace: 'noise.mul(embeddingLookup(table, Array.from(labels, () => 0)))' },
]
