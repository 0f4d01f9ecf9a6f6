// Atomic file writes: a reader (a browser refreshing index.html, a script polling metrics.csv)
// sees the old file or the new one, never half of one. The bytes go to a temporary file in the
// same folder (rename is atomic only within one file system), then rename replaces the target.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

let counter = 0

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true })
  // pid and a counter keep two writers (processes or calls) from sharing a temporary name.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`)
  try {
    writeFileSync(tmp, data)
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
}
