// What every run folder shares, whatever it trains: the names of its files, the error that stops a
// diverging run, and reading back the settings it was made with.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const CHECKPOINT_FILE = 'checkpoint.gkt'
export const SETTINGS_FILE = 'settings.json'

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
