// Sample grids at chosen steps (--snapshot-every N): the course projects' strip of a generator's
// samples at step 0, 500, 1000, ... One PNG per step in <run>/snapshots/, named by its step with
// zero padding so a directory listing is in step order; the run page finds them by listing the
// folder, so a resumed run's page shows the snapshots of every part of the run.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Image } from './canvas.ts'
import type { Snapshot } from './html.ts'
import { writePng } from './png.ts'

export const SNAPSHOT_DIR = 'snapshots'
const NAME = /^step-(\d+)\.png$/

/** Whether a snapshot is due: step 0 (before training) and every multiple of `every`; never when every is 0 or unset. */
export function snapshotDue(globalStep: number, every: number | undefined): boolean {
  if (every === undefined || every === 0) return false
  if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`--snapshot-every must be a whole number of steps >= 1 (or 0 for none), got ${every}`)
  return globalStep % every === 0
}

/** The snapshot's path relative to the run folder. */
export function snapshotFile(globalStep: number): string {
  if (!(Number.isInteger(globalStep) && globalStep >= 0)) throw new RangeError(`snapshot: the step must be an integer >= 0, got ${globalStep}`)
  return `${SNAPSHOT_DIR}/step-${String(globalStep).padStart(7, '0')}.png`
}

/** Writes the grid as the step's snapshot; returns the path relative to the run folder. */
export function writeSnapshot(dir: string, globalStep: number, grid: Image): string {
  const file = snapshotFile(globalStep)
  writePng(join(dir, file), grid)
  return file
}

/** Every snapshot in the run folder, in step order. */
export function listSnapshots(dir: string): Snapshot[] {
  const folder = join(dir, SNAPSHOT_DIR)
  if (!existsSync(folder)) return []
  return readdirSync(folder)
    .flatMap((name) => {
      const m = NAME.exec(name)
      return m ? [{ file: `${SNAPSHOT_DIR}/${name}`, globalStep: Number(m[1]) }] : []
    })
    .sort((a, b) => a.globalStep - b.globalStep)
}

/** At most `max` snapshots for the strip: evenly spaced over the list, the first and last kept. */
export function pickSnapshots(all: readonly Snapshot[], max: number): Snapshot[] {
  if (!(Number.isInteger(max) && max >= 2)) throw new RangeError(`pickSnapshots: max must be an integer >= 2, got ${max}`)
  if (all.length <= max) return [...all]
  const picked = new Set(Array.from({ length: max }, (_, i) => Math.round((i * (all.length - 1)) / (max - 1))))
  return [...picked].map((i) => all[i]!)
}
