// The reference backend, plain TypeScript. The general case is exercise 1.3's strided loops;
// contiguous inputs (the common case in training) take flat loops that the JIT compiles well.
import type { Backend } from './backend.ts'
import type { Strided, DType } from '../tensor/strided.ts'
import { allocate, dtypeOf, isContiguous, sameShape, sizeOf } from '../tensor/strided.ts'
import type { Conv2dGeometry } from '../tensor/conv_geometry.ts'
import { binaryOps, reduceOps, unaryOps } from '../tensor/scalar_ops.ts'
import { broadcastIndex } from '#kata/tensor/broadcast'
import { indexToOffset, ordinalToIndex } from '#kata/tensor/strides'
import { tensorMap, tensorReduce, tensorZip } from '#kata/tensor/map_zip_reduce'
import { im2col } from '#kata/nn/im2col'
import { col2im } from '#kata/nn/col2im'

/** A flat view when `t` covers out's shape contiguously, or when it is one value repeated. */
function flat(t: Strided, outShape: readonly number[]): 'dense' | 'scalar' | null {
  if (sizeOf(t.shape) === 1) return 'scalar'
  return sameShape(t.shape, outShape) && isContiguous(t) ? 'dense' : null
}

function matrix(dtype: DType, rows: number, columns: number): Strided {
  return { data: allocate(dtype, rows * columns), shape: [rows, columns], strides: [columns, 1], offset: 0 }
}

/** w [O, C, kh, kw] as the matrix [O, C*kh*kw]: a view when w is contiguous, else a copy. */
function weightMatrix(w: Strided, geom: Conv2dGeometry): Strided {
  const k = geom.inChannels * geom.kernelH * geom.kernelW
  if (isContiguous(w)) return { data: w.data, shape: [geom.outChannels, k], strides: [k, 1], offset: w.offset }
  const m = matrix(dtypeOf(w.data), geom.outChannels, k)
  const [s0, s1, s2, s3] = w.strides as [number, number, number, number]
  let d = 0
  for (let o = 0; o < geom.outChannels; o++)
    for (let c = 0; c < geom.inChannels; c++)
      for (let i = 0; i < geom.kernelH; i++)
        for (let j = 0; j < geom.kernelW; j++) m.data[d++] = w.data[w.offset + o * s0 + c * s1 + i * s2 + j * s3]!
  return m
}

/**
 * gy [N, O, outH, outW] (any strides) regrouped as a matrix with one column per output position,
 * [O, N*outH*outW] (the layout of im2col's columns), or its transpose [N*outH*outW, O].
 */
function gradMatrix(gy: Strided, geom: Conv2dGeometry, dtype: DType, transposed: boolean): Strided {
  const { batch, outChannels, outH, outW } = geom
  const positions = batch * outH * outW
  const m = transposed ? matrix(dtype, positions, outChannels) : matrix(dtype, outChannels, positions)
  const [s0, s1, s2, s3] = gy.strides as [number, number, number, number]
  const [rowStride, columnStride] = transposed ? [1, outChannels] : [positions, 1]
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < outChannels; o++) {
      let q = n * outH * outW
      for (let oh = 0; oh < outH; oh++) {
        let s = gy.offset + n * s0 + o * s1 + oh * s2
        for (let ow = 0; ow < outW; ow++, q++, s += s3) m.data[o * rowStride + q * columnStride] = gy.data[s]!
      }
    }
  }
  return m
}

/**
 * Convolution as matrix products (im2col, exercises 4.1 and 4.2), for any backend's matmul: a
 * faster matmul makes this convolution faster with no other change. With K = C*kh*kw and
 * P = N*outH*outW positions:
 *   forward       out  [O, P] = w [O, K] @ cols [K, P]
 *   input grad    dcols [K, P] = w^T [K, O] @ gy [O, P], folded back by col2im
 *   weight grad   gw^T [K, O] = cols [K, P] @ gy^T [P, O]
 * Each product's right operand is contiguous in its rows, the layout a row-major matmul reads fastest.
 */
export function convolutionByMatmul(
  matmul: (a: Strided, b: Strided, out: Strided) => void,
): Pick<Backend, 'conv2d' | 'conv2dInputGrad' | 'conv2dWeightGrad'> {
  return {
    conv2d(x, w, geom, out) {
      const dtype = dtypeOf(out.data)
      const k = geom.inChannels * geom.kernelH * geom.kernelW
      const positions = geom.batch * geom.outH * geom.outW
      const cols = matrix(dtype, k, positions)
      im2col(x, geom, cols)
      const y = matrix(dtype, geom.outChannels, positions)
      matmul(weightMatrix(w, geom), cols, y)
      // [O, N, outH*outW] -> [N, O, outH*outW]
      const plane = geom.outH * geom.outW
      for (let n = 0; n < geom.batch; n++) {
        for (let o = 0; o < geom.outChannels; o++) {
          const from = o * positions + n * plane
          out.data.set(y.data.subarray(from, from + plane), (n * geom.outChannels + o) * plane)
        }
      }
    },

    conv2dInputGrad(gy, w, geom, gx) {
      const dtype = dtypeOf(gx.data)
      const k = geom.inChannels * geom.kernelH * geom.kernelW
      const wm = weightMatrix(w, geom)
      const wT: Strided = { data: wm.data, shape: [k, geom.outChannels], strides: [1, k], offset: wm.offset }
      const dcols = matrix(dtype, k, geom.batch * geom.outH * geom.outW)
      matmul(wT, gradMatrix(gy, geom, dtype, false), dcols)
      col2im(dcols, geom, gx)
    },

    conv2dWeightGrad(x, gy, geom, gw) {
      const dtype = dtypeOf(gw.data)
      const k = geom.inChannels * geom.kernelH * geom.kernelW
      const cols = matrix(dtype, k, geom.batch * geom.outH * geom.outW)
      im2col(x, geom, cols)
      const gwT = matrix(dtype, k, geom.outChannels)
      matmul(cols, gradMatrix(gy, geom, dtype, true), gwT)
      for (let o = 0; o < geom.outChannels; o++) for (let r = 0; r < k; r++) gw.data[o * k + r] = gwT.data[r * geom.outChannels + o]!
    },
  }
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
  // Through the reference matmul (read at call time, so wrapping it wraps convolution too).
  ...convolutionByMatmul((a, b, out) => referenceBackend.matmul(a, b, out)),
}
