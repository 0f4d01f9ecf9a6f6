import { gradedFile } from './support.ts'
gradedFile('7.3', '#kata/models/sampling') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randn, Rng, type Tensor } from '../../src/index.ts'
import { samplePrior, traversalLatents } from '#kata/models/sampling'
import { assertClose } from './support.ts'

test('samplePrior decodes n draws of N(0, I) from the given generator [x2]', () => {
  const seen: Tensor[] = []
  const out = samplePrior((z) => (seen.push(z), z.mul(2)), 5, 3, new Rng(9))
  assert.is(seen.length, 1, 'decode is called once, on the whole batch')
  assert.equal(seen[0]!.shape, [5, 3], `decode receives the latents as [n, latent] = [5, 3], got [${seen[0]!.shape.join(', ')}]`)
  assertClose(seen[0]!.toArray(), randn([5, 3], { rng: new Rng(9) }).toArray())
  assertClose(out.toArray(), randn([5, 3], { rng: new Rng(9) }).mul(2).toArray())
})

test('samplePrior for one image of 4 latents and for 4 images of 1: [n, latent] from the seeded generator [x2]', () => {
  for (const [n, latent] of [[1, 4], [4, 1]] as const) {
    const z = samplePrior((t) => t, n, latent, new Rng(21))
    assert.equal(z.shape, [n, latent], `n = ${n}, latent = ${latent}: expected [${n}, ${latent}], got [${z.shape.join(', ')}]`)
    assertClose(z.toArray(), randn([n, latent], { rng: new Rng(21) }).toArray())
  }
})

test('traversalLatents: row d varies coordinate d over the values, the rest held at base [x2]', () => {
  const out = traversalLatents([0.5, -1, 2], 2, [-1, 0, 1])
  assertClose(Array.from(out), [
    -1, -1, 2, 0, -1, 2, 1, -1, 2, // dimension 0 takes -1, 0, 1
    0.5, -1, 2, 0.5, 0, 2, 0.5, 1, 2, // dimension 1 takes -1, 0, 1
  ])
})

test('traversalLatents of every dimension with one value each sets the diagonal [x1]', () => {
  const out = traversalLatents([0, 0, 0, 0], 4, [3])
  for (let d = 0; d < 4; d++) for (let k = 0; k < 4; k++) assert.is(out[d * 4 + k], d === k ? 3 : 0)
})

// Property tests: fast-check with a fixed seed per test (assertProperty).
import fc from 'fast-check'
import { assertProperty } from './support.ts'

test('traversalLatents for random bases, dimension counts and values: each latent is base with one coordinate set [x2]', () => {
  const input = fc.integer({ min: 1, max: 5 }).chain((latent) =>
    fc.record({
      base: fc.array(fc.integer({ min: -9, max: 9 }), { minLength: latent, maxLength: latent }),
      dims: fc.integer({ min: 1, max: latent }),
      values: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 4 }),
    }),
  )
  assertProperty('7.3 traversal layout', fc.property(input, ({ base, dims, values }) => {
    const out = traversalLatents(base, dims, values)
    const latent = base.length
    assert.is(out.length, dims * values.length * latent, `length: ${dims} dims x ${values.length} values x latent ${latent}`)
    for (let d = 0; d < dims; d++) {
      for (let j = 0; j < values.length; j++) {
        const row = Array.from(out.subarray((d * values.length + j) * latent, (d * values.length + j + 1) * latent))
        const expected = base.map((b, k) => (k === d ? values[j]! : b))
        assert.equal(row, expected, `latent ${d * values.length + j} (dimension ${d}, value ${values[j]}): expected [${expected.join(', ')}], got [${row.join(', ')}]`)
      }
    }
  }))
})

test.run()
