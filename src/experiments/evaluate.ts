// Evaluating every arm of an experiment against one test set with one classifier: the test
// features and the floor are computed once and shared. The figures are those of `genkata eval RUN
// --classifier DIR` with the same --samples (the same seeds: samples from Rng(seed + 3), the floor's
// halves from seed), without the latent maps, and without writing eval.json into the arms' folders.
import { Rng } from '../tensor/random.ts'
import type { ImageDataset } from '../data/datasets.ts'
import { loadRunData } from '../train/data.ts'
import { probeLabelUse } from '../eval/label_use.ts'
import { evaluateVae } from '../train/vae_trainer.ts'
import { loadClassifierRun, openGanRun, openRun } from '../train/reopen.ts'
import type { ClassifierRun } from '../train/classifier_cnn_model.ts'
import { argmax, classAccuracy, type ClassAccuracy } from '../eval/class_accuracy.ts'
import { datasetFeatures, extractFeatures, fid, fidFloor, type FeatureSet, type FidFloor } from '../eval/fid.ts'
import { generateGanSamples, generateSamples } from '../eval/index.ts'
import type { Arm, ArmEvaluation, ExperimentOptions, TrainedModel } from './types.ts'

export interface Judge {
  classifier: ClassifierRun
  test: ImageDataset
  testFeatures: FeatureSet
  floor: FidFloor
  realClassAccuracy: ClassAccuracy
  samples: number
}

const classifierHint = (o: Pick<ExperimentOptions, 'dataset'>) => `genkata train classifier-cnn --dataset ${o.dataset === 'mnist' ? 'mnist' : 'fashion'}`

/** Opens the classifier and checks it fits the data, before anything is trained. */
export function openClassifier(dir: string | undefined, o: Pick<ExperimentOptions, 'dataset'>): ClassifierRun {
  if (dir === undefined) {
    throw new Error(`experiment: --classifier DIR is required: the evaluation classifier whose features FID is computed on and whose verdicts give the per-class accuracy; train one with \`${classifierHint(o)}\``)
  }
  const classifier = loadClassifierRun(dir)
  if (classifier.dataset !== o.dataset) {
    throw new Error(`the classifier in ${dir} was trained on ${classifier.dataset}, but the experiment runs on ${o.dataset}: give one trained on ${o.dataset} (\`${classifierHint(o)}\`)`)
  }
  return classifier
}

/** The test set (all of it: --limit cuts the training images only), its features and the floor. */
export function prepareJudge(classifier: ClassifierRun, o: ExperimentOptions, samples: number): Judge {
  if (!(Number.isInteger(samples) && samples >= 2)) throw new RangeError(`--samples must be an integer of at least 2, got ${samples}`)
  const { test } = loadRunData({ dataset: o.dataset, sample: o.sample, dataDir: o.dataDir })
  const [, h, w] = classifier.model.imageShape
  if (h !== test.rows || w !== test.cols) throw new Error(`the classifier in ${classifier.dir} takes ${h}x${w} images, the test set has ${test.rows}x${test.cols}`)
  const testFeatures = datasetFeatures(classifier.model, test)
  const floor = fidFloor(classifier, testFeatures, { seed: o.seed })
  const realClassAccuracy = classAccuracy(argmax(testFeatures.logits, test.count, testFeatures.classes), test.labels, classifier.classNames)
  return { classifier, test, testFeatures, floor, realClassAccuracy, samples }
}

/** Reopens an arm's trained run. */
export function openArm(arm: Arm, dir: string): TrainedModel {
  return arm.family === 'vae' ? { family: 'vae', model: openRun(dir).model } : { family: 'gan', run: openGanRun(dir) }
}

export function evaluateArm(trained: TrainedModel, arm: Arm, judge: Judge): ArmEvaluation {
  const { samples, classifier } = judge
  const rng = new Rng(arm.config.seed + 3)
  const out: Partial<ArmEvaluation> = {}
  const { images, labels } = trained.family === 'vae' ? generateSamples(trained.model, samples, rng) : generateGanSamples(trained.run, samples, rng)
  if (trained.family === 'vae') {
    const beta = arm.family === 'vae' ? arm.config.beta : 1
    Object.assign(out, evaluateVae(trained.model, judge.test, { beta, seed: arm.config.seed }))
  }
  const features = extractFeatures(classifier.model, samples, images)
  out.fid = fid(features, judge.testFeatures)
  if (labels) out.classAccuracy = classAccuracy(argmax(features.logits, samples, features.classes), labels, classifier.classNames)
  if (trained.family === 'vae' && trained.model.classes !== null) out.labelUse = probeLabelUse(trained.model, classifier.model, judge.test, samples)
  return out as ArmEvaluation
}
