// Convolution end to end: the op against a direct float64 convolution, its gradients against
// gradcheck, the transposed convolution as conv2d's adjoint, the geometry and its errors, the
// layers (shapes, PyTorch's initialisation, errors naming the layer) and the conv VAE's shapes.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { conv2d, convGeometry, convTranspose2d, convTransposeGeometry, fromArray, randn, Rng, ShapeError, zeros } from '../../src/index.ts'
import type { Tensor } from '../../src/index.ts'
import { Conv2d, ConvTranspose2d } from '../../src/nn/index.ts'
import * as values from '../../src/tensor/raw/conv.ts'
import { referenceBackend } from '../../src/backend/reference.ts'
import { naiveConv2d, convCaseArb } from '../helpers/conv_naive.ts'
import type { ConvCase } from '../helpers/conv_naive.ts'
import { assertGradcheck, stridedTensorArb } from '../helpers/arbitraries.ts'
import type { StridedCase } from '../helpers/arbitraries.ts'
import { assertClose, fromTensor, nd } from '../helpers/reference.ts'

/** A conv case with x, w and bias as (usually non-contiguous) views. */
const withTensors = (options: Parameters<typeof convCaseArb>[0] = {}) =>
  convCaseArb(options).chain((c) =>
    fc.record({
      c: fc.constant(c),
      x: stridedTensorArb(c.x, { maxBaseSize: 600 }),
      w: stridedTensorArb(c.w, { maxBaseSize: 300 }),
      b: stridedTensorArb([c.w[0]!], { layouts: [] }),
    }),
  )

const dot = (a: Tensor, b: Tensor) => {
  const x = a.toTypedArray()
  const y = b.toTypedArray()
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!
  return s
}

/** The output padding that makes convTranspose2d give back exactly the forward conv's input size. */
function outputPaddingFor(c: ConvCase): [number, number] {
  const [, , h, w] = c.x as [number, number, number, number]
  const [, , kh, kw] = c.w as [number, number, number, number]
  return [(h + 2 * c.padding[0] - kh) % c.stride[0], (w + 2 * c.padding[1] - kw) % c.stride[1]]
}

test('conv2d equals the direct 7-loop convolution in float64, for random geometries and non-contiguous inputs', () => {
  fc.assert(
    fc.property(withTensors({ maxBatch: 3, maxChannels: 3, maxKernel: 4 }), ({ c, x, w, b }) => {
      const y = conv2d(x.make({ dtype: 'float64' }), w.make({ dtype: 'float64' }), b.make({ dtype: 'float64' }), c)
      assertClose(y, naiveConv2d(x.values, w.values, c, b.values), 1e-12, `${x.layout} * ${w.layout}`)
    }),
    { numRuns: 80, seed: 1 },
  )
})

test('conv2d in float32 agrees with float64 within a tolerance that scales with C*kh*kw', () => {
  fc.assert(
    fc.property(withTensors({ maxChannels: 3 }), ({ c, x, w }) => {
      const y = conv2d(x.make(), w.make(), null, c)
      assert.is(y.dtype, 'float32')
      const k = c.w[1]! * c.w[2]! * c.w[3]!
      assertClose(y, naiveConv2d(x.values, w.values, c), 4 * k * 2 ** -23 * 4)
    }),
    { numRuns: 40, seed: 2 },
  )
})

test('gradcheck (float64): conv2d with bias, input and weight non-contiguous, strides 1-3, paddings 0-2', () => {
  fc.assert(
    fc.property(withTensors({ maxBatch: 2, maxChannels: 2 }), ({ c, x, w, b }) => {
      assertGradcheck((x, w, b) => conv2d(x, w, b, c), [x, w, b], JSON.stringify(c))
    }),
    { numRuns: 25, seed: 3 },
  )
})

