// The one epoch loop every trainer runs (VAE, GAN, classifier): it owns the run folder for the
// whole run (run_lock.ts), refuses a folder it must not write into (run_folder.ts), resumes from the
// checkpoint, shuffles, steps, watches for divergence, draws the progress bar, and after every
// epoch writes the report, the checkpoint and the metrics. A trainer supplies its step, its epoch
// record and its report (an EpochTrainer); nothing else. What a person watching the run sees, the
// same for every trainer (the per-step log and curves, snapshots, the live page that says running,
// done or stopped), is run_watch.ts's, fed from here.
//
// Divergence: after every step the step's values (its losses) and then every parameter are checked
// for NaN and infinities. The parameter scan is one comparison per weight over memory the step has
// just written, while the step itself costs each weight about 3 multiply-adds per image of the
// batch (forward and backward; more in a convolution, whose weights are reused at every position),
// so it runs after every step by default (checkEvery) and names the step that broke the weights.
// It always runs before a checkpoint is saved, so a checkpoint never holds a non-finite weight.
// On failure the run stops with TrainingDiverged naming the epoch, the step and what went wrong;
// the checkpoint on disk is the last good epoch's, untouched (it is only written when an epoch
// completes). On a device backend the scan reads the weights back to the host: pass checkEvery.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { Rng } from '../tensor/random.ts'
import { tidy } from '../tensor/memory.ts'
import { CheckpointError, loadCheckpoint, saveCheckpoint } from '../nn/checkpoint.ts'
import type { Module } from '../nn/module.ts'
import { writeFileAtomic } from '../report/atomic.ts'
import { writeMetricsFiles } from '../report/metrics.ts'
import type { Image } from '../report/canvas.ts'
import type { StepFigureKind } from '../report/step_figures.ts'
import { Progress } from './progress.ts'
import { RunWatch, type RunPageContent } from './run_watch.ts'
import { describeNonFinite, firstNonFinite } from './divergence.ts'
import { acquireRunLock } from './run_lock.ts'
import { CHECKPOINT_FILE, checkRunFolder, removeOrphans, SETTINGS_FILE, TrainingDiverged } from './run_folder.ts'

/** What a trainer reports of each step, for per-step metrics and curves (RunOptions.onStep). */
export interface StepEvent {
  epoch: number
  /** 1-based within the epoch */
  step: number
  /** steps per epoch */
  steps: number
  /** 1-based over the whole run, resumed runs included: (epoch - 1) * steps + step */
  globalStep: number
  /** the step's figures, each a mean over its batch (the trainer's names: loss, reconstruction, kl; d_loss, g_loss, ...) */
  values: Record<string, number>
  /** the learning rate the step used */
  lr: number
  /** images in the step's batch */
  batch: number
}

/** What the runner saves in the checkpoint's extra besides the trainer's own state. */
export interface RunnerExtra<R> {
  epoch: number
  rng?: unknown
  history: R[]
}

/** One trainer's part of a run. R: its per-epoch record (a metrics row). */
export interface EpochTrainer<R extends { epoch: number }> {
  /** Settings written to settings.json (the config and what the run found: backend, data). */
  settings: Record<string, unknown>
  /** The config the folder's settings must match (settings without what may change). */
  config: { epochs: number; batch: number } & Record<string, unknown>
  /** Training images. */
  count: number
  /** The module whose state dict the checkpoint holds. */
  module: Module
  /** The training stream (shuffling, noise): saved in and restored from the checkpoint. */
  rng: Rng
  /** Whether rng goes into the checkpoint (runs saved without it cannot resume bit for bit). */
  saveRng?: boolean
  /** The line logged before training: what, on which data and backend. */
  intro: string
  /** Advice appended to a divergence error ("Try a smaller --lr."). */
  hint: string
  /** The learning rate in force (for StepEvent). */
  lr(): number
  /** Called before each epoch: train mode, this epoch's learning rate. */
  beginEpoch(epoch: number): void
  /** One step on the training images `indices`; returns its figures (means over the batch). */
  step(indices: Int32Array, rng: Rng): Record<string, number>
  /** Why the step's figures stop the run ("the loss is NaN ..."), or null when they are fine. */
  divergence(values: Record<string, number>): string | null
  /** The progress bar's terms for a step (its values by default). */
  progressTerms?(values: Record<string, number>): Record<string, number>
  /** The epoch's record, from the means of its steps' values (weighted by batch) and its speed. */
  endEpoch(epoch: number, means: Record<string, number>, imagesPerSecond: number): R
  /** The line logged after an epoch. */
  describe(record: R): string
  /** The pictures for the history so far (before the checkpoint is written); the runner writes the page. */
  report(history: R[]): void
  /** The run page's title, pictures and links for the history so far (the files it names are drawn by report). */
  page?(history: R[]): RunPageContent
  /** Which per-step curves the page shows (report/step_figures.ts); none when unset. */
  stepFigures?: StepFigureKind
  /** The fixed-noise sample grid for --snapshot-every (generators only); it must leave the training stream, mode and weights as they were. */
  snapshot?(): Image
  /** The trainer's part of the checkpoint's extra (optimizer states, ...). */
  saveState(): Record<string, unknown>
  /** Restores saveState's output from a checkpoint's extra (checking it); the module is loaded already. */
  restoreState(extra: Record<string, unknown>): void
  /** Settings that may differ from a folder's when resuming or restarting. */
  free?: ReadonlySet<string>
}

