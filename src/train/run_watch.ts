// What the epoch runner keeps for a person watching a run, the same for every trainer: the
// per-step log (metrics-steps.csv/.json, every --log-every steps), the sample grid every
// --snapshot-every steps (snapshots/), the per-step curves after every epoch, and the live run page
// (index.html and status.json: running, done, or stopped and why). A trainer supplies only what it
// alone knows: its kind of curves, its sample grid, and its page's title, pictures and files.
//
// Resuming: the log keeps its rows up to the checkpoint's step and drops the later ones (the part
// of the run the checkpoint does not hold, trained again now), and so do the snapshots. A run that
// starts afresh removes what an earlier attempt in the folder left of these.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Image } from '../report/canvas.ts'
import type { IndexFile, RunState, RunStatus } from '../report/html.ts'
import type { MetricRow } from '../report/metrics.ts'
import { STATUS_FILE, writeRunPage } from '../report/run_page.ts'
import { listSnapshots, SNAPSHOT_DIR, snapshotDue, writeSnapshot } from '../report/snapshots.ts'
import { STEP_FIGURES, writeStepFigures, type StepFigureKind } from '../report/step_figures.ts'
import { defaultLogEvery, STEP_LOG_NAME, StepLog, type StepEvent } from '../report/step_log.ts'

/** A trainer's part of its run page: the title, the pictures it draws and the files worth a link. */
export interface RunPageContent {
  title: string
  /** Samples, reconstructions, ...: shown first. */
  images: readonly IndexFile[]
  /** The per-epoch curves: shown after the per-step ones. */
  curves?: readonly IndexFile[]
  /** Files worth a link (metrics.csv, the checkpoint); the step log's are added. */
  links?: readonly IndexFile[]
  metricsTable?: readonly MetricRow[]
}

/** What an unset watch setting means on the page. */
const UNSET = { snapshotEvery: 'off' }

const STEP_LOG_LINKS: IndexFile[] = [
  { file: `${STEP_LOG_NAME}.csv`, caption: `${STEP_LOG_NAME}.csv (every logged step)` },
  { file: `${STEP_LOG_NAME}.json`, caption: `${STEP_LOG_NAME}.json` },
]

/** The checks of --log-every and --snapshot-every in a trainer's config (unset: the default, and no snapshots). */
export function checkWatchSettings(config: { logEvery?: number | null; snapshotEvery?: number | null }): void {
  const { logEvery, snapshotEvery } = config
  if (logEvery !== undefined && logEvery !== null && !(Number.isInteger(logEvery) && logEvery > 0)) {
    throw new RangeError(`--log-every must be a positive integer (steps between logged rows), got ${logEvery}`)
  }
  if (snapshotEvery !== undefined && snapshotEvery !== null && !(Number.isInteger(snapshotEvery) && snapshotEvery >= 0)) {
    throw new RangeError(`--snapshot-every must be a positive integer (steps between sample grids; 0 for none), got ${snapshotEvery}`)
  }
}

/** A config's --log-every and --snapshot-every as the runner's options (RunOptions), where set. */
export function watchOptions(config: { logEvery?: number; snapshotEvery?: number }): { logEvery?: number; snapshotEvery?: number } {
  return {
    ...(config.logEvery != null ? { logEvery: config.logEvery } : {}),
    ...(config.snapshotEvery != null ? { snapshotEvery: config.snapshotEvery } : {}),
  }
}

/** The per-step curves' entries for the page; the page leaves off the ones not drawn (yet). */
function stepFigureFiles(kind: StepFigureKind | undefined): IndexFile[] {
  return kind ? STEP_FIGURES[kind].map((f) => ({ file: f.file, caption: f.caption })) : []
}

/** The page of a run folder from what is there: used by the runner and by commands that add to a finished run (eval). */
export function writeRunFolderPage(dir: string, page: {
  content: RunPageContent
  settings: Record<string, unknown>
  figures?: StepFigureKind
  status: Omit<RunStatus, 'updated'>
}): void {
  const { content, status } = page
  writeRunPage(dir, {
    title: content.title,
    settings: page.settings,
    images: [...content.images, ...stepFigureFiles(page.figures), ...(content.curves ?? [])],
    ...(content.metricsTable ? { metricsTable: content.metricsTable } : {}),
    links: [...(content.links ?? []), ...STEP_LOG_LINKS],
    unsetSettings: UNSET,
    ...status,
  })
}

