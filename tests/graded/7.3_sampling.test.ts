import { gradedFile } from './support.ts'
gradedFile('7.3', '#kata/models/sampling') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randn, Rng, type Tensor } from '../../src/index.ts'
import { samplePrior, traversalLatents } from '#kata/models/sampling'
import { assertClose } from './support.ts'

test('samplePrior decodes n draws of N(0, I) from the given generator', () => {
  const seen: Tensor[] = []
  const out = samplePrior((z) => (seen.push(z), z.mul(2)), 5, 3, new Rng(9))
  assert.is(seen.length, 1, 'decode is called once, on the whole batch')
  assert.equal(seen[0]!.shape, [5, 3])
  assertClose(seen[0]!.toArray(), randn([5, 3], { rng: new Rng(9) }).toArray())
  assertClose(out.toArray(), randn([5, 3], { rng: new Rng(9) }).mul(2).toArray())
})

test('traversalLatents: row d varies coordinate d over the values, the rest held at base', () => {
  const out = traversalLatents([0.5, -1, 2], 2, [-1, 0, 1])
  assertClose(Array.from(out), [
    -1, -1, 2, 0, -1, 2, 1, -1, 2, // dimension 0 takes -1, 0, 1
    0.5, -1, 2, 0.5, 0, 2, 0.5, 1, 2, // dimension 1 takes -1, 0, 1
  ])
})

test('traversalLatents of every dimension with one value each sets the diagonal', () => {
  const out = traversalLatents([0, 0, 0, 0], 4, [3])
  for (let d = 0; d < 4; d++) for (let k = 0; k < 4; k++) assert.is(out[d * 4 + k], d === k ? 3 : 0)
})

test.run()
