// npx tsx scripts/profile_step.ts [fc|conv|dcgan] [--steps N] [--batch N] [--repeats N]
//
// Where one training step spends its time: CPU milliseconds (process.cpuUsage, so worker threads
// count too, and a loaded machine distorts less than wall time) in the forward pass, the backward
// pass and Adam, per step, after 5 warm-up steps. The figures are medians over --repeats rounds
// of --steps steps. The DCGAN's step is both players' steps: its forward is G(z) and both losses,
// its backward both backward passes, its Adam both updates. For a per-function breakdown run it
// under `node --import tsx --cpu-prof`. GENKATA_THREADS=1 gives the serial cost.
import { ConvVae, FcVae, type VaeModel } from '../src/models/index.ts'
import { Adam } from '../src/nn/index.ts'
import { Rng, rand, randn, getBackend, tidy, type Tensor } from '../src/index.ts'
import { createGanTraining, defaultGanRunConfig } from '../src/train/gan_trainer.ts'
import { discriminatorPass, generatorPass } from '#kata/models/gan_detach'

const argv = process.argv.slice(2)
const value = (name: string, fallback: number) => {
  const at = argv.indexOf(name)
  if (at < 0) return fallback
  const v = Number(argv[at + 1])
  if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${name} must be a positive integer, got ${argv[at + 1]}`)
  return v
}
const kind = argv[0] === undefined || argv[0].startsWith('--') ? 'fc' : argv[0]
if (kind !== 'fc' && kind !== 'conv' && kind !== 'dcgan') throw new Error(`profile_step: the model is fc, conv or dcgan, got '${kind}'`)
const steps = value('--steps', kind === 'fc' ? 40 : 10)
const batch = value('--batch', kind === 'dcgan' ? 64 : 128)
const repeats = value('--repeats', 3)

const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** One step in three phases, each returning when it is done. */
interface Phases {
  forward(): void
  backward(): void
  adam(): void
}

function vaePhases(): Phases {
  const rng = new Rng(7)
  const model: VaeModel = kind === 'fc' ? new FcVae({ latent: 20, hidden: 400, rng }) : new ConvVae({ latent: 32, channels: [32, 64], rng })
  const x = rand(kind === 'fc' ? [batch, 784] : [batch, 1, 28, 28], { seed: 8 })
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 })
  const noise = new Rng(9)
  let loss: Tensor | null = null
  return {
    forward: () => {
      optimizer.zeroGrad()
      const l = model.elbo(x, { rng: noise }).loss
      loss = l
      l.item()
    },
    backward: () => loss!.backward(),
    adam: () => optimizer.step(),
  }
}

function dcganPhases(): Phases {
  const config = { ...defaultGanRunConfig('dcgan'), batch }
  const { pair, optimizerG, optimizerD } = createGanTraining(config, { imageShape: [1, 28, 28], classes: null })
  const real = rand([batch, 1, 28, 28], { seed: 8 }).mul(2).sub(1)
  const rng = new Rng(9)
  const discriminate = (images: Parameters<typeof pair.discriminator.forward>[0]) => pair.discriminator.forward(images)
  let dLoss: Tensor | null = null
  let gLoss: Tensor | null = null
  let fake: Tensor | null = null
  return {
    forward: () => {
      optimizerD.zeroGrad()
      optimizerG.zeroGrad()
      fake = pair.generator.generate(randn([batch, pair.generator.noise], { rng }))
      dLoss = discriminatorPass(discriminate, real, fake).loss
      dLoss.item()
    },
    backward: () => {
      dLoss!.backward()
      // G's forward through D is timed as backward work here: it needs D's update first in the real
      // step; here D's update comes after, which changes no cost.
      const g = generatorPass(discriminate, fake!).loss
      gLoss = g
      g.item()
      optimizerD.zeroGrad()
      g.backward()
    },
    adam: () => {
      optimizerD.step()
      optimizerG.step()
    },
  }
}

const phases = kind === 'dcgan' ? dcganPhases() : vaePhases()
// Each step in tidy(), as the trainers run it: its tensors are freed when it ends.
for (let i = 0; i < 5; i++) {
  tidy(() => {
    phases.forward()
    phases.backward()
    phases.adam()
  })
}
const rounds: { forward: number; backward: number; adam: number }[] = []
for (let r = 0; r < repeats; r++) {
  const total = { forward: 0, backward: 0, adam: 0 }
  for (let i = 0; i < steps; i++) {
    tidy(() => {
      const t0 = cpuMs()
      phases.forward()
      const t1 = cpuMs()
      phases.backward()
      const t2 = cpuMs()
      phases.adam()
      const t3 = cpuMs()
      total.forward += (t1 - t0) / steps
      total.backward += (t2 - t1) / steps
      total.adam += (t3 - t2) / steps
    })
  }
  rounds.push(total)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
const m = (key: 'forward' | 'backward' | 'adam') => median(rounds.map((r) => r[key]))
const totals = rounds.map((r) => r.forward + r.backward + r.adam)
console.log(`${kind} step, batch ${batch}, backend ${getBackend().name}, threads ${process.env.GENKATA_THREADS ?? 'one per core'}: CPU ms per step, medians of ${repeats} rounds of ${steps} steps`)
console.log(`forward ${m('forward').toFixed(2)}  backward ${m('backward').toFixed(2)}  adam ${m('adam').toFixed(2)}  total ${median(totals).toFixed(2)}  (rounds: ${totals.map((t) => t.toFixed(1)).join(', ')})`)
