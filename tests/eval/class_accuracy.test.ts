// Per-class accuracy of generated images, counted by hand.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { argmax, classAccuracy, formatClassAccuracy } from '../../src/eval/class_accuracy.ts'

const names = ['zero', 'one', 'two']

test('per class, the share of images meant as c that the classifier calls c; the mean weighs classes equally', () => {
  // intended 0,0,0,0 -> predicted 0,0,0,1 (3/4); intended 1,1 -> 1,2 (1/2); intended 2 -> 2 (1/1)
  const r = classAccuracy([0, 0, 0, 1, 1, 2, 2], [0, 0, 0, 0, 1, 1, 2], names)
  assert.equal(r.perClass.map((c) => c.accuracy), [0.75, 0.5, 1])
  assert.equal(r.perClass.map((c) => [c.correct, c.count]), [[3, 4], [1, 2], [1, 1]])
  assert.is(r.mean, (0.75 + 0.5 + 1) / 3)
  assert.is(r.overall, 5 / 7)
  assert.equal(r.confusion, [[3, 1, 0], [0, 1, 1], [0, 0, 1]])
  assert.is(r.perClass[2]!.name, 'two')
})

test('a class with no images has accuracy NaN and is left out of the mean', () => {
  const r = classAccuracy([0, 1], [0, 0], names)
  assert.ok(Number.isNaN(r.perClass[1]!.accuracy))
  assert.is(r.mean, 0.5)
  const text = formatClassAccuracy(r)
  assert.match(text, / 0 zero   50.0%  \(1\/2\)/)
  assert.match(text, / 1 one        -  \(0\/0\)/)
  assert.match(text, /mean over classes 50.0%, overall 50.0%/)
})

test('argmax of each row, the first of equal maxima', () => {
  assert.equal(Array.from(argmax([0, 2, 2, 5, 1, 0], 2, 3)), [1, 0])
  assert.throws(() => argmax([1, 2, 3], 2, 2), /\[2, 2\] needs 4 values, got 3/)
})

test('mismatched or out-of-range labels are errors naming the index', () => {
  assert.throws(() => classAccuracy([0, 1], [0], names), /2 predictions for 1 intended labels/)
  assert.throws(() => classAccuracy([], [], names), /no images to judge/)
  assert.throws(() => classAccuracy([0, 3], [0, 1], names), /predicted label 3 at index 1 is not a class in 0..2/)
  assert.throws(() => classAccuracy([0, 1], [0, -1], names), /intended label -1 at index 1 is not a class in 0..2/)
})

test.run()
