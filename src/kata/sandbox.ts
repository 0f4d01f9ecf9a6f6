// Where a grading child runs: a fresh copy of the trusted tree per child (so a submission that
// rewrites a graded test, another exercise or its own solution changes only its own throwaway
// copy), without the graded exercise's own reference solution (nothing to import or read), and,
// when the grader runs as root (as Gradescope does), as an unprivileged uid of its own over a tree
// it cannot write, so that every process it leaves behind can be found and killed by uid.
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The node_modules next to the grader's own code: fixture trees and exports may lack one. */
const GRADER_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url))

const GRADER_KATA = fileURLToPath(new URL('.', import.meta.url))
/** Where a child tree holds its copy of the harness (src/kata/harness and what it imports). */
export const CHILD_HARNESS_DIR = '.grader'

/** What every child tree holds, where present in the trusted root. */
const TREE_ENTRIES = ['package.json', 'tsconfig.json', 'src', 'solutions', 'exercises', 'tests/graded', 'tests/helpers']

/**
 * The trusted tree read into memory once, before any child runs: a child that rewrites the files
 * on disk (as it can when the grader is not root) changes nothing the later children get.
 */
export interface Snapshot {
  files: Map<string, Buffer>
  /** The real node_modules every child tree links to. */
  nodeModules: string
}

/** Reads root's TREE_ENTRIES (and `extra`) into memory; links and node_modules are left out. */
export function snapshotTree(root: string, extra: string[] = []): Snapshot {
  const files = new Map<string, Buffer>()
  const add = (rel: string) => {
    const path = join(root, rel)
    if (!existsSync(path)) return
    const st = lstatSync(path)
    if (st.isSymbolicLink() || rel.split('/').includes('node_modules')) return
    if (st.isDirectory()) for (const name of readdirSync(path).sort()) add(`${rel}/${name}`)
    else if (st.isFile()) files.set(rel, readFileSync(path))
  }
  for (const entry of [...TREE_ENTRIES, ...extra]) add(posix.normalize(entry))
  const modules = existsSync(join(root, 'node_modules')) ? join(root, 'node_modules') : GRADER_NODE_MODULES
  return { files, nodeModules: realpathSync(modules) }
}

export interface ChildTreeOptions {
  snapshot: Snapshot
  /** Repository-relative paths left out (the graded exercise's reference solution). */
  omit?: string[]
  /** Repository-relative path -> text written over the copy (a mutant, a submission's file). */
  overrides?: Map<string, string>
  /** Make it readable by every user and writable by none but root (for an unprivileged child). */
  readOnlyForOthers?: boolean
}

/** Writes the snapshot into a new temp directory; the caller removes it (removeChildTree). */
export function makeChildTree(opts: ChildTreeOptions): string {
  const dir = mkdtempSync(join(tmpdir(), 'genkata-grade-'))
  const omit = new Set((opts.omit ?? []).map((p) => posix.normalize(p)))
  const write = (rel: string, data: Buffer | string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), data)
  }
  for (const [rel, data] of opts.snapshot.files) if (!omit.has(rel)) write(rel, data)
  for (const [rel, text] of opts.overrides ?? []) write(rel, text)
  // The harness runs from the copy too: an unprivileged child may not be able to read the grader's
  // own tree (a private temp dir, a home directory).
  mkdirSync(join(dir, CHILD_HARNESS_DIR), { recursive: true })
  cpSync(join(GRADER_KATA, 'harness'), join(dir, CHILD_HARNESS_DIR, 'harness'), { recursive: true })
  cpSync(join(GRADER_KATA, 'format.ts'), join(dir, CHILD_HARNESS_DIR, 'format.ts'))
  symlinkSync(opts.snapshot.nodeModules, join(dir, 'node_modules'), 'dir')
  if (opts.readOnlyForOthers) makeReadOnlyForOthers(dir)
  return dir
}

function makeReadOnlyForOthers(dir: string): void {
  chmodSync(dir, 0o755)
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const st = lstatSync(path)
    if (st.isSymbolicLink()) continue
    if (st.isDirectory()) makeReadOnlyForOthers(path)
    else chmodSync(path, 0o644)
  }
}

export function removeChildTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** Whether children can be given a uid of their own (the grader runs as root on Linux). */
export function canDropPrivileges(): boolean {
  return process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0
}

/**
 * A uid no other process on the machine uses: a random one above the usual ranges, so killing
 * "every process of this uid" ends only what this grader's child started.
 */
export function freshUid(): number {
  return 200_000 + Math.floor(Math.random() * 1_000_000)
}

/** Pids of processes running as `uid` (Linux /proc). */
export function pidsOfUid(uid: number): number[] {
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8')
      const m = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status)
      // A zombie is dead already, only waiting for its parent to reap it.
      if (m && (Number(m[1]) === uid || Number(m[2]) === uid) && !/^State:\s+Z/m.test(status)) pids.push(Number(name))
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

/** Pids of this user's processes whose initial environment carries `marker` (non-root cleanup). */
export function pidsWithEnvMarker(marker: string): number[] {
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
    try {
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${name}/status`, 'utf8'))) continue
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(marker)) pids.push(Number(name))
    } catch {
      // gone, or not ours
    }
  }
  return pids
}

/** Kills the processes `find` lists until none is left (a forking process may race the first pass). */
export async function killAll(find: () => number[]): Promise<void> {
  if (process.platform !== 'linux') return
  for (let pass = 0; pass < 20; pass++) {
    const pids = find()
    if (pids.length === 0) return
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}
