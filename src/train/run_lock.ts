// One owner per run folder. A training creates the folder's lock file exclusively ('wx': it fails
// if the file exists), writes who holds it (pid, host, start time), and removes it when the run
// ends, also when it throws. A second training on the same folder is refused at once, naming the
// first. A lock whose pid is dead on this host is stale (a run killed by a signal or kill -9 never
// reaches its cleanup: training is synchronous, so a signal handler would not run before the loop
// ends) and is replaced with a warning. A lock from another host cannot be checked and is refused.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { LOCK_FILE } from './run_folder.ts'

export interface LockOwner {
  pid: number
  host: string
  /** ISO 8601 */
  startedAt: string
}

export class RunFolderBusy extends Error {
  override name = 'RunFolderBusy'
  constructor(message: string, readonly owner: LockOwner | null) {
    super(message)
  }
}

export interface RunLock {
  readonly path: string
  readonly owner: LockOwner
  /** Removes the lock file if it is still this process's; safe to call twice. */
  release(): void
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.startedAt === 'string') return parsed as LockOwner
  } catch {
    // unreadable: reported below
  }
  return null
}

const describe = (o: LockOwner) => `pid ${o.pid} on ${o.host}, started ${o.startedAt}`

/**
 * Takes the lock of the run folder `dir` (which must exist) or throws RunFolderBusy naming its
 * holder. `warn` hears about a stale lock being replaced.
 */
export function acquireRunLock(dir: string, options: { warn?: (line: string) => void; now?: () => Date } = {}): RunLock {
  const path = join(dir, LOCK_FILE)
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: (options.now ?? (() => new Date()))().toISOString() }
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number
    try {
      fd = openSync(path, 'wx', 0o644)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = readOwner(path)
      if (holder === null) {
        throw new RunFolderBusy(`${dir} is locked by ${path}, which names no owner (pid, host, start time): if no training is running there, remove it`, null)
      }
      if (holder.host === owner.host && holder.pid !== process.pid && !alive(holder.pid)) {
        options.warn?.(`warning: ${path} was left by a training that is gone (${describe(holder)}); taking it over`)
        rmSync(path, { force: true })
        continue
      }
      throw new RunFolderBusy(`${dir} is in use by another training (${describe(holder)}): wait for it to end, or choose another --out`, holder)
    }
    try {
      writeSync(fd, JSON.stringify(owner) + '\n')
    } finally {
      closeSync(fd)
    }
    let released = false
    return {
      path,
      owner,
      release() {
        if (released) return
        released = true
        const now = readOwner(path)
        if (now && now.pid === owner.pid && now.host === owner.host && now.startedAt === owner.startedAt) rmSync(path, { force: true })
      },
    }
  }
  throw new RunFolderBusy(`${dir}: could not take ${path} (another training took it at the same time)`, readOwner(path))
}