export interface RunOptions {
  resume?: boolean
  /**
   * Start over in a folder that holds a genkata run (`genkata start`'s runs/start): its checkpoint
   * and metrics are deleted, under the lock, whatever its settings. A foreign folder is still refused.
   */
  replace?: boolean
  log?: (line: string) => void
  /** Called after every step, before the divergence checks (so a diverging step is reported too). */
  onStep?: (event: StepEvent) => void
  /** Check the parameters every this many steps (1); they are always checked before a save. */
  checkEvery?: number
  /** Where the progress bar draws (stderr); a stream that writes nothing silences it. */
  progressStream?: { write(s: string): unknown; isTTY?: boolean }
  /** Log every this many steps to metrics-steps.csv/.json (--log-every); by default about 300 rows over the run. */
  logEvery?: number
  /** Write the trainer's sample grid every this many steps and at step 0 (--snapshot-every); 0 or unset: none. */
  snapshotEvery?: number
  /** Rewrite the running page within an epoch at most this often (PAGE_EVERY_MS), and after each snapshot. */
  pageEveryMs?: number
}

export interface RunOutcome<R> {
  history: R[]
  /** The epoch the run's checkpoint now holds. */
  epoch: number
  /** Whether any epoch was trained (false: a resume that asked for no more epochs). */
  trained: boolean
}

/** How often a running page is rewritten within an epoch (besides after each snapshot). */
export const PAGE_EVERY_MS = 10_000

/** Settings a resumed or restarted run may change: the epochs, where the data is, the backend, what is logged. */
export const RUN_FREE_SETTINGS: ReadonlySet<string> = new Set(['epochs', 'dataDir', 'data', 'backend', 'logEvery', 'snapshotEvery'])

/** Trains `trainer` into `dir` up to config.epochs, or resumes the run there. */
export function runEpochs<R extends { epoch: number }>(trainer: EpochTrainer<R>, dir: string, options: RunOptions = {}): RunOutcome<R> {
  const log = options.log ?? ((line: string) => console.log(line))
  const checkEvery = options.checkEvery ?? 1
  if (!(Number.isInteger(checkEvery) && checkEvery > 0)) throw new RangeError(`checkEvery must be a positive integer, got ${checkEvery}`)
  const resume = options.resume ?? false
  if (resume && options.replace) throw new Error('runEpochs: resume and replace exclude each other')
  mkdirSync(dir, { recursive: true })
  const lock = acquireRunLock(dir, { warn: log })
  try {
    const saved = checkRunFolder(dir, { wanted: trainer.config, resume, replace: options.replace, free: trainer.free ?? RUN_FREE_SETTINGS })
    if (options.replace && saved) {
      // (the step log, snapshots and status go when the run starts afresh: run_watch.ts)
      for (const name of [CHECKPOINT_FILE, 'metrics.json', 'metrics.csv']) rmSync(join(dir, name), { force: true })
      log(`replacing the run in ${dir}`)
    }
    const orphans = removeOrphans(dir)
    if (orphans.length > 0) log(`removed ${orphans.length} temporary file${orphans.length === 1 ? '' : 's'} left by a killed run: ${orphans.join(', ')}`)
    return train(trainer, dir, resume, log, checkEvery, options)
  } finally {
    lock.release()
  }
}

