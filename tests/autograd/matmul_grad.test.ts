// The matrix product's gradients are the transposed products: for out = a @ b and a seed g,
// a.grad = g @ b^T and b.grad = a^T @ g, here computed independently in float64 plain loops.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fromArray } from '../../src/index.ts'
import { broadcastPairArb, stridedTensorArb, valuesArb } from '../helpers/arbitraries.ts'
import * as ref from '../helpers/reference.ts'
import { assertClose } from '../helpers/reference.ts'

const F32 = 2 ** -23
const dims = fc.record({ n: fc.integer({ min: 1, max: 6 }), k: fc.integer({ min: 1, max: 6 }), m: fc.integer({ min: 1, max: 6 }) })

test('2-D matmul: a.grad == g @ b^T and b.grad == a^T @ g for random a [n,k], b [k,m] and seed g, on non-contiguous leaves', () => {
  fc.assert(
    fc.property(
      dims.chain(({ n, k, m }) => fc.tuple(stridedTensorArb([n, k]), stridedTensorArb([k, m]), valuesArb(n * m))),
      ([ca, cb, gValues]) => {
        const [n, k] = ca.shape as [number, number]
        const m = cb.shape[1]!
        const a = ca.make({ requiresGrad: true })
        const b = cb.make({ requiresGrad: true })
        const out = a.matmul(b)
        assert.equal(out.shape, [n, m])
        out.backward(fromArray(gValues, [n, m]))
        const g = ref.nd([n, m], gValues)
        // a.grad[i, p] = sum_j g[i, j] b[p, j]; b.grad[p, j] = sum_i a[i, p] g[i, j]
        const expectedA = new Float64Array(n * k)
        const expectedB = new Float64Array(k * m)
        for (let i = 0; i < n; i++) {
          for (let p = 0; p < k; p++) {
            for (let j = 0; j < m; j++) {
              expectedA[i * k + p]! += g.data[i * m + j]! * cb.values.data[p * m + j]!
              expectedB[p * m + j]! += ca.values.data[i * k + p]! * g.data[i * m + j]!
            }
          }
        }
        assertClose(a.grad!, ref.nd([n, k], expectedA), 16 * m * F32 * 4, `a.grad for ${ca.layout} @ ${cb.layout}`)
        assertClose(b.grad!, ref.nd([k, m], expectedB), 16 * n * F32 * 4, `b.grad for ${ca.layout} @ ${cb.layout}`)
        // The same, through the reference's matmul and transpose.
        assertClose(a.grad!, ref.matmul(g, ref.transpose(cb.values)), 16 * m * F32 * 4)
        assertClose(b.grad!, ref.matmul(ref.transpose(ca.values), g), 16 * n * F32 * 4)
      },
    ),
    { numRuns: 60 },
  )
})

test('batched matmul with broadcast batch dimensions: each grad is the transposed product summed over the batches it was repeated in', () => {
  fc.assert(
    fc.property(
      fc.tuple(broadcastPairArb({ maxDims: 2, maxSize: 3 }), dims).chain(([[ba, bb], { n, k, m }]) => {
        const batch = ref.broadcastShape(ba, bb)
        return fc.tuple(stridedTensorArb([...ba, n, k]), stridedTensorArb([...bb, k, m]), valuesArb(ref.sizeOfShape(batch) * n * m))
      }),
      ([ca, cb, gValues]) => {
        const a = ca.make({ requiresGrad: true })
        const b = cb.make({ requiresGrad: true })
        const out = a.matmul(b)
        const g = ref.nd(out.shape, gValues)
        out.backward(fromArray(gValues, out.shape))
        assert.equal(a.grad!.shape, ca.shape)
        assert.equal(b.grad!.shape, cb.shape)
        const reps = ref.sizeOfShape(out.shape) / Math.min(ref.sizeOfShape(ca.shape), ref.sizeOfShape(cb.shape))
        const tol = 64 * reps * F32 * 4
        assertClose(a.grad!, ref.sumTo(ref.matmul(g, ref.transpose(cb.values)), ca.shape), tol, `a.grad for ${ca.layout} @ ${cb.layout}`)
        assertClose(b.grad!, ref.sumTo(ref.matmul(ref.transpose(ca.values), g), cb.shape), tol, `b.grad for ${ca.layout} @ ${cb.layout}`)
      },
    ),
    { numRuns: 60 },
  )
})

test('matmul gradient on a small worked example', () => {
  const a = fromArray([1, 2, 3, 4, 5, 6], [2, 3], { requiresGrad: true })
  const b = fromArray([1, 0, 0, 1, 1, 1], [3, 2], { requiresGrad: true })
  a.matmul(b).sum().backward()
  // g = ones [2,2]: a.grad = g @ b^T = row sums of b for every row; b.grad = a^T @ g = column sums of a
  assert.equal(a.grad!.toArray(), [[1, 1, 2], [1, 1, 2]])
  assert.equal(b.grad!.toArray(), [[5, 5], [7, 7], [9, 9]])
})

test.run()
