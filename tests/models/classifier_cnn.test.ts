// The evaluation classifier's shapes, its features, and its checks.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { noGrad, rand, Rng } from '../../src/index.ts'
import { ClassifierCnn } from '../../src/models/classifier_cnn.ts'

const small = (seed = 1, dropout = 0.5) => new ClassifierCnn({ classes: 10, channels: [4, 8], hidden: 16, dropout, rng: new Rng(seed) })

test('features are [N, hidden] ReLU activations, logits [N, classes]; images or flat rows alike', () => {
  const model = small()
  model.eval()
  const x = rand([3, 1, 28, 28], { seed: 2 })
  const features = noGrad(() => model.features(x))
  assert.equal(features.shape, [3, 16])
  assert.ok(Array.from(features.toTypedArray()).every((v) => v >= 0), 'after the ReLU')
  const logits = noGrad(() => model.forward(x))
  assert.equal(logits.shape, [3, 10])
  const flat = noGrad(() => model.forward(x.reshape([3, 784])))
  assert.equal(Array.from(flat.toTypedArray()), Array.from(logits.toTypedArray()))
  // the logits are the last layer applied to the features (dropout is off in eval mode)
  assert.equal(Array.from(noGrad(() => model.out.forward(features)).toTypedArray()), Array.from(logits.toTypedArray()))
})

test('the default is the documented network: 32 and 64 channels, 3x3 stride 2, 3136 -> 128 -> classes', () => {
  const model = new ClassifierCnn({ classes: 10, rng: new Rng(0) })
  const shapes = Object.fromEntries(model.namedParameters().map(([name, p]) => [name, p.shape]))
  assert.equal(shapes['conv1.weight'], [32, 1, 3, 3])
  assert.equal(shapes['conv2.weight'], [64, 32, 3, 3])
  assert.equal(shapes['fc.weight'], [128, 3136])
  assert.equal(shapes['out.weight'], [10, 128])
  assert.equal(model.conv1.stride, [2, 2])
  assert.is(model.hidden, 128)
})

test('odd image sizes: the stride-2 convolutions round up, and the linear layer follows', () => {
  const model = new ClassifierCnn({ classes: 3, imageShape: [2, 9, 5], channels: [3, 4], hidden: 6, rng: new Rng(1) })
  // 9 -> 5 -> 3 rows, 5 -> 3 -> 2 columns
  assert.equal(model.fc.weight.shape, [6, 4 * 3 * 2])
  assert.equal(noGrad(() => model.forward(rand([2, 2, 9, 5], { seed: 3 }))).shape, [2, 3])
})

test('dropout acts in training only; the same seed gives the same model', () => {
  const model = small(4, 0.5)
  const x = rand([2, 784], { seed: 5 })
  model.eval()
  const a = noGrad(() => model.forward(x)).toTypedArray()
  const b = noGrad(() => model.forward(x)).toTypedArray()
  assert.equal(Array.from(a), Array.from(b))
  model.train()
  const c = noGrad(() => model.forward(x)).toTypedArray()
  assert.not.equal(Array.from(c), Array.from(a))
  const twin = small(4, 0.5)
  twin.eval()
  assert.equal(Array.from(noGrad(() => twin.forward(x)).toTypedArray()), Array.from(a))
})

test('wrong inputs and settings are errors that say what was expected', () => {
  const model = small()
  assert.throws(() => model.forward(rand([2, 1, 27, 28], { seed: 1 })), /expected images \[N, 1, 28, 28\] or \[N, 784\], got \[2, 1, 27, 28\]/)
  assert.throws(() => new ClassifierCnn({ classes: 1, rng: new Rng(0) }), /classes must be an integer above 1, got 1/)
  assert.throws(() => new ClassifierCnn({ classes: 10, hidden: 0, rng: new Rng(0) }), /hidden must be a positive integer, got 0/)
})

test.run()
