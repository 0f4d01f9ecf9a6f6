// npx tsx scripts/profile_step.ts [fc|conv] [--steps N] [--batch N]
//
// Where one VAE training step spends its time: CPU milliseconds (process.cpuUsage, so worker
// threads count too, and a loaded machine distorts less than wall time) in the forward pass, the
// backward pass and Adam, averaged over N steps after 5 warm-up steps. For a per-function
// breakdown run it under `node --import tsx --cpu-prof`. GENKATA_THREADS=1 gives the serial cost.
import { ConvVae, FcVae, type VaeModel } from '../src/models/index.ts'
import { Adam } from '../src/nn/optim/index.ts'
import { Rng, rand, getBackend } from '../src/index.ts'

const argv = process.argv.slice(2)
const value = (name: string, fallback: number) => {
  const at = argv.indexOf(name)
  if (at < 0) return fallback
  const v = Number(argv[at + 1])
  if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${name} must be a positive integer, got ${argv[at + 1]}`)
  return v
}
const kind = argv[0] === undefined || argv[0].startsWith('--') ? 'fc' : argv[0]
if (kind !== 'fc' && kind !== 'conv') throw new Error(`profile_step: the model is fc or conv, got '${kind}'`)
const steps = value('--steps', 40)
const batch = value('--batch', 128)

const rng = new Rng(7)
const model: VaeModel = kind === 'fc' ? new FcVae({ latent: 20, hidden: 400, rng }) : new ConvVae({ latent: 32, channels: [32, 64], rng })
const x = rand(kind === 'fc' ? [batch, 784] : [batch, 1, 28, 28], { seed: 8 })
const optimizer = new Adam(model.parameters(), { lr: 1e-3 })
const noise = new Rng(9)
const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
const total = { forward: 0, backward: 0, adam: 0 }
for (let i = 0; i < steps + 5; i++) {
  const t0 = cpuMs()
  optimizer.zeroGrad()
  const { loss } = model.elbo(x, { rng: noise })
  const t1 = cpuMs()
  loss.backward()
  const t2 = cpuMs()
  optimizer.step()
  const t3 = cpuMs()
  if (i < 5) continue
  total.forward += t1 - t0
  total.backward += t2 - t1
  total.adam += t3 - t2
}
const per = (ms: number) => (ms / steps).toFixed(2)
console.log(`${kind} VAE step, batch ${batch}, backend ${getBackend().name}, threads ${process.env.GENKATA_THREADS ?? 'one per core'}: CPU ms per step over ${steps} steps`)
console.log(`forward ${per(total.forward)}  backward ${per(total.backward)}  adam ${per(total.adam)}  total ${per(total.forward + total.backward + total.adam)}`)
