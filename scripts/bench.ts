// npm run bench [-- --quick | --tiny] [--out FILE] [--only REGEX] [--gpujs none|all|NAME,...]
//
// genkata's backends against TensorFlow.js (tfjs-backend-wasm and tfjs-backend-cpu), side by side
// in one process: matrix products, convolutions (forward, input and weight gradients) and full
// training steps of the FC and conv VAEs. Prints a table of medians and ratios and writes it all,
// with the machine, to runs/bench/results.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { availableBackends } from '../src/index.ts'
import { formatTable, runBench, type BenchOptions } from './bench/harness.ts'
import { rows, type Scale } from './bench/rows.ts'

function parseArgs(argv: readonly string[]): BenchOptions & { out: string } {
  const flag = (name: string) => argv.includes(name)
  const value = (name: string) => {
    const at = argv.indexOf(name)
    return at >= 0 ? argv[at + 1] : undefined
  }
  const scale: Scale = flag('--tiny') ? 'tiny' : flag('--quick') ? 'quick' : 'full'
  const gpujsArg = value('--gpujs') ?? (scale === 'full' ? 'all' : 'none')
  const registered = availableBackends().filter((b) => b.startsWith('gpu.js-'))
  // gpu.js's own pure-JS mode takes minutes at these sizes: 'all' means its compiled modes.
  const gpujs = gpujsArg === 'none' ? [] : gpujsArg === 'all' ? registered.filter((b) => b !== 'gpu.js-cpu') : gpujsArg.split(',')
  const unknown = gpujs.filter((b) => !registered.includes(b))
  if (unknown.length) throw new Error(`--gpujs: unknown backend(s) ${unknown.join(', ')}; registered: ${registered.join(', ') || 'none'}`)
  const only = value('--only')
  const settings = {
    full: { warmup: 2, minRepeats: 5, maxRepeats: 30, budgetMs: 3000, slowMs: 10_000 },
    quick: { warmup: 1, minRepeats: 3, maxRepeats: 10, budgetMs: 500, slowMs: 2_000 },
    tiny: { warmup: 1, minRepeats: 2, maxRepeats: 2, budgetMs: 50, slowMs: 10_000 },
  }[scale]
  return {
    scale,
    ...settings,
    gpujs,
    ...(only ? { filter: new RegExp(only) } : {}),
    out: resolve(value('--out') ?? 'runs/bench/results.json'),
  }
}

const options = parseArgs(process.argv.slice(2))
console.log(`genkata bench (${options.scale}): medians in ms (repeats), warm-up runs excluded; ratio < 1 means genkata is faster`)
const result = await runBench(rows(options.scale), { ...options, log: (line) => console.error(line) })
console.log(`machine: ${result.machine.cpu}, ${result.machine.cores} cores, node ${result.machine.node}`)
console.log(`genkata cpu threads: ${JSON.stringify(result.machine.genkataCpuThreads)}; tfjs: ${JSON.stringify(result.machine.tfjs)}`)
console.log(`load average before/after: ${JSON.stringify(result.machine.loadAverage)} / ${JSON.stringify(result.machine.loadAverageAfter)}`)
console.log(formatTable(result))
mkdirSync(dirname(options.out), { recursive: true })
writeFileSync(options.out, JSON.stringify(result, null, 2) + '\n')
console.log(`results written to ${options.out}`)
