// The GAN family's models: shapes, sizes, seeded initialisation (DCGAN's N(0, 0.02)), and errors.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randn, tensor, Rng, noGrad, type Tensor } from '../../src/index.ts'
import {
  AcganDiscriminator, AcganGenerator, createGan, DcganDiscriminator, DcganGenerator, fromGanPixels, GanPair,
  MlpDiscriminator, MlpGenerator, toGanPixels, GAN_KINDS,
} from '../../src/models/index.ts'

const count = (ts: Tensor[]) => ts.reduce((a, t) => a + t.size, 0)
const values = (t: Tensor) => Array.from(t.toTypedArray())
function stats(t: Tensor): { mean: number; std: number } {
  const v = values(t)
  const mean = v.reduce((a, b) => a + b, 0) / v.length
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) }
}

test('the MLP GAN: 100 -> 256 -> 512 -> 784 and 784 -> 512 -> 256 -> 1, tanh pixels and one logit per image', () => {
  const pair = createGan('gan', { noise: 100, rng: new Rng(1) })
  assert.instance(pair.generator, MlpGenerator)
  assert.instance(pair.discriminator, MlpDiscriminator)
  assert.is(count(pair.generator.parameters()), 100 * 256 + 256 + 256 * 512 + 512 + 512 * 784 + 784)
  assert.is(count(pair.discriminator.parameters()), 784 * 512 + 512 + 512 * 256 + 256 + 256 + 1)
  const images = noGrad(() => pair.generator.forward(randn([3, 100], { rng: new Rng(2) })))
  assert.equal(images.shape, [3, 1, 28, 28])
  assert.ok(values(images).every((v) => v >= -1 && v <= 1), 'tanh output')
  assert.equal(noGrad(() => pair.discriminator.forward(images)).shape, [3])
  assert.equal(noGrad(() => pair.discriminator.forward(images.reshape([3, 784]))).shape, [3], 'flat images too')
})

test('DCGAN: Linear -> [128, 7, 7] -> convT 128->64 -> convT 64->1; conv 1->64 -> conv 64->128 -> Linear; bias only where no BatchNorm follows', () => {
  const pair = createGan('dcgan', { noise: 100, rng: new Rng(1) })
  const g = pair.generator as DcganGenerator
  const d = pair.discriminator as DcganDiscriminator
  assert.equal(g.project.weight.shape, [128 * 7 * 7, 100])
  assert.is(g.project.bias, null)
  assert.equal(g.deconv1.weight.shape, [128, 64, 4, 4])
  assert.is(g.deconv1.bias, null)
  assert.equal(g.deconv2.weight.shape, [64, 1, 4, 4])
  assert.equal(d.conv1.weight.shape, [64, 1, 4, 4])
  assert.equal(d.conv2.weight.shape, [128, 64, 4, 4])
  assert.is(d.conv2.bias, null)
  assert.equal(d.toLogit.weight.shape, [1, 128 * 7 * 7])
  const small = createGan('dcgan', { noise: 5, width: 2, rng: new Rng(1) })
  const images = noGrad(() => small.generator.forward(randn([2, 5], { rng: new Rng(2) })))
  assert.equal(images.shape, [2, 1, 28, 28])
  assert.equal(noGrad(() => small.discriminator.forward(images)).shape, [2])
})

test("DCGAN's initialisation: convolution weights N(0, 0.02), BatchNorm weights N(1, 0.02), their biases 0", () => {
  const pair = createGan('dcgan', { noise: 100, rng: new Rng(3) })
  const g = pair.generator as DcganGenerator
  const d = pair.discriminator as DcganDiscriminator
  for (const [name, w] of [['deconv1', g.deconv1.weight], ['conv2', d.conv2.weight]] as const) {
    const s = stats(w)
    assert.ok(Math.abs(s.mean) < 0.002 && Math.abs(s.std - 0.02) < 0.002, `${name}: mean ${s.mean}, std ${s.std}`)
  }
  const bn = stats(g.bn0.weight!)
  assert.ok(Math.abs(bn.mean - 1) < 0.01 && Math.abs(bn.std - 0.02) < 0.008, `bn0.weight: mean ${bn.mean}, std ${bn.std}`)
  assert.ok(values(g.bn0.bias!).every((v) => v === 0) && values(g.deconv2.bias!).every((v) => v === 0) && values(d.conv1.bias!).every((v) => v === 0))
  // The linear layers keep PyTorch's default U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
  assert.ok(values(g.project.weight).every((v) => Math.abs(v) <= 1 / Math.sqrt(100)))
})

