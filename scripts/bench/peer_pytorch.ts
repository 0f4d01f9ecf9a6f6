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

export type Probe = { ok: true; torch: string; blas: string } | { ok: false; reason: string }

// The BLAS torch's products actually run on: Debian's torch links the system libblas.so.3, which is
// the reference BLAS (about 20 times slower than OpenBLAS on a 512 product here) unless OpenBLAS is
// installed. Read from the process's own memory map after one product.
const PROBE = [
  'import torch',
  'torch.randn(64, 64) @ torch.randn(64, 64)',
  "blas = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower() and '.so' in l})",
  'print(torch.__version__)',
  "print(' '.join(blas) or 'unknown')",
].join('; ')

/** Whether torch runs on an optimised BLAS (OpenBLAS, MKL, BLIS), judged from the library's path. */
export function isOptimisedBlas(blas: string): boolean {
  return /openblas|mkl|blis|atlas/i.test(blas)
}

/** Whether `python` runs and imports torch; the reason, for the user, when it does not. */
export function probePytorch(python: string): Probe {
  const run = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 120_000 })
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT'
    return { ok: false, reason: missing ? `${python} was not found` : `${python} could not be run (${run.error.message})` }
  }
  if (run.status !== 0) {
    const last = run.stderr.trim().split('\n').pop() ?? ''
    return { ok: false, reason: `${python} cannot import torch (${last})` }
  }
  const [torch = '', blas = 'unknown'] = run.stdout.trim().split('\n')
  return { ok: true, torch: torch.trim(), blas: blas.trim() }
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