test('gradcheck (float64): convTranspose2d with bias and output padding, non-contiguous inputs', () => {
  const arb = convCaseArb({ maxBatch: 2, maxChannels: 2 }).chain((c) => {
    const g = convGeometry('test', c.x, c.w, c)
    return fc.record({
      c: fc.constant(c),
      x: stridedTensorArb([g.batch, g.outChannels, g.outH, g.outW], { maxBaseSize: 300 }),
      w: stridedTensorArb(c.w, { maxBaseSize: 300 }),
      b: stridedTensorArb([c.w[1]!], { layouts: [] }),
    })
  })
  fc.assert(
    fc.property(arb, ({ c, x, w, b }) => {
      const options = { ...c, outputPadding: outputPaddingFor(c) }
      assertGradcheck((x, w, b) => convTranspose2d(x, w, b, options), [x, w, b] as StridedCase[], JSON.stringify(options))
    }),
    { numRuns: 25, seed: 4 },
  )
})

test('the value functions conv2dInputGrad and conv2dWeightGrad equal what gradcheck measures', () => {
  // dL/dx and dL/dw of L = <v, conv2d(x, w)> by central differences, against the backend's kernels.
  const rng = new Rng(5)
  const x = randn([2, 2, 5, 6], { rng, dtype: 'float64' })
  const w = randn([3, 2, 3, 2], { rng, dtype: 'float64' })
  const g = convGeometry('test', x.shape, w.shape, { stride: [2, 3], padding: [1, 2] })
  const v = randn([g.batch, g.outChannels, g.outH, g.outW], { rng, dtype: 'float64' })
  const loss = (x: Tensor, w: Tensor) => dot(values.conv2d(x, w, g), v)
  const numeric = (t: Tensor, other: (t: Tensor) => number) => {
    const out = new Float64Array(t.size)
    for (let i = 0; i < t.size; i++) {
      const saved = t.data[i]!
      t.data[i] = saved + 1e-6
      const up = other(t)
      t.data[i] = saved - 1e-6
      const down = other(t)
      t.data[i] = saved
      out[i] = (up - down) / 2e-6
    }
    return nd(t.shape, out)
  }
  assertClose(values.conv2dInputGrad(v, w, g), numeric(x, (x) => loss(x, w)), 1e-7)
  assertClose(values.conv2dWeightGrad(x, v, g), numeric(w, (w) => loss(x, w)), 1e-7)
})

test("convTranspose2d's output shape is PyTorch's (H - 1) stride - 2 padding + kernel + outputPadding", () => {
  fc.assert(
    fc.property(
      fc.record({
        h: fc.integer({ min: 1, max: 6 }),
        w: fc.integer({ min: 1, max: 6 }),
        k: fc.integer({ min: 1, max: 5 }),
        s: fc.integer({ min: 1, max: 3 }),
        p: fc.integer({ min: 0, max: 2 }),
        extra: fc.integer({ min: 0, max: 2 }),
      }),
      ({ h, w, k, s, p, extra }) => {
        const op = extra % s
        const expected = [(h - 1) * s - 2 * p + k + op, (w - 1) * s - 2 * p + k + op]
        const x = zeros([1, 2, h, w])
        const weight = zeros([2, 3, k, k])
        if (expected[0]! < 1 || expected[1]! < 1) {
          assert.throws(() => convTranspose2d(x, weight, null, { stride: s, padding: p, outputPadding: op }), /convTranspose2d: the output would be/)
          return
        }
        const y = convTranspose2d(x, weight, null, { stride: s, padding: p, outputPadding: op })
        assert.equal(y.shape, [1, 3, ...expected])
        // And the forward convolution maps that size back to the input's.
        assert.equal(conv2d(y, zeros([2, 3, k, k]), null, { stride: s, padding: p }).shape, [1, 2, h, w])
      },
    ),
    { numRuns: 200, seed: 6 },
  )
})

