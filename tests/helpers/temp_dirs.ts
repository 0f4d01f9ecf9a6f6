// Temporary folders for a test file: each call makes a fresh one, and all of them are removed
// when the file's tests are done.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'uvu'

/** A maker of fresh folders named `<prefix>XXXXXX` under the system's temp folder, removed after `test`'s run. */
export function tempDirs(test: Test, prefix: string): () => string {
  const dirs: string[] = []
  test.after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix))
    dirs.push(d)
    return d
  }
}
