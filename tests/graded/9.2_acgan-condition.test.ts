import { gradedFile } from './support.ts'
gradedFile('9.2', '#kata/models/acgan_condition') // says loudly when this file is testing solutions/, not exercises/
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randn, tensor, Rng, noGrad } from '../../src/index.ts'
import { AcganGenerator } from '../../src/models/acgan.ts'
import { conditionNoise, eachClassBatch } from '#kata/models/acgan_condition'
import { assertClose, assertGradcheck } from './support.ts'

test('the noise times the embedding row of each label [x2]', () => {
  const noise = tensor([[1, 2], [3, 4], [5, 6]])
  const table = tensor([[10, 20], [0.5, -1], [0, 1]])
  assertClose(conditionNoise(noise, table, [1, 0, 1]).toArray(), [[0.5, -2], [30, 80], [2.5, -6]])
})

test('gradients: the noise gets its row of the table, each table row the sum of its noise rows [x2]', () => {
  const noise = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true })
  const table = tensor([[10, 20], [0.5, -1], [0, 1]], { requiresGrad: true })
  conditionNoise(noise, table, [1, 0, 1]).sum().backward()
  assertClose(noise.grad!.toArray(), [[0.5, -1], [10, 20], [0.5, -1]])
  assertClose(table.grad!.toArray(), [[3, 4], [6, 8], [0, 0]])
  const rng = new Rng(2)
  assertGradcheck((n, t) => conditionNoise(n, t, [2, 2, 0, 1]).square(), [randn([4, 3], { rng }), randn([3, 3], { rng })])
})

test('a label outside the table is an error naming it [x1]', () => {
  assert.throws(() => conditionNoise(tensor([[1, 2]]), tensor([[1, 1], [2, 2]]), [2]), /index 2/)
  assert.throws(() => conditionNoise(tensor([[1, 2]]), tensor([[1, 1, 1]]), [0]), /expected noise \[N, d\], a table \[classes, d\] and N labels, got noise \[1, 2\], table \[1, 3\] and 1 labels/)
})

test('eachClassBatch with 3 rows and 2 classes: row r with label c at r * classes + c [x2]', () => {
  const { noise, labels } = eachClassBatch(tensor([[1], [2], [3]]), 2)
  assertClose(noise.toArray(), [[1], [1], [2], [2], [3], [3]])
  assert.equal(Array.from(labels), [0, 1, 0, 1, 0, 1], `labels cycle through the classes: expected [0, 1, 0, 1, 0, 1], got [${Array.from(labels).join(', ')}]`)
})

test('each noise row once with every class: rows of the grid are noise vectors, columns classes [x2]', () => {
  const { noise, labels } = eachClassBatch(tensor([[1, 2], [3, 4]]), 3)
  assert.equal(noise.shape, [6, 2])
  assertClose(noise.toArray(), [[1, 2], [1, 2], [1, 2], [3, 4], [3, 4], [3, 4]])
  assert.equal(Array.from(labels), [0, 1, 2, 0, 1, 2])
  assert.throws(() => eachClassBatch(tensor([1, 2]), 3), /expected noise \[rows, d\], got \[2\]/)
  assert.throws(() => eachClassBatch(tensor([[1, 2]]), 0), /classes must be a positive integer, got 0/)
})

test("the ACGAN's generator: one noise, a different image per class; the same class, the same image [x1]", () => {
  const generator = new AcganGenerator({ noise: 6, width: 2, classes: 3, imageShape: [1, 8, 8], rng: new Rng(7) }).eval()
  const { noise, labels } = eachClassBatch(randn([1, 6], { rng: new Rng(8) }), 3)
  const images = noGrad(() => generator.generate(noise.contiguous(), labels))
  const [c0, c1] = [images.narrow(0, 0, 1).toTypedArray(), images.narrow(0, 1, 1).toTypedArray()]
  assert.ok(c0.some((v, i) => v !== c1[i]), 'classes 0 and 1 give different images')
  const again = noGrad(() => generator.generate(noise.narrow(0, 0, 1).contiguous(), [0])).toTypedArray()
  assert.equal(Array.from(again), Array.from(c0))
})

test.run()