test('convTranspose2d is the adjoint of conv2d: <conv2d(x, w), y> = <x, convTranspose2d(y, w)> for any shapes', () => {
  fc.assert(
    fc.property(convCaseArb({ maxBatch: 3, maxChannels: 4, maxKernel: 4 }), fc.integer({ min: 0, max: 10_000 }), (c, seed) => {
      const rng = new Rng(seed)
      const g = convGeometry('test', c.x, c.w, c)
      const x = randn(c.x, { rng, dtype: 'float64' })
      const w = randn(c.w, { rng, dtype: 'float64' })
      const y = randn([g.batch, g.outChannels, g.outH, g.outW], { rng, dtype: 'float64' })
      const left = dot(conv2d(x, w, null, c), y)
      const right = dot(x, convTranspose2d(y, w, null, { ...c, outputPadding: outputPaddingFor(c) }))
      assert.ok(Math.abs(left - right) <= 1e-10 * Math.max(1, Math.abs(left)), `<conv(x), y> = ${left}, <x, convT(y)> = ${right} for ${JSON.stringify(c)}`)
    }),
    { numRuns: 100, seed: 7 },
  )
})

test('the conv VAE geometry: 28x28 -> 14x14 -> 7x7 with 4x4 stride-2 padding-1 kernels, and mirrored back', () => {
  const rng = new Rng(8)
  const layer = (C: typeof Conv2d | typeof ConvTranspose2d, inChannels: number, outChannels: number) =>
    new C({ inChannels, outChannels, kernelSize: 4, stride: 2, padding: 1, rng })
  const x = randn([3, 1, 28, 28], { rng })
  const h1 = layer(Conv2d, 1, 32).forward(x)
  assert.equal(h1.shape, [3, 32, 14, 14])
  const h2 = layer(Conv2d, 32, 64).forward(h1.relu())
  assert.equal(h2.shape, [3, 64, 7, 7])
  const u1 = layer(ConvTranspose2d, 64, 32).forward(h2.relu())
  assert.equal(u1.shape, [3, 32, 14, 14])
  const u2 = layer(ConvTranspose2d, 32, 1).forward(u1.relu())
  assert.equal(u2.shape, [3, 1, 28, 28])
})

test('layers: parameter shapes, PyTorch fan-in bounds, and the uniform spread within a 5-sigma bound', () => {
  const conv = new Conv2d({ inChannels: 32, outChannels: 64, kernelSize: 4, stride: 2, padding: 1, seed: 1 })
  const deconv = new ConvTranspose2d({ inChannels: 64, outChannels: 32, kernelSize: [4, 3], seed: 1 })
  assert.equal(conv.weight.shape, [64, 32, 4, 4])
  assert.equal(conv.bias!.shape, [64])
  assert.equal(deconv.weight.shape, [64, 32, 4, 3])
  assert.equal(deconv.bias!.shape, [32])
  assert.equal(conv.namedParameters().map(([name]) => name), ['weight', 'bias'])
  // fanIn = weight.size(1) * kh * kw: C*kh*kw for Conv2d, Cout*kh*kw for ConvTranspose2d.
  for (const [t, fanIn] of [[conv.weight, 32 * 16], [conv.bias!, 32 * 16], [deconv.weight, 32 * 12], [deconv.bias!, 32 * 12]] as const) {
    const bound = 1 / Math.sqrt(fanIn)
    const data = Array.from(t.toTypedArray())
    assert.ok(data.every((v) => Math.abs(v) <= bound), `a value outside +-${bound}`)
    if (data.length < 1000) continue
    // U(-b, b) has mean 0 and standard deviation b / sqrt(3); with n draws the sample mean is within
    // 5 b / sqrt(3n) and the sample standard deviation within 5 * 0.45 / sqrt(n) of it, relatively
    // (std of the sample std of a uniform: sqrt((kurtosis - 1) / 4n) = 0.45 / sqrt(n)), except with
    // probability below 1e-6 each.
    const n = data.length
    const mean = data.reduce((s, v) => s + v, 0) / n
    const std = Math.sqrt(data.reduce((s, v) => s + (v - mean) ** 2, 0) / n)
    assert.ok(Math.abs(mean) <= (5 * bound) / Math.sqrt(3 * n), `mean ${mean}`)
    assert.ok(Math.abs(std / (bound / Math.sqrt(3)) - 1) <= (5 * 0.45) / Math.sqrt(n), `std ${std}`)
  }
})

