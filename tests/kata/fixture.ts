// Throwaway repository trees for the kata tests: a temp dir with the given files, the real
// node_modules linked in (so fixture test files can import uvu) and the real NotImplementedError.
// No tests here; uvu's directory mode loads this file too, which is harmless.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))

const made: string[] = []

export function makeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'genkata-kata-'))
  made.push(root)
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir')
  const notImplemented = 'src/kata/not_implemented.ts'
  writeTree(root, { [notImplemented]: readFileSync(join(REPO, notImplemented), 'utf8'), ...files })
  return root
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
}

export function removeTrees(): void {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true })
}

export function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8')
}

export function manifestJson(exercises: Array<{ id: string; name: string; file: string; points?: number; test?: string }>): string {
  return JSON.stringify({
    exercises: exercises.map((e) => ({
      id: e.id,
      name: e.name,
      chapter: Number(e.id.split('.')[0]),
      file: e.file,
      title: `the ${e.name} exercise`,
      points: e.points ?? 10,
      test: e.test ?? `tests/graded/${e.id}_${e.name}.test.ts`,
    })),
  }, null, 2)
}

export const PACKAGE_JSON = `${JSON.stringify({ name: 'fixture', version: '0.0.0', type: 'module', scripts: { test: 'x' } }, null, 2)}\n`
