// The cpu backend's threads: the main thread plus (cores - 1) workers over the shared memory.
//
// Workers start on the first job big enough to want them and join jobs once they are ready; until
// then, or when they are busy elsewhere, the main thread does the work alone. The main thread
// always works on a job too and then waits (Atomics.wait) for the workers that took part. Workers
// are unref'd: they never keep Node alive. A failure in a worker is rethrown on the main thread;
// a worker that stops answering is reported as an error, not waited for forever.
import { Worker } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import type { KernelName } from './wasm.ts'
import { getRuntime, kernelNames } from './wasm.ts'
import {
  ARGS, ARG_COUNT, BEAT, CONTROL_INTS, DEAD, FAILED, GRAIN, IDLE, ITEMS, KERNEL, MAX_ARGS, NEXT, POSTED, RANGE_ARG, READY,
  SEQ, SLOTS, SLOT_SIZE, STARTING, STATE, TOTAL, TURN, failureMessage, runItems,
} from './jobs.ts'

interface Helper {
  worker: Worker
  slot: number
  /** Why it stopped, when it did. */
  error: string | null
}

let helpers: Helper[] = []
let wanted = parseThreads(process.env.GENKATA_THREADS)
/** A worker silent for this long during a job is declared lost. */
let stallMs = 30_000

/** GENKATA_THREADS (a positive integer), or one thread per core when it is unset or empty. */
export function parseThreads(value: string | undefined): number {
  if (value === undefined || value === '') return Math.max(1, availableParallelism())
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`GENKATA_THREADS must be a positive integer, got '${value}'`)
  return n
}

function control(): Int32Array {
  return new Int32Array(getRuntime().memory.buffer, 0, CONTROL_INTS)
}

/**
 * Threads used by parallel jobs (the main thread included), the worker threads among them
 * (threads - 1), how many of those are ready, and why any failed. Two threads at full strength
 * read { threads: 2, workers: 1, ready: 1 }.
 */
export function threadInfo(): { threads: number; workers: number; ready: number; failed: string[] } {
  const ctl = control()
  return {
    threads: wanted,
    workers: Math.max(0, wanted - 1),
    ready: helpers.filter((h) => Atomics.load(ctl, h.slot + STATE) === READY).length,
    failed: helpers.flatMap((h) => (h.error ? [h.error] : [])),
  }
}

/** Use `threads` threads from now on (1: the main thread only). Running workers are stopped. */
export async function setThreads(threads: number): Promise<void> {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`setThreads: expected a positive integer, got ${threads}`)
  await stopWorkers()
  wanted = threads
}

export async function stopWorkers(): Promise<void> {
  const stopping = helpers
  helpers = []
  await Promise.all(stopping.map((h) => h.worker.terminate()))
}

/** Start the workers and resolve once they are all ready (or gone), or after `timeoutMs`. */
export async function waitForWorkers(timeoutMs = 10_000): Promise<ReturnType<typeof threadInfo>> {
  startWorkers()
  const ctl = control()
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && helpers.some((h) => Atomics.load(ctl, h.slot + STATE) === STARTING)) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return threadInfo()
}

/** Start the workers (in the background) if they are not running. */
function startWorkers(): void {
  if (helpers.length > 0 || wanted <= 1) return
  const { module, memory } = getRuntime()
  const ctl = control()
  for (let w = 0; w < wanted - 1; w++) {
    const slot = SLOTS + w * SLOT_SIZE
    Atomics.store(ctl, slot + STATE, STARTING)
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { module, memory, slot } })
    const helper: Helper = { worker, slot, error: null }
    worker.on('error', (error) => {
      helper.error = error.message
      Atomics.store(ctl, slot + STATE, DEAD)
      process.emitWarning(`cpu backend: worker thread ${w + 1} failed (${error.message}); continuing with the threads left`)
    })
    worker.on('exit', () => Atomics.store(ctl, slot + STATE, DEAD))
    worker.unref()
    helpers.push(helper)
  }
}

export interface ParallelOptions {
  /** Leave the work to the workers (tests use it to make a worker fail). */
  helpersOnly?: boolean
}