test('layers: seeded, bias optional, and the same numbers as the functional ops', () => {
  const a = new Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, seed: 4 })
  const b = new Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, rng: new Rng(4) })
  assert.equal(Array.from(a.weight.toTypedArray()), Array.from(b.weight.toTypedArray()))
  const noBias = new ConvTranspose2d({ inChannels: 2, outChannels: 3, kernelSize: 2, stride: 2, outputPadding: 1, bias: false, seed: 4 })
  assert.is(noBias.bias, null)
  assert.equal(noBias.parameters().length, 1)
  const x = randn([2, 2, 5, 5], { seed: 5 })
  assertClose(a.forward(x), conv2d(x, a.weight, a.bias, {}), 0)
  const y = noBias.forward(x)
  assert.equal(y.shape, [2, 3, 11, 11])
  assertClose(y, convTranspose2d(x, noBias.weight, null, { stride: 2, outputPadding: 1 }), 0)
  // Gradients reach the parameters through the layer.
  y.sum().backward()
  assert.equal(noBias.weight.grad!.shape, [2, 3, 2, 2])
})

test('layers: errors name the layer, its settings and the shapes', () => {
  const conv = new Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 5, stride: 2, padding: 1, seed: 0 })
  const wrongChannels = () => conv.forward(zeros([1, 2, 8, 8]))
  assert.throws(wrongChannels, (e: Error) => e instanceof ShapeError && /Conv2d\(3 -> 4, kernel 5x5, stride 2x2, padding 1x1\): input has shape \[1, 2, 8, 8\], expected \[N, 3, H, W\]/.test(e.message))
  assert.throws(() => conv.forward(zeros([3, 8, 8])), /Conv2d\(3 -> 4.*input has shape \[3, 8, 8\]/)
  assert.throws(() => conv.forward(zeros([1, 3, 2, 2])), /Conv2d\(3 -> 4.*conv2d: a 5x5 kernel does not fit in the 2x2 input/)
  const deconv = new ConvTranspose2d({ inChannels: 2, outChannels: 1, kernelSize: 1, padding: 2, seed: 0 })
  assert.throws(() => deconv.forward(zeros([1, 1, 3, 3])), /ConvTranspose2d\(2 -> 1, .*outputPadding 0x0\): input has shape \[1, 1, 3, 3\]/)
  assert.throws(() => deconv.forward(zeros([1, 2, 3, 3])), /ConvTranspose2d\(2 -> 1.*the output would be -1x-1/)
  assert.throws(() => new Conv2d({ inChannels: 0, outChannels: 4, kernelSize: 3, seed: 0 }), /Conv2d: inChannels and outChannels must be positive integers, got 0 and 4/)
  assert.throws(() => new Conv2d({ inChannels: 1, outChannels: 4, kernelSize: 3 }), /Conv2d: pass \{ rng \} or \{ seed \}/)
  assert.throws(() => new Conv2d({ inChannels: 1, outChannels: 4, kernelSize: 0, seed: 1 }), /Conv2d: kernelSize must be an integer >= 1/)
  assert.throws(() => new ConvTranspose2d({ inChannels: 1, outChannels: 4, kernelSize: 3, stride: 2, outputPadding: 2, seed: 1 }), /ConvTranspose2d: outputPadding \[2,2\] must be smaller than the stride \[2,2\]/)
  // A non-shape error from inside the op passes through unchanged.
  const broken = new Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 1, seed: 1 })
  broken.weight = null as unknown as Tensor
  assert.throws(() => broken.forward(zeros([1, 1, 2, 2])), (e: Error) => !(e instanceof ShapeError))
})

