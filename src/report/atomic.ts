// Atomic file writes: a reader (a browser refreshing index.html, a script polling metrics.csv, a
// resume reading a checkpoint) sees the old file or the new one, never half of one, and a crash
// leaves one of the two. Every file genkata writes into a run folder goes through here; the
// checkpoints (src/nn/checkpoint.ts) too.
//
// The bytes go to a temporary file in the same folder (rename is atomic only within one file
// system), named with random bytes so that nobody can plant a file or a symlink at the name
// beforehand, and opened exclusively ('wx': O_CREAT | O_EXCL, which fails on anything already
// there, a symlink included, instead of following it). The data is fsynced before the rename,
// and the folder after it where the platform can fsync a folder, so the new name survives a crash.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'

/**
 * Matches the names of temporary files beside their target, `.<name>.<pid>.<16 hex digits>.tmp`,
 * and those of older genkatas (`.<name>.<pid>.<counter>.tmp`, `.<name>.<pid>.<8 hex digits>.tmp`):
 * what a killed run leaves behind, for a run's start to remove.
 */
export const ATOMIC_TEMP_PATTERN = /^\..+\.\d+\.[0-9a-f]+\.tmp$/

/** The temporary name for a write to `path`: unpredictable, in the same folder. */
export function atomicTempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`)
}

export interface AtomicWriteOptions {
  /** Create the folder first (default true); false makes a missing folder an error (ENOENT). */
  mkdir?: boolean
}

/**
 * Write `data` (a string as UTF-8, bytes, or a list of byte chunks written in order) to `path`
 * atomically and durably. On failure the temporary file is removed and the old file is untouched.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[], options: AtomicWriteOptions = {}): void {
  const dir = dirname(path)
  if (options.mkdir ?? true) mkdirSync(dir, { recursive: true })
  const chunks = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data
  const temporary = atomicTempPath(path)
  let fd: number | null = null
  try {
    fd = openSync(temporary, 'wx', 0o644)
    for (const chunk of chunks) {
      let written = 0
      while (written < chunk.byteLength) written += writeSync(fd, chunk, written)
    }
    fsyncSync(fd)
    closeSync(fd)
    fd = null
    renameSync(temporary, path)
  } catch (error) {
    if (fd !== null) closeSync(fd)
    rmSync(temporary, { force: true })
    throw error
  }
  syncFolder(dir)
}

/** Make a rename in `dir` durable; not every platform can fsync a folder (Windows), which is harmless. */
function syncFolder(dir: string): void {
  let fd: number
  try {
    fd = openSync(dir, 'r')
  } catch {
    return
  }
  try {
    fsyncSync(fd)
  } catch {
    /* EISDIR/EPERM/EINVAL where folders cannot be fsynced: the data itself is already on disk */
  } finally {
    closeSync(fd)
  }
}
