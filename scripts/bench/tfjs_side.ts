// The peer: TensorFlow.js 4.22 with its WebAssembly backend (XNNPACK) and its plain-JS cpu backend,
// running the same workloads in the same process. Each workload is written the way a tfjs user
// would write it (NHWC, the layout tfjs convolutions run in; weights [in, out] as tf.layers stores them).
import * as tf from '@tensorflow/tfjs'
import * as tfWasm from '@tensorflow/tfjs-backend-wasm'
import type { ConvSpec, MatmulSpec, VaeSpec, Workload } from './rows.ts'

export type TfBackend = 'wasm' | 'cpu'

let patched = false

/**
 * tfjs-backend-wasm has no Conv2DBackpropFilter kernel, so stock tfjs-wasm cannot train a network
 * with convolutions at all. The peer gets one: the 2-D filter gradient is the 3-D one
 * (Conv3DBackpropFilterV2, which the wasm backend does have, a plain C++ loop nest) on a depth of 1.
 */
function patchWasmConvFilterGradient(): void {
  if (patched || tf.getKernel('Conv2DBackpropFilter', 'wasm')) return
  const reshape = tf.getKernel('Reshape', 'wasm')!.kernelFunc
  const filter3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm')!.kernelFunc
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo }
      const { strides, pad, filterShape, dataFormat } = attrs as unknown as {
        strides: number | [number, number]
        pad: 'same' | 'valid' | number
        filterShape: [number, number, number, number]
        dataFormat: string
      }
      if (dataFormat !== 'NHWC' || typeof pad === 'number') throw new Error('bench patch: Conv2DBackpropFilter supports NHWC with same/valid padding')
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides
      const [n, h, w, c] = x.shape
      const [, oh, ow, o] = dy.shape
      const wasmBackend = backend as { disposeData(id: object): void }
      const x5 = reshape({ inputs: { x }, backend, attrs: { shape: [n!, 1, h!, w!, c!] } }) as tf.TensorInfo
      const dy5 = reshape({ inputs: { x: dy }, backend, attrs: { shape: [n!, 1, oh!, ow!, o!] } }) as tf.TensorInfo
      const dw5 = filter3d({ inputs: { x: x5, dy: dy5 }, backend, attrs: { strides: [1, sh!, sw!], pad, filterShape: [1, ...filterShape] } }) as tf.TensorInfo
      const dw = reshape({ inputs: { x: dw5 }, backend, attrs: { shape: filterShape } }) as tf.TensorInfo
      for (const t of [x5, dy5, dw5]) wasmBackend.disposeData(t.dataId)
      return dw
    },
  })
  patched = true
}

let wasmReady = false

export async function useTf(backend: TfBackend): Promise<void> {
  if (backend === 'wasm' && !wasmReady) {
    await tf.setBackend('wasm')
    await tf.ready()
    patchWasmConvFilterGradient()
    wasmReady = true
  }
  if (tf.getBackend() !== backend) await tf.setBackend(backend)
  await tf.ready()
}

/** What the peer runs with: version, and whether tfjs-wasm found SIMD and threads. */
export async function tfInfo(): Promise<{ version: string; wasmSimd: boolean; wasmMultithread: boolean; wasmThreads: number }> {
  await useTf('wasm')
  return {
    version: tf.version_core,
    wasmSimd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    wasmMultithread: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
    wasmThreads: tfWasm.getThreadsCount(),
  }
}

function normal(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed)
}

/** Runs `fn` on the backend, reads the result back (dataSync) and frees everything it made. */
function workload(backend: TfBackend, fn: () => tf.Tensor, keep: tf.Tensor[]): Workload {
  return {
    run: async () => {
      await useTf(backend)
      tf.tidy(() => {
        fn().dataSync()
      })
    },
    dispose: () => keep.forEach((t) => t.dispose()),
  }
}

export async function matmul(backend: TfBackend, { n, k, m, transposeA = false, transposeB = false }: MatmulSpec): Promise<Workload> {
  await useTf(backend)
  const a = transposeA ? normal([k, n], 1) : normal([n, k], 1)
  const b = transposeB ? normal([m, k], 2) : normal([k, m], 2)
  return workload(backend, () => tf.matMul(a, b, transposeA, transposeB), [a, b])
}

/** tfjs's 'same' padding equals genkata's explicit padding for these geometries; checked here. */
function samePadding(spec: ConvSpec): 'same' {
  const out = Math.floor((spec.size + 2 * spec.padding - spec.kernel) / spec.stride) + 1
  const total = Math.max((Math.ceil(spec.size / spec.stride) - 1) * spec.stride + spec.kernel - spec.size, 0)
  if (out !== Math.ceil(spec.size / spec.stride) || total !== 2 * spec.padding) {
    throw new Error(`bench: padding ${spec.padding} with kernel ${spec.kernel}, stride ${spec.stride} on ${spec.size} is not tfjs's 'same'`)
  }
  return 'same'
}

export async function convolution(backend: TfBackend, spec: ConvSpec, pass: 'forward' | 'inputGrad' | 'weightGrad'): Promise<Workload> {
  await useTf(backend)
  const { batch, inChannels, outChannels, size, kernel, stride } = spec
  const pad = samePadding(spec)
  const out = Math.ceil(size / stride)
  const x = normal([batch, size, size, inChannels], 3) as tf.Tensor4D
  const w = normal([kernel, kernel, inChannels, outChannels], 4) as tf.Tensor4D
  const dy = normal([batch, out, out, outChannels], 5) as tf.Tensor4D
  const run = {
    forward: () => tf.conv2d(x, w, stride, pad),
    // Conv2DBackpropInput, what tf.conv2d's gradient with respect to x runs.
    inputGrad: () => tf.conv2dTranspose(dy, w, [batch, size, size, inChannels], stride, pad),
    // Conv2DBackpropFilter, what its gradient with respect to the filter runs (patched in on wasm).
    weightGrad: () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [stride, stride], pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: w.shape } as never) as tf.Tensor,
  }[pass]
  return workload(backend, run, [x, w, dy])
}

