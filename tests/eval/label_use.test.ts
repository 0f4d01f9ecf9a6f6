// The label-use probes of a conditional VAE (src/eval/label_use.ts) on two stand-in models whose
// answers are known: one whose decoder takes the class from z and ignores the label, one whose
// decoder takes it from the label. An "image" is one number, its class; the judge reads it.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fromArray, type Tensor } from '../../src/index.ts'
import { labelUse, type ConditionalDecoder } from '../../src/eval/label_use.ts'

const classes = 4
const count = 24
const labels = Int32Array.from({ length: count }, (_, i) => (i * 7) % classes)
const images = (start: number, n: number) => fromArray(Array.from(labels.subarray(start, start + n)), [n, 1])
const judge = (n: number, make: (start: number, n: number) => Tensor) => {
  const out: number[] = []
  for (let start = 0; start < n; start += 5) out.push(...Array.from(make(start, Math.min(5, n - start)).toTypedArray(), (v) => Math.round(Number(v))))
  return out
}
const encode = (x: Tensor) => ({ mu: x })

test('a decoder that takes the class from z: reconstructions right, prototypes and swaps follow z', () => {
  const blind: ConditionalDecoder = { latent: 1, encode, decode: (z) => z }
  const use = labelUse({ model: blind, classes, images, labels, count, judge, batch: 5 })
  assert.equal(use, { prototype: 1 / classes, reconstruction: 1, swapFollowsLabel: 0, swapFollowsImage: 1, images: count })
})

test('a decoder that takes the class from the label: everything follows the label', () => {
  const obedient: ConditionalDecoder = { latent: 1, encode, decode: (z, y) => fromArray(Array.from(y), [z.shape[0]!, 1]) }
  const use = labelUse({ model: obedient, classes, images, labels, count, judge, batch: 7 })
  assert.equal(use, { prototype: 1, reconstruction: 1, swapFollowsLabel: 1, swapFollowsImage: 0, images: count })
})

test('the swapped labels are every other class equally often, never the image\'s own', () => {
  const seen: number[][] = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  const spy: ConditionalDecoder = {
    latent: 1,
    encode,
    decode: (z, y) => {
      const own = Array.from(z.toTypedArray(), Number)
      own.forEach((c, i) => seen[c]![y[i]!]! += 1)
      return z
    },
  }
  // 12 images of each class: each is swapped to each of the 3 other classes 4 times.
  const even = Int32Array.from({ length: 48 }, (_, i) => Math.floor(i / 12))
  labelUse({ model: spy, classes, images: (s, n) => fromArray(Array.from(even.subarray(s, s + n)), [n, 1]), labels: even, count: 48, judge })
  // seen counts the prototypes (z = 0 with every label once), the reconstructions (the diagonal) and the swaps.
  for (let c = 0; c < classes; c++) {
    for (let d = 0; d < classes; d++) assert.is(seen[c]![d], (c === d ? 12 : 4) + (c === 0 ? 1 : 0), `class ${c} decoded with label ${d}`)
  }
})

test('bad input is an error naming it', () => {
  const model: ConditionalDecoder = { latent: 1, encode, decode: (z) => z }
  assert.throws(() => labelUse({ model, classes: 1, images, labels, count, judge }), /classes must be an integer above 1, got 1/)
  assert.throws(() => labelUse({ model, classes, images, labels, count: 25, judge }), /count must be an integer in 1\.\.24 \(the labels given\), got 25/)
})

test.run()
