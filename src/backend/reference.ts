// The reference backend, plain TypeScript. The general case is exercise 1.3's strided loops;
// contiguous inputs (the common case in training) take flat loops that the JIT compiles well.
import type { Backend } from './backend.ts'
import type { Strided } from '../tensor/strided.ts'
import { isContiguous, sameShape, sizeOf } from '../tensor/strided.ts'
import { binaryOps, reduceOps, unaryOps } from '../tensor/scalar_ops.ts'
import { broadcastIndex } from '#kata/tensor/broadcast'
import { indexToOffset, ordinalToIndex } from '#kata/tensor/strides'
import { tensorMap, tensorReduce, tensorZip } from '#kata/tensor/map_zip_reduce'

/** A flat view when `t` covers out's shape contiguously, or when it is one value repeated. */
function flat(t: Strided, outShape: readonly number[]): 'dense' | 'scalar' | null {
  if (sizeOf(t.shape) === 1) return 'scalar'
  return sameShape(t.shape, outShape) && isContiguous(t) ? 'dense' : null
}

export const referenceBackend: Backend = {
  name: 'reference',

  map(op, a, out, p0, p1) {
    const fn = unaryOps[op]
    const n = out.data.length
    if (flat(a, out.shape) === 'dense') {
      const src = a.data
      const dst = out.data
      const o = a.offset
      for (let i = 0; i < n; i++) dst[i] = fn(src[o + i]!, p0, p1)
    } else {
      tensorMap((x) => fn(x, p0, p1), a, out)
    }
  },

  zip(op, a, b, out) {
    const fn = binaryOps[op]
    const fa = flat(a, out.shape)
    const fb = flat(b, out.shape)
    const n = out.data.length
    const dst = out.data
    const ad = a.data
    const bd = b.data
    const ao = a.offset
    const bo = b.offset
    if (fa === 'dense' && fb === 'dense') {
      for (let i = 0; i < n; i++) dst[i] = fn(ad[ao + i]!, bd[bo + i]!)
    } else if (fa === 'dense' && fb === 'scalar') {
      const y = bd[bo]!
      for (let i = 0; i < n; i++) dst[i] = fn(ad[ao + i]!, y)
    } else if (fa === 'scalar' && fb === 'dense') {
      const x = ad[ao]!
      for (let i = 0; i < n; i++) dst[i] = fn(x, bd[bo + i]!)
    } else {
      tensorZip(fn, a, b, out)
    }
  },

  reduce(op, a, out) {
    const { fn, init } = reduceOps[op]
    const ndim = a.shape.length
    // Fast path: a contiguous and only the trailing axes reduced (rows of a matrix, say).
    let kept = ndim
    while (kept > 0 && out.shape[kept - 1] === 1) kept--
    const leadingKept = out.shape.slice(0, kept).every((d, i) => d === a.shape[i])
    if (isContiguous(a) && leadingKept) {
      const rows = sizeOf(out.shape)
      const width = rows === 0 ? 0 : sizeOf(a.shape) / rows
      const src = a.data
      for (let r = 0; r < rows; r++) {
        let acc = init
        const start = a.offset + r * width
        for (let j = 0; j < width; j++) acc = fn(acc, src[start + j]!)
        out.data[r] = acc
      }
    } else {
      tensorReduce(fn, init, a, out)
    }
  },

  matmul(a, b, out) {
    const nd = out.shape.length
    const n = out.shape[nd - 2]!
    const m = out.shape[nd - 1]!
    const k = a.shape[a.shape.length - 1]!
    const batchShape = out.shape.slice(0, nd - 2)
    const batches = sizeOf(batchShape)
    const aBatchShape = a.shape.slice(0, -2)
    const bBatchShape = b.shape.slice(0, -2)
    const [as0, as1] = a.strides.slice(-2) as [number, number]
    const [bs0, bs1] = b.strides.slice(-2) as [number, number]
    const aBatchStrides = a.strides.slice(0, -2)
    const bBatchStrides = b.strides.slice(0, -2)
    const batchIndex = new Array<number>(batchShape.length)
    const aIndex = new Array<number>(aBatchShape.length)
    const bIndex = new Array<number>(bBatchShape.length)
    // Accumulate each output row in float64, then round once.
    const row = new Float64Array(m)
    const ad = a.data
    const bd = b.data
    for (let batch = 0; batch < batches; batch++) {
      ordinalToIndex(batch, batchShape, batchIndex)
      broadcastIndex(batchIndex, batchShape, aBatchShape, aIndex)
      broadcastIndex(batchIndex, batchShape, bBatchShape, bIndex)
      const aBase = indexToOffset(aIndex, aBatchStrides, a.offset)
      const bBase = indexToOffset(bIndex, bBatchStrides, b.offset)
      const outBase = batch * n * m
      for (let i = 0; i < n; i++) {
        row.fill(0)
        const aRow = aBase + i * as0
        for (let p = 0; p < k; p++) {
          const x = ad[aRow + p * as1]!
          const bRow = bBase + p * bs0
          if (bs1 === 1) for (let j = 0; j < m; j++) row[j]! += x * bd[bRow + j]!
          else for (let j = 0; j < m; j++) row[j]! += x * bd[bRow + j * bs1]!
        }
        out.data.set(row, outBase + i * m)
      }
    }
  },
}
