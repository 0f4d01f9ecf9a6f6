// The run page's API for the epoch runner: writeRunPage(dir, { state, epoch, step, ... }) writes
// <run>/status.json (the state, for scripts and for anyone polling) and the live index.html (see
// html.ts). The runner calls it after every epoch, at every snapshot, and once more when the run
// ends (done) or is stopped (an error, a signal), so the page stops reloading and says which.
//
// Pictures and links whose files are not there yet (no epoch finished, no checkpoint written) are
// left off the page: a live page must not show broken images. The snapshot strip is read from
// <run>/snapshots/ unless the caller passes it.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from './atomic.ts'
import { renderIndexHtml, statusText, type IndexPage, type RunState, type RunStatus, type Snapshot } from './html.ts'
import { listSnapshots, pickSnapshots } from './snapshots.ts'

export const STATUS_FILE = 'status.json'
/** The most snapshots the strip shows; past it, evenly spaced ones (the first and last kept). */
export const STRIP_MAX = 24

export interface RunPageInput extends Omit<IndexPage, 'status' | 'snapshots'> {
  state: RunState
  epoch: number
  epochs?: number
  step?: number
  steps?: number
  globalStep?: number
  message?: string
  snapshots?: readonly Snapshot[]
  // Injected clock, for tests.
  now?: () => Date
}

export function runStatus(input: RunPageInput): RunStatus {
  const status: RunStatus = { state: input.state, epoch: input.epoch, updated: (input.now?.() ?? new Date()).toISOString() }
  for (const k of ['epochs', 'step', 'steps', 'globalStep', 'message'] as const) {
    if (input[k] !== undefined) (status as unknown as Record<string, unknown>)[k] = input[k]
  }
  statusText(status) // checks it
  return status
}

/** Writes status.json and index.html into the run folder; returns the status written. */
export function writeRunPage(dir: string, input: RunPageInput): RunStatus {
  const status = runStatus(input)
  const there = (f: { file: string }) => existsSync(join(dir, f.file))
  const snapshots = pickSnapshots((input.snapshots ?? listSnapshots(dir)).filter(there), STRIP_MAX)
  const page: IndexPage = {
    title: input.title,
    settings: input.settings,
    images: input.images.filter(there),
    status,
    snapshots,
    ...(input.metricsTable ? { metricsTable: input.metricsTable } : {}),
    ...(input.links ? { links: input.links.filter(there) } : {}),
    ...(input.refreshSeconds !== undefined ? { refreshSeconds: input.refreshSeconds } : {}),
    ...(input.staleSeconds !== undefined ? { staleSeconds: input.staleSeconds } : {}),
    ...(input.unsetSettings ? { unsetSettings: input.unsetSettings } : {}),
  }
  const html = renderIndexHtml(page)
  writeFileAtomic(join(dir, STATUS_FILE), JSON.stringify(status, null, 2) + '\n')
  writeFileAtomic(join(dir, 'index.html'), html)
  return status
}
