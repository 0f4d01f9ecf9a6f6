// Gradients through broadcasting: for every binary op and random broadcast-compatible shapes, on
// non-contiguous inputs, the gradients have the inputs' shapes, equal the float64 plain-loop
// reference (the seed times the partial derivative, summed over the broadcast copies), and pass
// gradcheck.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fromArray } from '../../src/index.ts'
import { assertGradcheck, broadcastPairArb, stridedTensorArb, valuesArb } from '../helpers/arbitraries.ts'
import { binaryCases } from '../helpers/ops.ts'
import * as ref from '../helpers/reference.ts'
import { assertClose } from '../helpers/reference.ts'
import { needsFloat64 } from '../helpers/float64.ts'
const test64 = needsFloat64(test)

const F32 = 2 ** -23
const small = { maxDims: 3, maxSize: 4, maxElements: 24 }

for (const op of binaryCases) {
  test(`${op.name}: gradients of random broadcast shapes on non-contiguous leaves have the input shapes and equal the float64 reference`, () => {
    fc.assert(
      fc.property(
        broadcastPairArb().chain(([sa, sb]) =>
          fc.tuple(stridedTensorArb(sa, op.a), stridedTensorArb(sb, op.b), valuesArb(ref.sizeOfShape(ref.broadcastShape(sa, sb)))),
        ),
        ([ca, cb, seedValues]) => {
          const a = ca.make({ requiresGrad: true })
          const b = cb.make({ requiresGrad: true })
          const out = op.apply(a, b)
          const outShape = ref.broadcastShape(ca.shape, cb.shape)
          assert.equal(out.shape, outShape)
          const seed = ref.nd(outShape, seedValues)
          out.backward(fromArray(seedValues, outShape))
          assert.ok(a.grad && b.grad, 'both inputs get a gradient')
          assert.equal(a.grad.shape, ca.shape, 'a.grad has the shape of a')
          assert.equal(b.grad.shape, cb.shape, 'b.grad has the shape of b')
          const partial = (d: (x: number, y: number) => number) => {
            const data = new Float64Array(seed.data.length)
            for (let i = 0; i < data.length; i++) {
              const index = ref.unravel(i, outShape)
              const x = ca.values.data[ref.broadcastOrdinal(index, ca.shape)]!
              const y = cb.values.data[ref.broadcastOrdinal(index, cb.shape)]!
              data[i] = seed.data[i]! * d(x, y)
            }
            return { shape: outShape, data }
          }
          const copies = (shape: readonly number[]) => ref.sizeOfShape(outShape) / ref.sizeOfShape(shape)
          const where = `${ca.layout} ${op.name} ${cb.layout}`
          assertClose(a.grad, ref.sumTo(partial(op.da), ca.shape), 64 * copies(ca.shape) * F32, `a.grad of ${where}`)
          assertClose(b.grad, ref.sumTo(partial(op.db), cb.shape), 64 * copies(cb.shape) * F32, `b.grad of ${where}`)
        },
      ),
      { numRuns: 50 },
    )
  })

  test64(`${op.name}: gradcheck passes for random broadcast shapes on non-contiguous inputs`, () => {
    fc.assert(
      fc.property(
        broadcastPairArb(small).chain(([sa, sb]) => fc.tuple(stridedTensorArb(sa, { ...op.a, maxBaseSize: 48 }), stridedTensorArb(sb, { ...op.b, maxBaseSize: 48 }))),
        ([ca, cb]) => assertGradcheck(op.apply, [ca, cb], op.name),
      ),
      { numRuns: 30 },
    )
  })
}

test('a tensor used twice, once through a transposed view (x + x^T), gets both gradients summed', () => {
  const x = fromArray([1, 2, 3, 4], [2, 2], { requiresGrad: true })
  x.add(x.transpose()).mul(fromArray([1, 10, 100, 1000], [2, 2])).sum().backward()
  assert.equal(x.grad!.toArray(), [[2, 110], [110, 2000]])
})

test('a scalar operand (a number) gets no gradient and the tensor gets the right one', () => {
  const x = fromArray([1, 2, 3], [3], { requiresGrad: true })
  x.mul(3).sub(1).div(2).pow(2).sum().backward()
  // d/dx ((3x - 1) / 2)^2 = 2 * (3x - 1) / 2 * 3 / 2 = 1.5 (3x - 1)
  assertClose(x.grad!, ref.nd([3], [3, 7.5, 12]), 1e-6)
})

test.run()