function train<R extends { epoch: number }>(
  trainer: EpochTrainer<R>, dir: string, resume: boolean, log: (line: string) => void, checkEvery: number, options: RunOptions,
): RunOutcome<R> {
  const { config, module } = trainer
  const checkpoint = join(dir, CHECKPOINT_FILE)
  let history: R[] = []
  let rng = trainer.rng
  if (resume) {
    const extra = loadCheckpoint(checkpoint, module) as (RunnerExtra<R> & Record<string, unknown>) | null
    if (!extra || typeof extra.epoch !== 'number' || !Array.isArray(extra.history)) {
      throw new CheckpointError(`checkpoint ${checkpoint}: its extra has no epoch and history; it is not a genkata run's checkpoint`)
    }
    if (extra.epoch >= config.epochs) {
      log(`${dir} is already trained for ${extra.epoch} epoch${extra.epoch === 1 ? '' : 's'} (--epochs ${config.epochs} asked for): nothing to do; no file was changed`)
      return { history: extra.history, epoch: extra.epoch, trained: false }
    }
    trainer.restoreState(extra)
    if (extra.rng !== undefined) rng = Rng.fromState(extra.rng as never)
    history = extra.history
    log(`resumed ${dir} after epoch ${extra.epoch}`)
  }
  const steps = Math.ceil(trainer.count / config.batch)
  const watch = new RunWatch({
    dir, resume, startStep: history.length * steps, steps, epochs: config.epochs, settings: trainer.settings,
    ...(options.logEvery !== undefined ? { logEvery: options.logEvery } : {}),
    ...(options.snapshotEvery !== undefined ? { snapshotEvery: options.snapshotEvery } : {}),
    ...(trainer.stepFigures ? { figures: trainer.stepFigures } : {}),
    ...(trainer.snapshot ? { snapshot: () => trainer.snapshot!() } : {}),
  })
  writeFileAtomic(join(dir, SETTINGS_FILE), JSON.stringify(trainer.settings, null, 2) + '\n')
  log(trainer.intro)
  const content = (): RunPageContent => trainer.page?.(history) ?? defaultPage(trainer.settings, history)
  // Where the run is, for its page: the last step done.
  let at = { epoch: history.length + 1, step: 0, globalStep: history.length * steps }
  // A fresh run's page names no picture yet: any there are an earlier attempt's.
  watch.page('running', resume ? content() : { ...content(), images: [], curves: [] }, at)
  try {
    trainEpochs(trainer, dir, history, rng, steps, watch, (where) => (at = where), log, checkEvery, options)
  } catch (error) {
    // The page says the run stopped and why; the error is still the caller's.
    try {
      watch.flush()
      watch.drawCurves(history as unknown as Record<string, number>[])
      watch.page('stopped', content(), { ...at, message: (error as Error).message.replace(/\.\s*$/, '') })
    } catch (pageError) {
      log(`could not write the stopped run's page: ${(pageError as Error).message}`)
    }
    throw error
  }
  watch.page('done', content(), { epoch: history.length, globalStep: history.length * steps })
  return { history, epoch: history.length, trained: true }
}

function defaultPage(settings: Record<string, unknown>, history: readonly { epoch: number }[]): RunPageContent {
  return {
    title: `${String(settings.model ?? settings.kind ?? 'run')}: ${history.length > 0 ? `epoch ${history.length}` : 'no epoch yet'}`,
    images: [],
    metricsTable: history as unknown as Record<string, number>[],
    links: [{ file: 'metrics.csv', caption: 'metrics.csv' }, { file: 'metrics.json', caption: 'metrics.json' }, { file: CHECKPOINT_FILE, caption: 'checkpoint' }],
  }
}

