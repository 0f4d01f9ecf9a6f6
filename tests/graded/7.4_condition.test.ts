import { gradedFile } from './support.ts'
gradedFile('7.4', '#kata/models/condition') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randn, tensor, Rng } from '../../src/index.ts'
import { condition } from '#kata/models/condition'
import { assertClose, assertGradcheck } from './support.ts'

test('condition appends the one-hot label to each row [x2]', () => {
  const out = condition(tensor([[1, 2], [3, 4]]), [2, 0], 3)
  assertClose(out.toArray(), [[1, 2, 0, 0, 1], [3, 4, 1, 0, 0]])
})

test('the one-hot is `classes` wide even when the batch lacks the last classes [x2]', () => {
  // labels 0 and 1 of 4 classes: two extra columns of zeros, not a width taken from the batch
  const out = condition(tensor([[5], [6]]), [1, 0], 4)
  assert.equal(out.shape, [2, 5], `expected [2, 5] (1 feature + 4 classes), got [${out.shape.join(', ')}]`)
  assertClose(out.toArray(), [[5, 0, 1, 0, 0], [6, 1, 0, 0, 0]])
})

test('the result keeps the features dtype, and gradients flow to the features only [x1]', () => {
  const rng = new Rng(5)
  const features = randn([4, 3], { rng, dtype: 'float64' })
  assert.is(condition(features, [0, 1, 2, 3], 4).dtype, 'float64')
  assertGradcheck((f) => condition(f, [1, 0, 1, 1], 2).square(), [randn([4, 3], { rng })])
})

test('a label outside [0, classes) is an error naming it [x1]', () => {
  assert.throws(() => condition(tensor([[1]]), [3], 3), /label 3/)
})

test.run()