/** The state status.json holds (for a command that rewrites a finished run's page); `fallback` when there is none. */
export function savedRunStatus(dir: string, fallback: Omit<RunStatus, 'updated'>): Omit<RunStatus, 'updated'> {
  const file = join(dir, STATUS_FILE)
  if (!existsSync(file)) return fallback
  try {
    const { updated: _, ...saved } = JSON.parse(readFileSync(file, 'utf8')) as RunStatus
    return ['running', 'done', 'stopped'].includes(saved.state) && Number.isInteger(saved.epoch) ? saved : fallback
  } catch {
    return fallback
  }
}

export interface RunWatchOptions {
  dir: string
  /** Resuming after a checkpoint at global step `startStep` (0 for a fresh run). */
  resume: boolean
  startStep: number
  /** Steps per epoch, and epochs the run asks for. */
  steps: number
  epochs: number
  /** Log every this many steps; by default about STEP_LOG_POINTS rows over the run. */
  logEvery?: number
  /** A sample grid every this many steps (and at step 0); 0 or unset: none. */
  snapshotEvery?: number
  figures?: StepFigureKind
  snapshot?: () => Image
  /** The settings the page shows. */
  settings: Record<string, unknown>
}

export class RunWatch {
  readonly stepLog: StepLog
  readonly logEvery: number
  private readonly snapshotEvery: number
  private readonly settings: Record<string, unknown>

  constructor(private readonly o: RunWatchOptions) {
    const { dir } = o
    this.logEvery = o.logEvery ?? defaultLogEvery(o.steps * o.epochs)
    this.snapshotEvery = o.snapshotEvery ?? 0
    checkWatchSettings({ logEvery: this.logEvery, snapshotEvery: this.snapshotEvery })
    if (this.snapshotEvery > 0 && !o.snapshot) throw new RangeError(`--snapshot-every ${this.snapshotEvery}: this trainer draws no samples to snapshot; leave it off`)
    // The page shows the interval in force, the default included.
    this.settings = { ...o.settings, logEvery: this.logEvery, snapshotEvery: o.snapshotEvery }
    if (o.resume) {
      for (const s of listSnapshots(dir)) if (s.globalStep > o.startStep) rmSync(join(dir, s.file), { force: true })
    } else {
      for (const file of [`${STEP_LOG_NAME}.json`, `${STEP_LOG_NAME}.csv`, STATUS_FILE, ...stepFigureFiles(o.figures).map((f) => f.file)]) rmSync(join(dir, file), { force: true })
      if (existsSync(join(dir, SNAPSHOT_DIR))) {
        for (const s of listSnapshots(dir)) rmSync(join(dir, s.file), { force: true })
        if (readdirSync(join(dir, SNAPSHOT_DIR)).length === 0) rmSync(join(dir, SNAPSHOT_DIR), { recursive: true, force: true })
      }
    }
    this.stepLog = new StepLog(dir, { every: this.logEvery, ...(o.resume ? { resumeFrom: o.startStep } : {}) })
    if (!o.resume) this.snapshotAt(0)
  }

  /** After every step: the step's row. */
  onStep(event: StepEvent): void {
    this.stepLog.onStep(event)
  }

  /** After a step that passed the divergence checks: the snapshot, when one is due; whether one was written. */
  snapshotAt(globalStep: number): boolean {
    if (!(this.o.snapshot && snapshotDue(globalStep, this.snapshotEvery))) return false
    writeSnapshot(this.o.dir, globalStep, this.o.snapshot())
    return true
  }

  /** Writes the step log's files; the runner calls it before saving a checkpoint, so the log holds every step the checkpoint does. */
  flush(): void {
    this.stepLog.flush()
  }

  /** The run's end: the step log's last rows written. */
  close(): void {
    this.stepLog.close()
  }

  /** The per-step curves, with the per-epoch rows on top. */
  drawCurves(history: readonly MetricRow[]): void {
    if (this.o.figures) writeStepFigures(this.o.dir, this.o.figures, { steps: this.stepLog.rows(), epochs: history, stepsPerEpoch: this.o.steps })
  }

  page(state: RunState, content: RunPageContent, at: { epoch: number; step?: number; globalStep: number; message?: string }): void {
    writeRunFolderPage(this.o.dir, {
      content, settings: this.settings, ...(this.o.figures ? { figures: this.o.figures } : {}),
      status: { state, epoch: at.epoch, epochs: this.o.epochs, ...(at.step !== undefined ? { step: at.step, steps: this.o.steps } : {}), globalStep: at.globalStep, ...(at.message ? { message: at.message } : {}) },
    })
  }
}