function trainEpochs<R extends { epoch: number }>(
  trainer: EpochTrainer<R>, dir: string, history: R[], rng: Rng, steps: number, watch: RunWatch,
  reached: (at: { epoch: number; step: number; globalStep: number }) => void, log: (line: string) => void, checkEvery: number, options: RunOptions,
): void {
  const { config, module } = trainer
  const checkpoint = join(dir, CHECKPOINT_FILE)
  const parameters = module.namedParameters()
  const kept = () =>
    history.length > 0 ? `the last good checkpoint, from epoch ${history.length}, is ${checkpoint}` : 'no checkpoint was written (it diverged in the first epoch)'
  const stop = (reason: string, epoch: number, step: number, note = ''): never => {
    throw new TrainingDiverged(`training stopped: ${reason} at epoch ${epoch}, step ${step} of ${steps}; ${kept()}.${note} ${trainer.hint}`, epoch, step)
  }
  const pageEvery = options.pageEveryMs ?? PAGE_EVERY_MS
  let pageWritten = Date.now()
  for (let epoch = history.length + 1; epoch <= config.epochs; epoch++) {
    trainer.beginEpoch(epoch)
    const order = rng.permutation(trainer.count)
    const progress = new Progress({ label: `epoch ${epoch}/${config.epochs}`, total: steps, ...(options.progressStream ? { stream: options.progressStream } : {}) })
    const sums = new Map<string, number>()
    let seen = 0
    try {
      for (let step = 1; step <= steps; step++) {
        const indices = order.subarray((step - 1) * config.batch, Math.min(step * config.batch, trainer.count))
        const lr = trainer.lr()
        const globalStep = (epoch - 1) * steps + step
        // The step's tensors (activations, gradients) are freed when it ends (tidy): on a backend
        // that keeps them in its own memory (cpu's wasm blocks, a GPU's buffers) a synchronous loop
        // would otherwise hold every step's until it yields. The checks below read the gradients,
        // so they run inside.
        const values = tidy(() => {
          const values = trainer.step(indices, rng)
          reached({ epoch, step, globalStep })
          const event: StepEvent = { epoch, step, steps, globalStep, values, lr, batch: indices.length }
          watch.onStep(event)
          options.onStep?.(event)
          const reason = trainer.divergence(values)
          if (reason !== null) {
            // A loss can turn NaN inside the step that broke the weights (a GAN's generator step reads
            // the discriminator just updated): name the parameter too, when one is already gone.
            const bad = firstNonFinite(parameters)
            stop(reason, epoch, step, bad ? ` After the step, ${describeNonFinite(bad).replace(" after the optimizer's step", '')}.` : '')
          }
          if (step % checkEvery === 0 || step === steps) {
            const bad = firstNonFinite(parameters)
            if (bad) stop(describeNonFinite(bad), epoch, step)
          }
          return values
        })
        for (const [k, v] of Object.entries(values)) sums.set(k, (sums.get(k) ?? 0) + v * indices.length)
        seen += indices.length
        progress.tick(indices.length, trainer.progressTerms ? trainer.progressTerms(values) : values)
        const snapped = watch.snapshotAt(globalStep)
        // The live page follows the steps (and says so with its time: one not rewritten for
        // minutes was left by a process that stopped without a word; see report/html.ts).
        if (step < steps && (snapped || Date.now() - pageWritten >= pageEvery)) {
          const content = trainer.page?.(history) ?? defaultPage(trainer.settings, history)
          // Before a fresh run's first epoch ends, any pictures there are an earlier attempt's.
          watch.page('running', history.length > 0 ? content : { ...content, images: [], curves: [] }, { epoch, step, globalStep })
          pageWritten = Date.now()
        }
      }
    } finally {
      progress.finish()
    }
    const means = Object.fromEntries([...sums].map(([k, v]) => [k, v / seen]))
    const record = trainer.endEpoch(epoch, means, progress.imagesPerSecond())
    history.push(record)
    log(trainer.describe(record))
    trainer.report(history)
    // The step log first: a checkpoint on disk always has its steps in the log.
    watch.flush()
    const extra: Record<string, unknown> = { epoch, ...(trainer.saveRng === false ? {} : { rng: rng.getState() }), ...trainer.saveState(), history }
    saveCheckpoint(checkpoint, module, extra)
    writeMetricsFiles(dir, 'metrics', history as unknown as Record<string, number>[])
    watch.drawCurves(history as unknown as Record<string, number>[])
    if (epoch < config.epochs) watch.page('running', trainer.page?.(history) ?? defaultPage(trainer.settings, history), { epoch, step: steps, globalStep: epoch * steps })
    pageWritten = Date.now()
  }
  watch.close()
}
