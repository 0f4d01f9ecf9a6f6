// genkata's side of `npm run bench:peers`: trains one workload as PyTorch's side does
// (scripts/peers/bench_peers.py): the same models, batch, optimizer, data order (a fresh
// permutation each epoch) and loss read every step. Only the training loop is timed. Each step runs
// in tidy(), as the trainers run it (epoch_runner.ts): its tensors are freed when it ends.
import { Rng, tidy, type Tensor } from '../../src/index.ts'
import { imageBatch } from '../../src/data/batches.ts'
import type { ImageDataset } from '../../src/data/datasets.ts'
import { ConvVae, FcVae, type VaeModel } from '../../src/models/index.ts'
import { Adam } from '../../src/nn/index.ts'
import { createGanTraining, defaultGanRunConfig, ganTrainingStep } from '../../src/train/gan_trainer.ts'
import { toGanPixels } from '../../src/models/gan.ts'

export type PeerWorkload = 'fc' | 'conv' | 'dcgan'

export interface TrainTiming {
  seconds: number
  /** CPU seconds of the process over the loop (every thread), for the record. */
  cpuSeconds: number
  steps: number
  images: number
}

/** steps 0: one epoch (the VAEs); the DCGAN needs a positive count. */
export function trainGenkata(workload: PeerWorkload, data: ImageDataset, options: { batch: number; steps: number }): TrainTiming {
  const { batch, steps } = options
  if (workload === 'dcgan') return dcgan(data, batch, steps)
  const rng = new Rng(1)
  const model: VaeModel = workload === 'fc' ? new FcVae({ latent: 20, hidden: 400, rng }) : new ConvVae({ latent: 32, channels: [32, 64], rng })
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 })
  const order = rng.permutation(data.count)
  const batches = Math.ceil(data.count / batch)
  const count = steps > 0 ? Math.min(steps, batches) : batches
  const shape = workload === 'fc' ? [-1, 784] : [-1, 1, 28, 28]
  return timed(() => {
    let images = 0
    for (let s = 0; s < count; s++) {
      images += tidy(() => {
        const x = imageBatch(data, order.subarray(s * batch, Math.min(data.count, (s + 1) * batch))).reshape(shape)
        const { loss } = model.elbo(x, { rng })
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        loss.item()
        return x.shape[0]!
      })
    }
    return { steps: count, images }
  })
}

function dcgan(data: ImageDataset, batch: number, steps: number): TrainTiming {
  if (!(steps > 0)) throw new RangeError(`bench:peers: the dcgan workload needs a positive step count, got ${steps}`)
  const config = { ...defaultGanRunConfig('dcgan'), batch }
  const parts = createGanTraining(config, { imageShape: [1, data.rows, data.cols], classes: null })
  const rng = new Rng(2)
  return timed(() => {
    let done = 0
    let images = 0
    while (done < steps) {
      const order = rng.permutation(data.count)
      for (let start = 0; start < data.count && done < steps; start += batch, done++) {
        const indices = order.subarray(start, Math.min(data.count, start + batch))
        tidy(() => {
          const real: Tensor = toGanPixels(imageBatch(data, indices).reshape([indices.length, 1, data.rows, data.cols]))
          ganTrainingStep(parts, real, undefined, rng, config)
        })
        images += indices.length
      }
    }
    return { steps: done, images }
  })
}

function timed(loop: () => { steps: number; images: number }): TrainTiming {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const { steps, images } = loop()
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, steps, images }
}