test('geometry: the errors name the op and both shapes', () => {
  const x = [2, 3, 8, 8]
  const cases: [() => unknown, RegExp][] = [
    [() => convGeometry('conv2d', [3, 8, 8], [4, 3, 3, 3]), /conv2d: the input must be 4-D \[N, C, H, W\], got \[3, 8, 8\] \(input \[3, 8, 8\], weight \[4, 3, 3, 3\]\)/],
    [() => convGeometry('conv2d', x, [4, 3, 3]), /conv2d: the weight must be 4-D/],
    [() => convGeometry('conv2d', [2, 3, 8.5, 8], [4, 3, 3, 3]), /the input must be 4-D/],
    [() => convGeometry('conv2d', x, [4, 2, 3, 3]), /conv2d: the input has 3 channels but the weight expects 2 \(input \[2, 3, 8, 8\], weight \[4, 2, 3, 3\]\)/],
    [() => convGeometry('conv2d', x, [0, 3, 3, 3]), /channels and kernel sizes must be positive/],
    [() => convGeometry('conv2d', x, [4, 3, 9, 3]), /conv2d: a 9x3 kernel does not fit in the 8x8 input padded by 0x0 \(output would be 0x6/],
    [() => convGeometry('conv2d', x, [4, 3, 3, 3], { stride: 0 }), /conv2d: stride must be an integer >= 1 or a pair \[h, w\] of them, got 0/],
    [() => convGeometry('conv2d', x, [4, 3, 3, 3], { stride: [1, 1.5] }), /stride must be an integer >= 1.*got \[1,1.5\]/],
    [() => convGeometry('conv2d', x, [4, 3, 3, 3], { padding: -1 }), /padding must be an integer >= 0/],
    [() => convGeometry('conv2d', x, [4, 3, 3, 3], { padding: [1, 2, 3] as unknown as [number, number] }), /padding must be an integer >= 0/],
    [() => convTransposeGeometry('convTranspose2d', [2, 3, 4], [3, 4, 3, 3]), /convTranspose2d: the input must be 4-D \[N, inChannels, H, W\]/],
    [() => convTransposeGeometry('convTranspose2d', x, [3, 4, 3]), /convTranspose2d: the weight must be 4-D \[inChannels, outChannels, kh, kw\]/],
    [() => convTransposeGeometry('convTranspose2d', x, [4, 3, 3, 3]), /the input has 3 channels but the weight expects 4/],
    [() => convTransposeGeometry('convTranspose2d', [2, 3, 0, 8], [3, 4, 3, 3]), /the input's height and width must be positive/],
    [() => convTransposeGeometry('convTranspose2d', x, [3, 4, 3, 3], { stride: 2, outputPadding: [0, 2] }), /outputPadding \[0, 2\] must be smaller than the stride \[2, 2\]/],
    [() => convTransposeGeometry('convTranspose2d', [1, 3, 1, 1], [3, 4, 1, 1], { padding: 1 }), /the output would be -1x-1: padding \[1, 1\] is too large \(input \[1, 3, 1, 1\], weight \[3, 4, 1, 1\]/],
    [() => conv2d(zeros(x), zeros([4, 3, 3, 3]), zeros([3])), /conv2d: the bias must have shape \[4\].*got \[3\] \(input \[2, 3, 8, 8\], weight \[4, 3, 3, 3\]\)/],
    [() => convTranspose2d(zeros(x), zeros([3, 4, 3, 3]), zeros([4, 1])), /convTranspose2d: the bias must have shape \[4\]/],
    [() => values.conv2dInputGrad(zeros([2, 4, 5, 6]), zeros([4, 3, 3, 3]), convGeometry('t', x, [4, 3, 3, 3])), /conv2dInputGrad: the output gradient gy has shape \[2, 4, 5, 6\], but the geometry needs \[2, 4, 6, 6\]/],
    [() => values.conv2dWeightGrad(zeros([2, 3, 8, 7]), zeros([2, 4, 6, 6]), convGeometry('t', x, [4, 3, 3, 3])), /conv2dWeightGrad: the input x has shape \[2, 3, 8, 7\]/],
    [() => values.conv2d(zeros(x), zeros([4, 3, 2, 2]), convGeometry('t', x, [4, 3, 3, 3])), /conv2d: the weight w has shape \[4, 3, 2, 2\], but the geometry needs \[4, 3, 3, 3\]/],
  ]
  for (const [fn, pattern] of cases) assert.throws(fn, (e: Error) => e instanceof ShapeError && pattern.test(e.message), String(pattern))
})

test('geometry: outH = floor((H + 2 pad - k) / stride) + 1, and a transposed geometry maps back to its input', () => {
  const g = convGeometry('conv2d', [5, 3, 28, 20], [7, 3, 4, 3], { stride: [2, 3], padding: [1, 0] })
  assert.equal(g, { batch: 5, inChannels: 3, height: 28, width: 20, outChannels: 7, kernelH: 4, kernelW: 3, strideH: 2, strideW: 3, padH: 1, padW: 0, outH: 14, outW: 6 })
  const t = convTransposeGeometry('convTranspose2d', [5, 7, 14, 6], [7, 3, 4, 3], { stride: [2, 3], padding: [1, 0], outputPadding: [0, 2] })
  assert.equal(t, g)
})

test('mixed dtypes: a float64 bias makes a float64 result; an empty batch gives an empty output', () => {
  const x = randn([1, 2, 4, 4], { seed: 1 })
  const w = randn([3, 2, 3, 3], { seed: 2 })
  const b = fromArray([1, 2, 3], [3], { dtype: 'float64' })
  const y = conv2d(x, w, b, { padding: 1 })
  assert.is(y.dtype, 'float64')
  assertClose(y, naiveConv2d(fromTensor(x), fromTensor(w), { stride: [1, 1], padding: [1, 1] }, fromTensor(b)), 1e-5)
  assert.is(convTranspose2d(x, randn([2, 3, 2, 2], { seed: 3 }), b).dtype, 'float64')
  const empty = conv2d(zeros([0, 2, 4, 4]), w, b)
  assert.equal(empty.shape, [0, 3, 2, 2])
})

test('reference backend: the kernels write every element of a NaN-filled output', () => {
  const rng = new Rng(9)
  const x = randn([2, 2, 5, 5], { rng, dtype: 'float64' })
  const w = randn([3, 2, 2, 2], { rng, dtype: 'float64' })
  // stride 3 > kernel 2 leaves pixels no window reads: their input gradient must still be written (0).
  const g = convGeometry('test', x.shape, w.shape, { stride: 3 })
  const gy = randn([2, 3, g.outH, g.outW], { rng, dtype: 'float64' })
  const fill = (shape: number[]) => ({ data: new Float64Array(shape.reduce((p, d) => p * d, 1)).fill(NaN), shape, strides: [], offset: 0 })
  const out = fill([2, 3, g.outH, g.outW])
  referenceBackend.conv2d(x, w, g, out)
  assertClose(nd(out.shape, out.data), values.conv2d(x, w, g), 1e-12)
  const gx = fill([2, 2, 5, 5])
  referenceBackend.conv2dInputGrad(gy, w, g, gx)
  assertClose(nd(gx.shape, gx.data), values.conv2dInputGrad(gy, w, g), 1e-12)
  assert.is(gx.data[2 * 5 + 2], 0) // pixel (0, 0, 2, 2) is read by no window
  const gw = fill([3, 2, 2, 2])
  referenceBackend.conv2dWeightGrad(x, gy, g, gw)
  assertClose(nd(gw.shape, gw.data), values.conv2dWeightGrad(x, gy, g), 1e-12)
})

test.run()
