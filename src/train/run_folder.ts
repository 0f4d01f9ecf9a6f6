// What every run folder shares, whatever it trains: the names of its files, the error that stops a
// diverging run, reading back the settings it was made with, and the checks a trainer makes before
// it writes into a folder (is it a genkata run, was it made with these settings, what a killed run
// left behind).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ATOMIC_TEMP_PATTERN } from '../report/atomic.ts'

export const CHECKPOINT_FILE = 'checkpoint.gkt'
export const SETTINGS_FILE = 'settings.json'
/** Held by the one training that owns the folder (run_lock.ts). */
export const LOCK_FILE = '.genkata-run.lock'

export class TrainingDiverged extends Error {
  constructor(message: string, readonly epoch: number, readonly step: number) {
    super(message)
    this.name = 'TrainingDiverged'
  }
}

/** The settings.json of the run in `dir`, checked by `check` (which throws naming what is wrong). */
export function readSettings<T>(dir: string, check: (config: T) => void): T {
  const file = join(dir, SETTINGS_FILE)
  if (!existsSync(file)) throw new Error(`${dir} is not a genkata run folder: ${SETTINGS_FILE} is missing`)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`)
  }
  check(parsed as T)
  return parsed as T
}

/** Settings that may differ between a run's folder and the settings asked for now. */
export const FREE_SETTINGS: ReadonlySet<string> = new Set(['epochs', 'dataDir'])

/**
 * The settings asked for (`wanted`) that differ from the ones saved in a run folder, each as
 * "name: X there, Y here"; keys in `free` are skipped. Used by training (a folder made with other
 * settings is refused) and by experiments (an arm's folder).
 */
export function differingSettings(wanted: Record<string, unknown>, saved: Record<string, unknown>, free: ReadonlySet<string> = FREE_SETTINGS): string[] {
  const out: string[] = []
  for (const key of Object.keys(wanted)) {
    if (free.has(key)) continue
    let there = saved[key]
    // Runs saved before --fake-class-weight existed used the paper's 1.
    if (key === 'fakeClassWeight' && there === undefined) there = 1
    const here = wanted[key]
    if (JSON.stringify(there ?? null) !== JSON.stringify(here ?? null)) out.push(`${key}: ${JSON.stringify(there ?? null)} there, ${JSON.stringify(here ?? null)} here`)
  }
  return out
}

/** Files a killed writer leaves (checkpoint.ts and report/atomic.ts share the naming). */
const ORPHAN = ATOMIC_TEMP_PATTERN

/** What a run folder holds that a trainer may find there: its lock and temporary files do not count. */
function folderEntries(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter((name) => name !== LOCK_FILE && !ORPHAN.test(name))
}

/** A settings.json that a genkata trainer wrote: an object naming its model (VAE, GAN) or its kind (classifier). */
function isRunSettings(parsed: unknown): parsed is Record<string, unknown> {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false
  const s = parsed as Record<string, unknown>
  return (typeof s.model === 'string' || typeof s.kind === 'string') && typeof s.epochs === 'number' && typeof s.seed === 'number'
}

export interface FolderCheck {
  /** The settings the training will run with (the run's config). */
  wanted: Record<string, unknown>
  resume: boolean
  /** Start over: a genkata run in the folder is replaced whatever its settings (a foreign folder is still refused). */
  replace?: boolean
  /** Settings that may differ from the folder's (FREE_SETTINGS by default). */
  free?: ReadonlySet<string>
}

/**
 * Refuses a folder that a training must not write into, naming what was found: a non-empty folder
 * that is not a genkata run, a run made with other settings, a trained run without resume, or a
 * resume with no checkpoint. Returns the saved settings (null for a new or empty folder).
 */
export function checkRunFolder(dir: string, check: FolderCheck): Record<string, unknown> | null {
  const entries = folderEntries(dir)
  const checkpoint = join(dir, CHECKPOINT_FILE)
  const settingsFile = join(dir, SETTINGS_FILE)
  let saved: Record<string, unknown> | null = null
  if (entries.includes(SETTINGS_FILE)) {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(settingsFile, 'utf8'))
    } catch (error) {
      throw new Error(`${dir} is not a genkata run folder: its ${SETTINGS_FILE} is not valid JSON (${(error as Error).message}); move it away, or choose another --out`)
    }
    if (!isRunSettings(parsed)) {
      throw new Error(`${dir} is not a genkata run folder: its ${SETTINGS_FILE} names no model, epochs and seed (found ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}: ${listed(entries)}); move it away, or choose another --out`)
    }
    saved = parsed
    if (check.replace) return saved
    const differing = differingSettings(check.wanted, saved, check.free)
    if (differing.length > 0) throw new Error(`${dir} holds a run with other settings (${differing.join('; ')}): move it away, or choose another --out`)
  } else if (entries.length > 0) {
    throw new Error(`${dir} is not empty and is not a genkata run folder (no ${SETTINGS_FILE}; found ${listed(entries)}): move them away, or choose another --out`)
  }
  if (check.replace) return saved
  if (check.resume && !existsSync(checkpoint)) throw new Error(`cannot resume: ${checkpoint} does not exist`)
  if (!check.resume && existsSync(checkpoint)) throw new Error(`${dir} already holds a trained run: continue it with --resume ${dir}, or choose another --out`)
  return saved
}

function listed(entries: string[]): string {
  const shown = entries.slice(0, 5).join(', ')
  return entries.length > 5 ? `${shown} and ${entries.length - 5} more` : shown
}

/** Removes the temporary files a killed run left in `dir` (call it holding the folder's lock); returns their names. */
export function removeOrphans(dir: string): string[] {
  if (!existsSync(dir)) return []
  const orphans = readdirSync(dir).filter((name) => ORPHAN.test(name))
  for (const name of orphans) rmSync(join(dir, name), { force: true })
  return orphans
}
