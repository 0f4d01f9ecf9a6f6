// genkata's side of each benchmark row, on a named backend. The VAE rows train genkata's own models
// (src/models: FcVae, ConvVae) with its Adam, exactly as `npm start` would. Each run is one tidy()
// (as tfjs_side.ts runs tf.tidy and the trainers run each step): what it makes is freed at its end.
import { Rng, getBackend, rand, randn, setBackend, tidy, type Tensor } from '../../src/index.ts'
import * as compute from '../../src/tensor/raw/ops.ts'
import * as conv from '../../src/tensor/raw/conv.ts'
import { convGeometry } from '../../src/tensor/conv_geometry.ts'
import { FcVae, ConvVae, type VaeModel } from '../../src/models/index.ts'
import { Adam } from '../../src/nn/index.ts'
import type { ConvSpec, MatmulSpec, VaeSpec, Workload } from './rows.ts'

function use(backend: string): void {
  if (getBackend().name !== backend) setBackend(backend)
}

function normal(shape: number[], seed: number): Tensor {
  return randn(shape, { seed })
}

/** A stored [rows, cols] matrix, read transposed when asked (a view: swapped strides, no copy). */
function operand(rows: number, cols: number, transposed: boolean, seed: number): Tensor {
  return transposed ? normal([cols, rows], seed).transpose() : normal([rows, cols], seed)
}

export function matmul(backend: string, { n, k, m, transposeA = false, transposeB = false }: MatmulSpec): Workload {
  use(backend)
  const a = operand(n, k, transposeA, 1)
  const b = operand(k, m, transposeB, 2)
  return { run: () => (use(backend), tidy(() => void compute.matmul(a, b))) }
}

export function convolution(backend: string, spec: ConvSpec, pass: 'forward' | 'inputGrad' | 'weightGrad'): Workload {
  use(backend)
  const { batch, inChannels, outChannels, size, kernel, stride, padding } = spec
  const x = normal([batch, inChannels, size, size], 3)
  const w = normal([outChannels, inChannels, kernel, kernel], 4)
  const g = convGeometry('bench', x.shape, w.shape, { stride, padding })
  const gy = normal([batch, outChannels, g.outH, g.outW], 5)
  const run = {
    forward: () => conv.conv2d(x, w, g),
    inputGrad: () => conv.conv2dInputGrad(gy, w, g),
    weightGrad: () => conv.conv2dWeightGrad(x, gy, g),
  }[pass]
  return { run: () => (use(backend), tidy(() => void run())) }
}

/** One training step (forward, backward, Adam) of a VAE on a fixed batch of pixels in [0, 1). */
export function vaeStep(backend: string, spec: VaeSpec): Workload {
  use(backend)
  const rng = new Rng(7)
  const model: VaeModel = spec.kind === 'fc'
    ? new FcVae({ latent: spec.latent, hidden: spec.hidden, rng })
    : new ConvVae({ latent: spec.latent, channels: spec.channels, rng })
  const x = rand(spec.kind === 'fc' ? [spec.batch, 784] : [spec.batch, 1, 28, 28], { seed: 8 })
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 })
  const noise = new Rng(9)
  return {
    run: () => {
      use(backend)
      tidy(() => {
        optimizer.zeroGrad()
        const { loss } = model.elbo(x, { rng: noise })
        loss.backward()
        optimizer.step()
      })
    },
  }
}
