// Direct convolution in float64 by its definition (seven nested loops), sharing no code with the
// library: the independent answer conv2d, im2col and the layers are compared against.
import fc from 'fast-check'
import type { Nd } from './reference.ts'

export interface NaiveConvOptions {
  stride: [number, number]
  padding: [number, number]
}

/** y[n, o, oh, ow] = sum_{c, i, j} x[n, c, oh*sh - ph + i, ow*sw - pw + j] w[o, c, i, j] (+ bias[o]). */
export function naiveConv2d(x: Nd, w: Nd, { stride: [sh, sw], padding: [ph, pw] }: NaiveConvOptions, bias?: Nd): Nd {
  const [N, C, H, W] = x.shape as [number, number, number, number]
  const [O, , kh, kw] = w.shape as [number, number, number, number]
  const outH = Math.floor((H + 2 * ph - kh) / sh) + 1
  const outW = Math.floor((W + 2 * pw - kw) / sw) + 1
  const y = new Float64Array(N * O * outH * outW)
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oh = 0; oh < outH; oh++)
        for (let ow = 0; ow < outW; ow++) {
          let s = bias ? bias.data[o]! : 0
          for (let c = 0; c < C; c++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const h = oh * sh - ph + i
                const v = ow * sw - pw + j
                if (h >= 0 && h < H && v >= 0 && v < W) s += x.data[((n * C + c) * H + h) * W + v]! * w.data[((o * C + c) * kh + i) * kw + j]!
              }
          y[((n * O + o) * outH + oh) * outW + ow] = s
        }
  return { shape: [N, O, outH, outW], data: y }
}

export interface ConvCase {
  x: number[]
  w: number[]
  stride: [number, number]
  padding: [number, number]
}

/**
 * A random convolution that fits: x [N, C, H, W] and w [O, C, kh, kw] small enough for gradcheck,
 * strides 1-3 and paddings 0-2 (each axis its own), H and W grown until the kernel fits.
 */
export function convCaseArb({ maxBatch = 2, maxChannels = 3, maxKernel = 3, maxPad = 2, maxStride = 3 } = {}): fc.Arbitrary<ConvCase> {
  return fc
    .record({
      n: fc.integer({ min: 1, max: maxBatch }),
      c: fc.integer({ min: 1, max: maxChannels }),
      o: fc.integer({ min: 1, max: maxChannels }),
      kh: fc.integer({ min: 1, max: maxKernel }),
      kw: fc.integer({ min: 1, max: maxKernel }),
      sh: fc.integer({ min: 1, max: maxStride }),
      sw: fc.integer({ min: 1, max: maxStride }),
      ph: fc.integer({ min: 0, max: maxPad }),
      pw: fc.integer({ min: 0, max: maxPad }),
      extraH: fc.integer({ min: 0, max: 4 }),
      extraW: fc.integer({ min: 0, max: 4 }),
    })
    .map((r) => ({
      x: [r.n, r.c, Math.max(1, r.kh - 2 * r.ph) + r.extraH, Math.max(1, r.kw - 2 * r.pw) + r.extraW],
      w: [r.o, r.c, r.kh, r.kw],
      stride: [r.sh, r.sw] as [number, number],
      padding: [r.ph, r.pw] as [number, number],
    }))
}
