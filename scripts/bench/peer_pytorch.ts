// PyTorch's side of `npm run bench:peers`: runs scripts/peers/bench_peers.py in a child process
// under each of PyTorch's two good thread settings on 2 cores, and keeps the faster. With both
// OpenMP and OpenBLAS threading, the defaults oversubscribe the cores and run about 3x slower
// (see the guide's "Speed" section), so neither is left to chance.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { PeerWorkload, TrainTiming } from './peer_genkata.ts'

const SCRIPT = fileURLToPath(new URL('../peers/bench_peers.py', import.meta.url))

export interface ThreadSetting {
  name: string
  torchThreads: number
  env: Record<string, string>
}

export const THREAD_SETTINGS: readonly ThreadSetting[] = [
  { name: 'torch 2 threads, OPENBLAS_NUM_THREADS=1', torchThreads: 2, env: { OPENBLAS_NUM_THREADS: '1' } },
  { name: 'torch 1 thread, OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=1', torchThreads: 1, env: { OPENBLAS_NUM_THREADS: '2', OMP_NUM_THREADS: '1' } },
]

export type Probe = { ok: true; torch: string } | { ok: false; reason: string }

/** Whether `python` runs and imports torch; the reason, for the user, when it does not. */
export function probePytorch(python: string): Probe {
  const run = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 })
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT'
    return { ok: false, reason: missing ? `${python} was not found` : `${python} could not be run (${run.error.message})` }
  }
  if (run.status !== 0) {
    const last = run.stderr.trim().split('\n').pop() ?? ''
    return { ok: false, reason: `${python} cannot import torch (${last})` }
  }
  return { ok: true, torch: run.stdout.trim() }
}

export interface PytorchRun extends Omit<TrainTiming, 'cpuSeconds'> {
  setting: string
  torch: string
}

export interface PytorchResult {
  /** The faster setting's run. */
  best: PytorchRun
  runs: PytorchRun[]
}

export function trainPytorch(python: string, workload: PeerWorkload, options: { images: string; batch: number; steps: number }, log: (line: string) => void): PytorchResult {
  const runs: PytorchRun[] = []
  for (const setting of THREAD_SETTINGS) {
    const args = [SCRIPT, '--workload', workload, '--images', options.images, '--batch', String(options.batch), '--steps', String(options.steps), '--threads', String(setting.torchThreads)]
    const run = spawnSync(python, args, { encoding: 'utf8', env: { ...process.env, ...setting.env }, maxBuffer: 1 << 24 })
    if (run.error || run.status !== 0) {
      throw new Error(`bench:peers: PyTorch's ${workload} run (${setting.name}) failed: ${run.error?.message ?? run.stderr.trim().split('\n').slice(-3).join(' | ')}`)
    }
    const line = run.stdout.trim().split('\n').pop() ?? ''
    const parsed = JSON.parse(line) as { seconds: number; steps: number; images: number; torch: string }
    runs.push({ setting: setting.name, seconds: parsed.seconds, steps: parsed.steps, images: parsed.images, torch: parsed.torch })
    log(`  pytorch (${setting.name}): ${parsed.seconds.toFixed(2)} s`)
  }
  const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a))
  return { best, runs }
}
