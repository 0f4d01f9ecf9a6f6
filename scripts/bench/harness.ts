// Timing, side by side: every side of a row is built, warmed up (runs not counted), then timed in
// interleaved rounds (cpu, tfjs-wasm, tfjs-cpu, cpu, ...) so that load from other processes on a
// shared machine falls on all sides alike. Medians per side; ratios genkata / peer per row.
import { cpus, loadavg, availableParallelism, platform } from 'node:os'
import { availableBackends } from '../../src/index.ts'
import { threadInfo, waitForWorkers } from '../../src/backend/cpu/index.ts'
import type { Row, Scale, Workload } from './rows.ts'
import { tfInfo } from './tfjs_side.ts'

export interface BenchOptions {
  scale: Scale
  warmup: number
  minRepeats: number
  maxRepeats: number
  /** Time to spend timing each side of a row (the repeat count adapts between min and max). */
  budgetMs: number
  /** A side whose warm-up run takes longer than this is timed once more only (tfjs-cpu's conv gradients take tens of seconds). */
  slowMs: number
  /** gpu.js backends to include on the matmul rows (registered names starting with 'gpu.js-'). */
  gpujs: string[]
  /** Run only rows whose id matches. */
  filter?: RegExp
  log?: (line: string) => void
}

export interface SideResult {
  medianMs: number | null
  repeats: number
  timesMs: number[]
  error?: string
}

export interface RowResult {
  id: string
  label: string
  group: string
  sides: Record<string, SideResult>
  /** genkata side / peer side, per pair (e.g. 'cpu/tfjs-wasm'). */
  ratios: Record<string, number | null>
  target?: { ratio: string; max: number; value: number | null; met: boolean | null }
}

export interface BenchResult {
  date: string
  machine: Record<string, unknown>
  options: Omit<BenchOptions, 'log' | 'filter'> & { filter?: string }
  rows: RowResult[]
}

export const PEERS = ['tfjs-wasm', 'tfjs-cpu'] as const

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function sidesFor(row: Row, options: BenchOptions): string[] {
  return [
    'cpu',
    ...(row.reference === false ? [] : ['reference']),
    ...(row.gpujs ? options.gpujs : []),
    ...PEERS,
  ]
}

function build(row: Row, side: string): Workload | Promise<Workload> {
  if (side === 'tfjs-wasm') return row.tfjs('wasm')
  if (side === 'tfjs-cpu') return row.tfjs('cpu')
  return row.genkata(side)
}

async function timeOnce(w: Workload): Promise<number> {
  const start = performance.now()
  await w.run()
  return performance.now() - start
}

export async function machineInfo(): Promise<Record<string, unknown>> {
  const list = cpus()
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    availableParallelism: availableParallelism(),
    platform: platform(),
    node: process.version,
    v8: process.versions.v8,
    loadAverage: loadavg(),
    genkataCpuThreads: threadInfo(),
    tfjs: await tfInfo(),
    gpujsBackends: availableBackends().filter((b) => b.startsWith('gpu.js-')),
  }
}

