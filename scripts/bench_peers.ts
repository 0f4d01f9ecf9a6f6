// npm run bench:peers [-- --quick] [--only fc,conv,dcgan] [--python PATH] [--out FILE]
//
// genkata against PyTorch on the course projects' training workloads, one after the other:
//   fc     FC VAE 784-400-20, one epoch of Fashion-MNIST, batch 128
//   conv   ConvVAE latent 32, one epoch, batch 128
//   dcgan  DCGAN, 100 steps of batch 64
// genkata runs on its cpu backend with its default threads; PyTorch (/usr/bin/python3 with
// python3-torch) under its two good thread settings, keeping the faster. Prints per workload the
// training seconds, images/s, GFLOP/s achieved (FLOPs counted in scripts/bench/flops.ts), the
// percentage of WebAssembly's limit, and genkata / PyTorch; writes runs/bench/peers.json.
// Without torch it says so and still runs genkata's side. --quick: a few steps of each on the
// embedded sample, in seconds, to check the machinery (its figures mean nothing).
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, resolve } from 'node:path'
import { getBackend } from '../src/index.ts'
import { describeCpu, waitForWorkers } from '../src/backend/cpu/index.ts'
import { findDataset, loadDatasetAt } from '../src/data/datasets.ts'
import { SAMPLE_DIR } from '../src/data/sample.ts'
import { FLOPS_PER_IMAGE, WASM_LIMIT_GFLOPS } from './bench/flops.ts'
import { trainGenkata, type PeerWorkload, type TrainTiming } from './bench/peer_genkata.ts'
import { isOptimisedBlas, probePytorch, trainPytorch, type PytorchResult } from './bench/peer_pytorch.ts'

const WORKLOADS: Record<PeerWorkload, { label: string; full: { batch: number; steps: number }; quick: { batch: number; steps: number } }> = {
  fc: { label: 'FC VAE 784-400-20, 1 epoch, batch 128', full: { batch: 128, steps: 0 }, quick: { batch: 128, steps: 3 } },
  conv: { label: 'ConvVAE latent 32, 1 epoch, batch 128', full: { batch: 128, steps: 0 }, quick: { batch: 32, steps: 2 } },
  dcgan: { label: 'DCGAN, 100 steps of batch 64', full: { batch: 64, steps: 100 }, quick: { batch: 16, steps: 2 } },
}
/** Above this 1-minute load average the machine is not quiet and the figures say nothing. */
export const QUIET_LOAD = 0.5

interface Options {
  quick: boolean
  only: PeerWorkload[]
  python: string
  out: string
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string) => {
    const at = argv.indexOf(name)
    if (at < 0) return undefined
    const v = argv[at + 1]
    if (v === undefined || v.startsWith('--')) throw new Error(`bench:peers: ${name} needs a value`)
    return v
  }
  const known = new Set(['--quick', '--only', '--python', '--out'])
  argv.forEach((a, i) => {
    if (a.startsWith('--') && !known.has(a)) throw new Error(`bench:peers: unknown option ${a}; options: ${[...known].join(', ')}`)
    if (!a.startsWith('--') && !(i > 0 && ['--only', '--python', '--out'].includes(argv[i - 1]!))) throw new Error(`bench:peers: unexpected argument '${a}'`)
  })
  const only = (value('--only') ?? 'fc,conv,dcgan').split(',')
  const bad = only.filter((w) => !(w in WORKLOADS))
  if (bad.length) throw new Error(`bench:peers: --only: unknown workload(s) ${bad.join(', ')}; choose from fc, conv, dcgan`)
  return { quick: argv.includes('--quick'), only: only as PeerWorkload[], python: value('--python') ?? '/usr/bin/python3', out: resolve(value('--out') ?? 'runs/bench/peers.json') }
}

interface Side {
  seconds: number
  imagesPerSecond: number
  gflops: number
  percentOfWasmLimit: number
  steps: number
  images: number
}

function side(workload: PeerWorkload, t: Pick<TrainTiming, 'seconds' | 'steps' | 'images'>): Side {
  const gflops = (FLOPS_PER_IMAGE[workload] * t.images) / t.seconds / 1e9
  return { seconds: t.seconds, imagesPerSecond: t.images / t.seconds, gflops, percentOfWasmLimit: (100 * gflops) / WASM_LIMIT_GFLOPS, steps: t.steps, images: t.images }
}

const options = parseArgs(process.argv.slice(2))
const log = (line: string) => console.error(line)
const loadBefore = loadavg()
const loud = loadBefore[0]! > QUIET_LOAD
const warning = `WARNING: the 1-minute load average was ${loadBefore[0]!.toFixed(2)} (above ${QUIET_LOAD}) before the run: other processes share the cores, so these figures say nothing about speed. PyTorch in particular slows down 3 to 20 times under load. Rerun on a quiet machine.`
if (loud) console.log(`\n!!!!! ${warning} !!!!!\n`)

