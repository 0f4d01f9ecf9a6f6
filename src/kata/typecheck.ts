// `npm run grade` type-checks before it grades: tsc over the project, and for each exercise file
// the first TypeScript error in it (shown, not scored: tsx runs code with type errors anyway, and a
// student should see them before the test failures they cause).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export interface TypeError1 {
  /** Repository-relative file, e.g. exercises/tensor/strides.ts */
  file: string
  line: number
  column: number
  /** "TS2322: Type 'string' is not assignable to type 'number'." */
  message: string
}

// tsc --pretty false: "exercises/x.ts(14,5): error TS2322: message"
const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/

/** The first error per file under exercises/, in tsc's order. */
export function firstErrorsPerFile(tscOutput: string): Map<string, TypeError1> {
  const out = new Map<string, TypeError1>()
  for (const line of tscOutput.split('\n')) {
    const m = DIAGNOSTIC.exec(line.trim())
    if (!m) continue
    const file = m[1]!.replace(/\\/g, '/')
    if (!file.startsWith('exercises/') || out.has(file)) continue
    out.set(file, { file, line: Number(m[2]), column: Number(m[3]), message: m[4]! })
  }
  return out
}

/** Runs tsc in `root`; null when the project has no tsc or tsconfig (nothing to check). */
export function typecheck(root: string): Promise<Map<string, TypeError1> | null> {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  if (!existsSync(tsc) || !existsSync(join(root, 'tsconfig.json'))) return Promise.resolve(null)
  return new Promise((done) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    child.on('error', () => done(null))
    child.on('close', () => done(firstErrorsPerFile(out)))
  })
}