/**
 * Run kernel(...args) over the range [0, total) of its argument pair args[rangeArg], args[rangeArg+1],
 * in items of `grain`, on every ready thread. `worthThreads` says whether the job is big enough
 * to pay for waking the workers (a few tens of microseconds).
 */
export function parallel(kernel: KernelName, args: number[], rangeArg: number, total: number, grain: number, worthThreads = true, options: ParallelOptions = {}): void {
  const { kernels } = getRuntime()
  const items = Math.ceil(total / grain)
  if (items === 0) return
  if (args.length > MAX_ARGS) throw new RangeError(`cpu backend: ${kernel} takes at most ${MAX_ARGS} arguments, got ${args.length}`)
  if (!worthThreads || items === 1 || wanted <= 1) {
    if (!options.helpersOnly) {
      const run = kernels[kernel] as (...a: number[]) => void
      for (let start = 0; start < total; start += grain) {
        args[rangeArg] = start
        args[rangeArg + 1] = Math.min(total, start + grain)
        run(...args)
      }
      return
    }
  }
  startWorkers()
  const ctl = control()
  ctl.set(args, ARGS)
  Atomics.store(ctl, ARG_COUNT, args.length)
  Atomics.store(ctl, KERNEL, kernelNames.indexOf(kernel))
  Atomics.store(ctl, RANGE_ARG, rangeArg)
  Atomics.store(ctl, GRAIN, grain)
  Atomics.store(ctl, TOTAL, total)
  Atomics.store(ctl, ITEMS, items)
  Atomics.store(ctl, FAILED, 0)
  Atomics.store(ctl, NEXT, 0)
  const joined = helpers.filter((h) => Atomics.load(ctl, h.slot + STATE) === READY)
  if (options.helpersOnly && joined.length === 0) throw new Error(`cpu backend: no worker thread is ready to run ${kernel}`)
  for (const h of joined) {
    Atomics.store(ctl, h.slot + TURN, POSTED)
    Atomics.store(ctl, h.slot + SEQ, (Atomics.load(ctl, h.slot + SEQ) + 1) | 0)
    Atomics.notify(ctl, h.slot + SEQ)
  }
  let mainError: unknown = null
  if (!options.helpersOnly) {
    try {
      runItems(ctl, kernels)
    } catch (error) {
      mainError = error
      Atomics.store(ctl, FAILED, 1)
    }
  }
  for (const h of joined) {
    // Every item is claimed by now: a worker still asleep is withdrawn, a running one waited for.
    if (!options.helpersOnly && Atomics.compareExchange(ctl, h.slot + TURN, POSTED, IDLE) === POSTED) continue
    waitFor(ctl, h, kernel)
  }
  if (mainError) throw mainError
  if (Atomics.load(ctl, FAILED) !== 0) throw new Error(`cpu backend: a worker thread failed in kernel ${kernel}: ${failureMessage(ctl)}`)
}

/** Wait until the worker has taken its turn and finished it. */
function waitFor(ctl: Int32Array, h: Helper, kernel: KernelName): void {
  const turn = h.slot + TURN
  let beat = Atomics.load(ctl, h.slot + BEAT)
  let quietSince = Date.now()
  for (;;) {
    const now = Atomics.load(ctl, turn)
    if (now === IDLE) return
    if (Atomics.load(ctl, h.slot + STATE) === DEAD) {
      throw new Error(`cpu backend: worker thread at slot ${h.slot} exited during kernel ${kernel}${h.error ? ` (${h.error})` : ''}`)
    }
    Atomics.wait(ctl, turn, now, Math.min(100, stallMs))
    const beatNow = Atomics.load(ctl, h.slot + BEAT)
    if (beatNow !== beat) {
      beat = beatNow
      quietSince = Date.now()
    } else if (Date.now() - quietSince > stallMs) {
      Atomics.store(ctl, h.slot + STATE, DEAD)
      h.error = `no answer for ${stallMs} ms`
      throw new Error(`cpu backend: worker thread at slot ${h.slot} stopped answering during kernel ${kernel}`)
    }
  }
}

/** For tests: how long a silent worker is waited for. */
export function setStallTimeout(ms: number): number {
  const before = stallMs
  stallMs = ms
  return before
}