const threads = await waitForWorkers()
const cpu = describeCpu()
console.log(`genkata bench:peers (${options.quick ? 'quick: a few steps on the embedded sample, figures mean nothing' : 'full'}): backend ${getBackend().name}, ${cpu}`)
const location = options.quick
  ? findDataset({ name: 'fashion-mnist', split: 'train', dataDir: SAMPLE_DIR })
  : findDataset({ name: 'fashion-mnist', split: 'train' })
const data = loadDatasetAt(location, options.quick)
const probe = probePytorch(options.python)
if (!probe.ok) {
  console.log(`PyTorch peer skipped: ${probe.reason}. Install Debian's python3-torch (apt-get install python3-torch) or pass --python PATH to a python with torch; genkata's side runs alone.`)
} else {
  console.log(`PyTorch ${probe.torch} (${options.python}), BLAS ${probe.blas}, thread settings tried: both, the faster kept`)
  if (!isOptimisedBlas(probe.blas)) {
    console.log(`\n!!!!! WARNING: PyTorch's products run on ${probe.blas}, not OpenBLAS: Debian's reference BLAS is about 20 times slower, so the ratios would flatter genkata. Install OpenBLAS (apt-get install libopenblas0-pthread) and rerun. !!!!!\n`)
  }
}

const rows: Record<string, unknown>[] = []
for (const workload of options.only) {
  const spec = WORKLOADS[workload]
  const { batch, steps } = options.quick ? spec.quick : spec.full
  log(`${spec.label}${options.quick ? ` (quick: batch ${batch}, ${steps} steps)` : ''} ...`)
  const g = trainGenkata(workload, data, { batch, steps })
  log(`  genkata: ${g.seconds.toFixed(2)} s`)
  let peer: PytorchResult | null = null
  if (probe.ok) peer = trainPytorch(options.python, workload, { images: location.images, batch, steps }, log)
  const genkata = side(workload, g)
  const pytorch = peer ? { ...side(workload, peer.best), setting: peer.best.setting, runs: peer.runs } : null
  const label = options.quick ? `${spec.label.split(',')[0]}, ${steps} steps of batch ${batch} (quick)` : spec.label
  rows.push({
    workload, label, batch, flopsPerImage: FLOPS_PER_IMAGE[workload],
    genkata: { ...genkata, cpuSeconds: g.cpuSeconds },
    pytorch,
    ratio: pytorch ? genkata.seconds / pytorch.seconds : null,
  })
}

const fmt = (x: number, digits = 1) => x.toFixed(digits)
const header = ['workload', 'genkata s', 'images/s', 'GFLOP/s', '% wasm limit', 'pytorch s', 'images/s', 'GFLOP/s', 'genkata/pytorch']
const lines = rows.map((r) => {
  const g = r.genkata as Side
  const p = r.pytorch as (Side & { setting: string }) | null
  return [
    r.label as string, fmt(g.seconds, 2), fmt(g.imagesPerSecond, 0), fmt(g.gflops), fmt(g.percentOfWasmLimit),
    p ? fmt(p.seconds, 2) : '-', p ? fmt(p.imagesPerSecond, 0) : '-', p ? fmt(p.gflops) : '-', r.ratio === null ? '-' : `${fmt(r.ratio as number, 2)}x`,
  ]
})
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
const print = (l: string[]) => console.log(l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
print(header)
print(widths.map((w) => '-'.repeat(w)))
lines.forEach(print)
for (const r of rows) {
  const p = r.pytorch as { setting: string } | null
  if (p) console.log(`pytorch's faster setting for ${r.workload}: ${p.setting}`)
}
console.log(`GFLOP/s: matrix products and convolutions, forward + backward, counted once per step (scripts/bench/flops.ts); WebAssembly's limit: ${WASM_LIMIT_GFLOPS} GFLOP/s (2 cores x 2.6 GHz x 16 FLOP/cycle)`)
const loadAfter = loadavg()
console.log(`load average before/after: ${loadBefore.map((x) => x.toFixed(2)).join(' ')} / ${loadAfter.map((x) => x.toFixed(2)).join(' ')}`)
if (loud) console.log(`\n!!!!! ${warning} !!!!!\n`)

const result = {
  date: new Date().toISOString(),
  quick: options.quick,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadAverage: loadBefore, loadAverageAfter: loadAfter,
    loadWarning: loud, genkataCpu: cpu, genkataCpuThreads: threads,
  },
  data: { images: location.images, count: data.count, sample: options.quick },
  wasmLimitGflops: WASM_LIMIT_GFLOPS,
  pytorch: probe.ok ? { python: options.python, version: probe.torch, blas: probe.blas } : { python: options.python, skipped: probe.reason },
  rows,
}
mkdirSync(dirname(options.out), { recursive: true })
writeFileSync(options.out, JSON.stringify(result, null, 2) + '\n')
console.log(`results written to ${options.out}`)