test('the same seed gives the same players; another seed other ones', () => {
  for (const kind of GAN_KINDS) {
    const make = (seed: number) => createGan(kind, { noise: 4, width: 2, classes: kind === 'acgan' ? 3 : undefined, rng: new Rng(seed) }).stateDict()
    const [a, b, c] = [make(1), make(1), make(2)]
    for (const [name, t] of Object.entries(a)) assert.equal(values(b[name]!), values(t), `${kind} ${name}`)
    assert.ok(Object.entries(a).some(([name, t]) => values(c[name]!).some((v, i) => v !== values(t)[i])), `${kind}: seed 2 differs`)
  }
})

test('one checkpoint holds both players: generator.* and discriminator.*', () => {
  const pair = createGan('acgan', { noise: 4, width: 2, classes: 3, rng: new Rng(1) })
  assert.instance(pair, GanPair)
  const names = Object.keys(pair.stateDict())
  assert.ok(names.includes('generator.labelEmbedding.weight'))
  assert.ok(names.includes('discriminator.toClasses.weight'))
  assert.ok(names.includes('generator.bn0.runningMean'), 'BatchNorm buffers are saved')
  assert.ok(names.every((n) => n.startsWith('generator.') || n.startsWith('discriminator.')))
  const plain = createGan('gan', { noise: 4, width: 2, rng: new Rng(1) })
  assert.equal(noGrad(() => plain.forward(randn([2, 4], { rng: new Rng(1) }))).shape, [2, 1, 28, 28], "the pair's forward is the generator's")
})

test('ACGAN: an embedding the size of the noise, two heads on one body', () => {
  const pair = createGan('acgan', { noise: 6, width: 2, classes: 10, imageShape: [1, 8, 8], rng: new Rng(1) })
  const g = pair.generator as AcganGenerator
  const d = pair.discriminator as AcganDiscriminator
  assert.equal(g.labelEmbedding.weight.shape, [10, 6])
  const images = noGrad(() => g.generate(randn([4, 6], { rng: new Rng(2) }), [0, 3, 9, 3]))
  assert.equal(images.shape, [4, 1, 8, 8])
  const heads = noGrad(() => d.heads(images))
  assert.equal(heads.source.shape, [4])
  assert.equal(heads.classes.shape, [4, 10])
  assert.equal(values(noGrad(() => d.forward(images))), values(heads.source))
})

test('toGanPixels and fromGanPixels map [0, 1] and [-1, 1] onto each other', () => {
  const x = tensor([0, 0.25, 1])
  assert.equal(values(toGanPixels(x)), [-1, -0.5, 1])
  assert.equal(values(fromGanPixels(toGanPixels(x))), values(x))
})

test('errors name what was expected and what came', () => {
  const rng = new Rng(1)
  const mlp = new MlpGenerator({ noise: 4, width: 2, rng })
  assert.throws(() => mlp.generate(randn([2, 5], { rng })), /MlpGenerator: expected noise \[N, 4\], got \[2, 5\]/)
  assert.throws(() => mlp.generate(randn([2, 4], { rng }), [0, 1]), /got labels, but this generator is not conditional/)
  const acgan = new AcganGenerator({ noise: 4, width: 2, classes: 3, imageShape: [1, 8, 8], rng })
  assert.throws(() => acgan.forward(randn([2, 4], { rng })), /a generator over 3 classes needs the labels/)
  assert.throws(() => acgan.generate(randn([2, 4], { rng }), [0]), /got 1 labels for 2 noise vectors/)
  assert.throws(() => new MlpDiscriminator({ width: 2, rng }).forward(randn([2, 10], { rng })), /expected images \[N, 1, 28, 28\] or \[N, 784\], got \[2, 10\]/)
  assert.throws(() => new DcganGenerator({ imageShape: [1, 30, 30], rng }), /divisible by 4, got 30x30/)
  assert.throws(() => new MlpGenerator({ noise: 0, rng }), /noise must be a positive integer, got 0/)
  assert.throws(() => new MlpGenerator({ classes: 1, rng }), /classes must be an integer above 1/)
  assert.throws(() => new DcganDiscriminator({ width: 1.5, rng }), /width must be a positive integer, got 1.5/)
  assert.throws(() => new AcganDiscriminator({ classes: 1, width: 2, rng } as never), /classes must be an integer above 1/)
  assert.throws(() => createGan('acgan', { noise: 4, rng }), /acgan is conditional: it needs the number of classes/)
  assert.throws(() => createGan('dcgan', { noise: 4, classes: 3, rng }), /dcgan is not conditional/)
  assert.throws(() => createGan('wgan' as never, { noise: 4, rng }), /unknown model 'wgan': choose one of gan, dcgan, acgan/)
})

test.run()
