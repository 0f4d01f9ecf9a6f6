// Per-step metrics: the runner hands every training step to a StepLog (its onStep hook), which
// keeps one row every `every` steps and writes them to metrics-steps.json and metrics-steps.csv,
// the per-step curves' data (the per-epoch table stays in metrics.json/.csv).
//
// Writing: the files are rewritten whole (atomically, so a reader never sees half a file) when a
// row is logged and `flushMs` (10 s) has passed since the last write, and on flush()/close(). A
// run that is killed keeps every row up to its last write, at most 10 s old; a run logging every
// step of a long epoch still rewrites its files at most every 10 s, never at every step. The first
// row is written at once, so a live page has a file to read from the start.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { readMetricsJson, writeMetricsFiles, type MetricRow } from './metrics.ts'

/** What the runner's per-step hook passes: the step's losses and terms, and the learning rate. */
export interface StepEvent {
  epoch: number
  // The step within the epoch.
  step: number
  // Steps since the run began, over all epochs.
  globalStep: number
  values: Record<string, number>
  lr: number
}

export const STEP_LOG_NAME = 'metrics-steps'
/** The columns every row begins with; a value of the same name is refused. */
export const STEP_COLUMNS = ['epoch', 'step', 'global_step', 'lr'] as const
/** How many rows a run gets by default: enough for a smooth curve, few enough to read and rewrite. */
export const STEP_LOG_POINTS = 300
export const STEP_LOG_FLUSH_MS = 10_000

/**
 * The default --log-every: about STEP_LOG_POINTS rows over the run's `totalSteps`, at least 1. A
 * 20-epoch Fashion-MNIST run at batch 64 (18,760 steps) logs every 62 steps; a run on the embedded
 * sample, with a few hundred steps in all, logs every step.
 */
export function defaultLogEvery(totalSteps: number, points = STEP_LOG_POINTS): number {
  if (!(Number.isInteger(totalSteps) && totalSteps >= 0)) throw new RangeError(`defaultLogEvery: totalSteps must be an integer >= 0, got ${totalSteps}`)
  if (!(Number.isInteger(points) && points >= 1)) throw new RangeError(`defaultLogEvery: points must be an integer >= 1, got ${points}`)
  return Math.max(1, Math.floor(totalSteps / points))
}

/** Whether the step is logged: the run's first step (0 or 1, whichever way the runner counts) and every multiple of `every`. */
export function stepLogged(globalStep: number, every: number): boolean {
  return globalStep <= 1 || globalStep % every === 0
}

export interface StepLogOptions {
  // Log every this many steps (--log-every); defaultLogEvery gives a run a few hundred rows.
  every: number
  // Resuming after a checkpoint at this global step: rows logged up to it are kept, later ones
  // (from the part of the run the checkpoint does not hold) dropped. Without it the log starts empty.
  resumeFrom?: number
  flushMs?: number
  // Injected clock (milliseconds), for tests.
  now?: () => number
  name?: string
}

export class StepLog {
  private readonly kept: MetricRow[] = []
  private lastWrite = -Infinity
  private dirty = false
  private readonly now: () => number
  readonly every: number
  readonly flushMs: number
  readonly name: string

  constructor(readonly dir: string, options: StepLogOptions) {
    const { every } = options
    if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`step log: --log-every must be a whole number of steps >= 1, got ${every}`)
    this.every = every
    this.flushMs = options.flushMs ?? STEP_LOG_FLUSH_MS
    if (!(this.flushMs >= 0)) throw new RangeError(`step log: flushMs must be >= 0, got ${this.flushMs}`)
    this.now = options.now ?? (() => performance.now())
    this.name = options.name ?? STEP_LOG_NAME
    if (options.resumeFrom !== undefined) {
      const path = join(dir, `${this.name}.json`)
      if (existsSync(path)) {
        for (const row of readMetricsJson(path)) {
          const g = row.global_step
          if (typeof g !== 'number') throw new Error(`${path}: a row without a global_step number; expected rows written by the step log`)
          if (g <= options.resumeFrom) this.kept.push(row)
        }
        this.dirty = true
      }
    }
  }

  /** The runner's per-step hook. Returns whether the step was logged. */
  onStep(e: StepEvent): boolean {
    for (const k of ['epoch', 'step', 'globalStep'] as const) {
      if (!(Number.isInteger(e[k]) && e[k] >= 0)) throw new RangeError(`step log: ${k} must be an integer >= 0, got ${e[k]}`)
    }
    if (!stepLogged(e.globalStep, this.every)) return false
    if (typeof e.lr !== 'number') throw new TypeError(`step log: lr must be a number, got ${typeof e.lr}`)
    const row: MetricRow = { epoch: e.epoch, step: e.step, global_step: e.globalStep, lr: e.lr }
    for (const [k, v] of Object.entries(e.values)) {
      if ((STEP_COLUMNS as readonly string[]).includes(k)) throw new RangeError(`step log: a value named "${k}" would overwrite the ${k} column; rename it`)
      // NaN is kept: a diverging loss is worth seeing on the curve.
      if (typeof v !== 'number') throw new TypeError(`step log: value "${k}" must be a number, got ${typeof v}`)
      row[k] = v
    }
    const last = this.kept.at(-1)?.global_step
    if (typeof last === 'number' && e.globalStep <= last) {
      throw new RangeError(`step log: global step ${e.globalStep} comes after step ${last}; steps must increase (resuming? pass resumeFrom)`)
    }
    this.kept.push(row)
    this.dirty = true
    if (this.now() - this.lastWrite >= this.flushMs) this.flush()
    return true
  }

  /** Writes the files now if anything changed since the last write (at every epoch's end, say). */
  flush(): void {
    if (!this.dirty) return
    writeMetricsFiles(this.dir, this.name, this.kept)
    this.lastWrite = this.now()
    this.dirty = false
  }

  close(): void {
    this.flush()
  }

  rows(): readonly MetricRow[] {
    return this.kept
  }
}