function uniform(shape: number[], fanIn: number, seed: number): tf.Variable {
  const bound = 1 / Math.sqrt(fanIn)
  return tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', seed))
}

/** The negative ELBO per image: BCE summed over pixels plus the Gaussian KL, averaged over the batch. */
function negativeElbo(p: tf.Tensor, x: tf.Tensor, mu: tf.Tensor, logvar: tf.Tensor): tf.Scalar {
  const batch = x.shape[0]!
  const q = tf.clipByValue(p, 1e-7, 1 - 1e-7)
  const bce = tf.neg(tf.sum(tf.add(tf.mul(x, tf.log(q)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, q))))))
  const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar))))
  return tf.div(tf.add(bce, kl), batch) as tf.Scalar
}

function reparameterize(mu: tf.Tensor, logvar: tf.Tensor): tf.Tensor {
  return tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logvar)), tf.randomNormal(mu.shape)))
}

const dense = (x: tf.Tensor, w: tf.Variable, b: tf.Variable) => tf.add(tf.matMul(x, w), b)

export async function vaeStep(backend: TfBackend, spec: VaeSpec): Promise<Workload> {
  await useTf(backend)
  const optimizer = tf.train.adam(1e-3)
  const { batch, latent } = spec
  let loss: () => tf.Scalar
  let x: tf.Tensor
  let variables: tf.Variable[]
  if (spec.kind === 'fc') {
    const hidden = spec.hidden
    x = tf.randomUniform([batch, 784], 0, 1, 'float32', 8)
    const [w1, b1] = [uniform([784, hidden], 784, 1), uniform([hidden], 784, 2)]
    const [wm, bm] = [uniform([hidden, latent], hidden, 3), uniform([latent], hidden, 4)]
    const [wl, bl] = [uniform([hidden, latent], hidden, 5), uniform([latent], hidden, 6)]
    const [w3, b3] = [uniform([latent, hidden], latent, 7), uniform([hidden], latent, 8)]
    const [w4, b4] = [uniform([hidden, 784], hidden, 9), uniform([784], hidden, 10)]
    variables = [w1, b1, wm, bm, wl, bl, w3, b3, w4, b4]
    loss = () => {
      const h = tf.relu(dense(x, w1, b1))
      const mu = dense(h, wm, bm)
      const logvar = dense(h, wl, bl)
      const p = tf.sigmoid(dense(tf.relu(dense(reparameterize(mu, logvar), w3, b3)), w4, b4))
      return negativeElbo(p, x, mu, logvar)
    }
  } else {
    const [c1, c2] = spec.channels
    const features = c2 * 7 * 7
    x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 8)
    const k1 = [uniform([4, 4, 1, c1], 16, 1), uniform([c1], 16, 2)] as const
    const k2 = [uniform([4, 4, c1, c2], 16 * c1, 3), uniform([c2], 16 * c1, 4)] as const
    const [wm, bm] = [uniform([features, latent], features, 5), uniform([latent], features, 6)]
    const [wl, bl] = [uniform([features, latent], features, 7), uniform([latent], features, 8)]
    const [wz, bz] = [uniform([latent, features], latent, 9), uniform([features], latent, 10)]
    // conv2dTranspose filters are [h, w, outChannels, inChannels].
    const d1 = [uniform([4, 4, c1, c2], 16 * c2, 11), uniform([c1], 16 * c2, 12)] as const
    const d2 = [uniform([4, 4, 1, c1], 16 * c1, 13), uniform([1], 16 * c1, 14)] as const
    variables = [...k1, ...k2, wm, bm, wl, bl, wz, bz, ...d1, ...d2]
    loss = () => {
      const h1 = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, k1[0] as tf.Tensor4D, 2, 'same'), k1[1]))
      const h2 = tf.relu(tf.add(tf.conv2d(h1 as tf.Tensor4D, k2[0] as tf.Tensor4D, 2, 'same'), k2[1]))
      const flat = tf.reshape(h2, [batch, features])
      const mu = dense(flat, wm, bm)
      const logvar = dense(flat, wl, bl)
      const g = tf.reshape(tf.relu(dense(reparameterize(mu, logvar), wz, bz)), [batch, 7, 7, c2]) as tf.Tensor4D
      const g1 = tf.relu(tf.add(tf.conv2dTranspose(g, d1[0] as tf.Tensor4D, [batch, 14, 14, c1], 2, 'same'), d1[1])) as tf.Tensor4D
      const p = tf.sigmoid(tf.add(tf.conv2dTranspose(g1, d2[0] as tf.Tensor4D, [batch, 28, 28, 1], 2, 'same'), d2[1]))
      return negativeElbo(p, x, mu, logvar)
    }
  }
  return {
    run: async () => {
      await useTf(backend)
      const cost = optimizer.minimize(loss, true, variables)!
      cost.dataSync()
      cost.dispose()
    },
    dispose: () => {
      optimizer.dispose()
      x.dispose()
      variables.forEach((v) => v.dispose())
    },
  }
}
