// Before an exercise is graded, its file (and the files of exercises/ it imports) must not reach
// into solutions/ or tests/: re-exporting the reference, or rewriting a graded test, is not a
// solution. A static look at the import specifiers and path-like strings; the child's copy of the
// tree also lacks the exercise's own reference, so a dynamic trick finds nothing to load.
import { existsSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'

// Specifiers of static imports/exports, dynamic import() and require() with a string literal.
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"`])([^'"`]+)\1/gm
// Any string literal at all: a path assembled for readFileSync counts too.
const STRINGS = /(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g
const FORBIDDEN_DIR = /(^|[\\/])(solutions|tests)([\\/]|$)/

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

/**
 * Problems with `file` (repository-relative, under exercises/) and the exercise files it imports
 * relatively, one line each ("exercises/x.ts imports '../../solutions/x.ts'"); [] when clean.
 * `overrides` replaces file texts (a mutant) without touching the disk.
 */
export function forbiddenImports(root: string, file: string, overrides?: Map<string, string>): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  const visit = (rel: string) => {
    if (seen.has(rel)) return
    seen.add(rel)
    const text = overrides?.get(rel) ?? (existsSync(join(root, rel)) ? readFileSync(join(root, rel), 'utf8') : null)
    if (text === null) return
    const code = stripComments(text)
    for (const m of code.matchAll(SPECIFIERS)) {
      const spec = m[2]!
      if (spec.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(rel), spec))
        if (!target.startsWith('exercises/') && FORBIDDEN_DIR.test(target)) problems.push(`${rel} imports '${spec}'`)
        else if (target.startsWith('exercises/')) visit(target.endsWith('.ts') ? target : `${target}.ts`)
      } else if (spec.startsWith('#') && !spec.startsWith('#kata/')) problems.push(`${rel} imports '${spec}'`)
      else if ((spec.startsWith('/') || spec.startsWith('file:')) && FORBIDDEN_DIR.test(spec)) problems.push(`${rel} imports '${spec}'`)
    }
    for (const m of code.matchAll(STRINGS)) {
      const s = m[2]!
      if (/(^|[\\/])solutions[\\/]/.test(s) || /(^|[\\/])tests[\\/]graded/.test(s)) problems.push(`${rel} names the path '${s}'`)
    }
  }
  visit(file)
  return [...new Set(problems)]
}