export async function runBench(rowList: readonly Row[], options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => {})
  const machine = await machineInfo()
  machine.genkataCpuThreads = await waitForWorkers()
  const results: RowResult[] = []
  for (const row of rowList.filter((r) => !options.filter || options.filter.test(r.id))) {
    log(`${row.label} ...`)
    const sides = sidesFor(row, options)
    const workloads = new Map<string, Workload>()
    const sideResults: Record<string, SideResult> = {}
    const targets = new Map<string, number>()
    for (const side of sides) {
      try {
        const w = await build(row, side)
        workloads.set(side, w)
        // Warm-up (JIT, wasm tier-up, allocations); the first run also sizes the repeat count.
        let first = Infinity
        for (let i = 0; i < options.warmup; i++) {
          const t = await timeOnce(w)
          first = Math.min(first, t)
          if (t > options.budgetMs) break
        }
        const repeats = first > options.slowMs ? 1 : Math.max(options.minRepeats, Math.min(options.maxRepeats, Math.floor(options.budgetMs / Math.max(first, 1e-3))))
        targets.set(side, repeats)
        sideResults[side] = { medianMs: null, repeats: 0, timesMs: [] }
      } catch (error) {
        sideResults[side] = { medianMs: null, repeats: 0, timesMs: [], error: (error as Error).message.split('\n')[0]! }
      }
    }
    // Interleaved rounds, rotating the order.
    const live = () => [...targets.entries()].filter(([side, n]) => !sideResults[side]!.error && sideResults[side]!.timesMs.length < n)
    for (let round = 0; live().length > 0; round++) {
      const order = live().map(([side]) => side)
      for (let i = 0; i < order.length; i++) {
        const side = order[(i + round) % order.length]!
        try {
          sideResults[side]!.timesMs.push(await timeOnce(workloads.get(side)!))
        } catch (error) {
          sideResults[side]!.error = (error as Error).message.split('\n')[0]!
        }
      }
    }
    for (const w of workloads.values()) w.dispose?.()
    for (const r of Object.values(sideResults)) {
      r.repeats = r.timesMs.length
      r.medianMs = r.error ? null : median(r.timesMs)
    }
    const ratios: Record<string, number | null> = {}
    for (const side of sides.filter((s) => !PEERS.includes(s as (typeof PEERS)[number]))) {
      for (const peer of PEERS) {
        const a = sideResults[side]?.medianMs
        const b = sideResults[peer]?.medianMs
        ratios[`${side}/${peer}`] = a != null && b != null ? a / b : null
      }
    }
    const result: RowResult = { id: row.id, label: row.label, group: row.group, sides: sideResults, ratios }
    if (row.target !== undefined) {
      const value = ratios['cpu/tfjs-wasm'] ?? null
      result.target = { ratio: 'cpu/tfjs-wasm', max: row.target, value, met: value === null ? null : value <= row.target }
    }
    results.push(result)
  }
  machine.loadAverageAfter = loadavg()
  const { log: _log, filter, ...rest } = options
  return { date: new Date().toISOString(), machine, options: { ...rest, ...(filter ? { filter: filter.source } : {}) }, rows: results }
}

function cell(r: SideResult | undefined): string {
  if (!r) return '-'
  if (r.error) return 'error'
  return r.medianMs === null ? '-' : `${r.medianMs < 10 ? r.medianMs.toFixed(2) : r.medianMs.toFixed(1)} (${r.repeats})`
}

/** The table: median ms (repeats) per side, then the ratios genkata cpu / peer. */
export function formatTable(result: BenchResult): string {
  const sides = [...new Set(result.rows.flatMap((r) => Object.keys(r.sides)))]
  const header = ['row', ...sides.map((s) => `${s} ms`), 'cpu/tfjs-wasm', 'cpu/tfjs-cpu', 'target']
  const lines = result.rows.map((r) => [
    r.label,
    ...sides.map((s) => cell(r.sides[s])),
    ratio(r.ratios['cpu/tfjs-wasm']),
    ratio(r.ratios['cpu/tfjs-cpu']),
    r.target ? `<= ${r.target.max}: ${r.target.met === null ? '?' : r.target.met ? 'met' : 'NOT met'}` : '',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const fmt = (l: string[]) => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  // Each distinct error once, with the rows it hit.
  const byError = new Map<string, string[]>()
  for (const r of result.rows) {
    for (const [side, s] of Object.entries(r.sides)) if (s.error) byError.set(`${side}: ${s.error}`, [...(byError.get(`${side}: ${s.error}`) ?? []), r.id])
  }
  const errors = [...byError].map(([error, ids]) => `  ${error} (rows: ${ids.join(', ')})`)
  return [fmt(header), fmt(header.map((_, i) => '-'.repeat(widths[i]!))), ...lines.map(fmt), ...(errors.length ? ['errors:', ...errors] : [])].join('\n')
}

function ratio(x: number | null | undefined): string {
  return x == null ? '-' : x.toFixed(3)
}
