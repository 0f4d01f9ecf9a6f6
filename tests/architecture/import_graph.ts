// The import graph of genkata's own TypeScript, and the cycles in it: what
// `madge --circular --extensions ts src solutions` reports, built here because madge's parser
// needs TypeScript's JavaScript API, which TypeScript 7 no longer has.
//
// Every edge counts, type-only ones included: static imports, `export ... from`, bare imports
// and dynamic import('...'). Relative specifiers resolve to files; `#kata/*` resolves through
// package.json "imports" with the default condition (solutions/), as Node does with no
// --conditions; packages are left out.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

export interface ImportEdge {
  /** Repository-relative path of the imported file. */
  to: string
  /** True for `import type` / `export type` (the whole statement is type-only). */
  typeOnly: boolean
}

export type ImportGraph = Map<string, ImportEdge[]>

/** Whether a `/` after this code starts a regular expression (rather than dividing). */
function regexMayStart(code: string): boolean {
  const before = code.trimEnd()
  if (before === '') return true
  if ('(,=:[!&|?{};~^%*+-<>'.includes(before[before.length - 1]!)) return true
  return /(?:^|[^.\w$])(?:return|typeof|case|in|of|void|throw|delete|new|yield|await)$/.test(before)
}

/** Comments, regular expressions and template text become spaces, string literals `'@N'` (N indexes `strings`): only code is left to match. */
function mask(source: string): { code: string; strings: string[] } {
  const strings: string[] = []
  let code = ''
  let i = 0
  // Template literals nest through ${ }: each open template's brace depth.
  const templates: number[] = []
  let depth = 0
  while (i < source.length) {
    const c = source[i]!
    const next = source[i + 1]
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++
      continue
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2)
      const stop = end < 0 ? source.length : end + 2
      code += source.slice(i, stop).replace(/[^\n]/g, ' ')
      i = stop
      continue
    }
    if (c === '/' && regexMayStart(code)) {
      let j = i + 1
      let inClass = false
      while (j < source.length && source[j] !== '\n' && (inClass || source[j] !== '/')) {
        if (source[j] === '\\') j++
        else if (source[j] === '[') inClass = true
        else if (source[j] === ']') inClass = false
        j++
      }
      j++
      while (j < source.length && /[a-z]/.test(source[j]!)) j++
      code += ' '.repeat(j - i)
      i = j
      continue
    }
    if (c === "'" || c === '"') {
      let j = i + 1
      let value = ''
      while (j < source.length && source[j] !== c && source[j] !== '\n') {
        if (source[j] === '\\') {
          value += source[j + 1] ?? ''
          j += 2
          continue
        }
        value += source[j]
        j++
      }
      strings.push(value)
      code += `'@${strings.length - 1}'`
      i = j + 1
      continue
    }
    if (c === '`' || (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth)) {
      // Skip template text up to its end or to the next ${, which opens code again.
      if (c === '}') templates.pop()
      let j = i + 1
      let reopened = false
      while (j < source.length && source[j] !== '`') {
        if (source[j] === '\\') {
          j += 2
          continue
        }
        if (source[j] === '$' && source[j + 1] === '{') {
          reopened = true
          j += 2
          break
        }
        j++
      }
      code += ' '
      if (reopened) templates.push(depth)
      i = reopened ? j : j + 1
      continue
    }
    if (c === '{') depth++
    if (c === '}') depth--
    code += c
    i++
  }
  return { code, strings }
}

// A specifier is a masked string '@N'. The clause between import/export and `from` holds only
// names, braces, commas, `*` and `as`/`type`.
const FROM = /(?<![.\w$])(import|export)(\s+type\b)?([\w\s{},*$]*?)\bfrom\s*'@(\d+)'/g
const BARE = /(?<![.\w$])import\s*'@(\d+)'/g
const DYNAMIC = /(?<![.\w$])import\s*\(\s*'@(\d+)'\s*\)/g

export interface ImportStatement {
  specifier: string
  /** The whole statement is type-only: erased when the file runs. */
  typeOnly: boolean
  /** `from`: import/export ... from; `bare`: import 'x' (for its side effects alone); `dynamic`: import('x'). */
  kind: 'from' | 'bare' | 'dynamic'
}

/** The module specifiers a TypeScript file imports. */
export function importSpecifiers(source: string): ImportStatement[] {
  const { code, strings } = mask(source)
  const found: ImportStatement[] = []
  for (const m of code.matchAll(FROM)) {
    // `import type X from`, or `import { type A, type B } from` where every name is a type.
    const clause = m[3]!.trim()
    const names = /^\{([^}]*)\}$/.exec(clause)?.[1]?.split(',').map((s) => s.trim()).filter(Boolean)
    const typeOnly = m[2] !== undefined || (names !== undefined && names.length > 0 && names.every((n) => n.startsWith('type ')))
    found.push({ specifier: strings[Number(m[4])]!, typeOnly, kind: 'from' })
  }
  for (const m of code.matchAll(BARE)) found.push({ specifier: strings[Number(m[1])]!, typeOnly: false, kind: 'bare' })
  for (const m of code.matchAll(DYNAMIC)) found.push({ specifier: strings[Number(m[1])]!, typeOnly: false, kind: 'dynamic' })
  return found
}

type ImportMap = Record<string, string | Record<string, string>>

/** Where a `#` specifier points with no --conditions: the exact entry, else the longest matching `prefix*` entry. */
function resolveImportsField(specifier: string, imports: ImportMap): string | null {
  const target = (entry: string | Record<string, string>) => (typeof entry === 'string' ? entry : entry.default ?? null)
  if (imports[specifier]) return target(imports[specifier]!)
  let best: { prefix: string; to: string } | null = null
  for (const [key, entry] of Object.entries(imports)) {
    const star = key.indexOf('*')
    if (star < 0) continue
    const prefix = key.slice(0, star)
    const suffix = key.slice(star + 1)
    if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix) || specifier.length < prefix.length + suffix.length) continue
    const to = target(entry)
    if (to && (!best || prefix.length > best.prefix.length)) {
      best = { prefix, to: to.replace('*', specifier.slice(prefix.length, specifier.length - suffix.length)) }
    }
  }
  return best?.to ?? null
}

function resolveFile(path: string): string | null {
  for (const candidate of [path, `${path}.ts`, join(path, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return null
}

export function listTs(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listTs(path))
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path)
  }
  return out.sort()
}

/**
 * The import graph of every .ts file under `roots` (relative to `root`), edges restricted to
 * files under those roots. An unresolvable relative or `#` import throws, naming the file.
 */
export function buildImportGraph(root: string, roots: readonly string[]): ImportGraph {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { imports?: ImportMap }
  const imports = pkg.imports ?? {}
  const files = roots.flatMap((r) => listTs(resolve(root, r)))
  const inside = new Set(files)
  const graph: ImportGraph = new Map()
  for (const file of files) {
    const edges: ImportEdge[] = []
    for (const { specifier, typeOnly } of importSpecifiers(readFileSync(file, 'utf8'))) {
      let path: string | null
      if (specifier.startsWith('.')) path = resolve(dirname(file), specifier)
      else if (specifier.startsWith('#')) {
        const to = resolveImportsField(specifier, imports)
        if (!to) throw new Error(`${relative(root, file)}: '${specifier}' matches no entry of package.json "imports"`)
        path = resolve(root, to)
      } else continue // a package
      const target = resolveFile(path)
      if (!target) throw new Error(`${relative(root, file)}: cannot resolve '${specifier}'`)
      if (inside.has(target)) edges.push({ to: relative(root, target), typeOnly })
    }
    graph.set(relative(root, file), edges)
  }
  return graph
}

/**
 * The import cycles: one per strongly connected component with more than one file (or a file that
 * imports itself), each as a closed path a -> b -> ... -> a, shortest first within its component.
 */
export function findCycles(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components.
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  let counter = 0
  const visit = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter)
    counter++
    stack.push(v)
    onStack.add(v)
    for (const { to } of graph.get(v) ?? []) {
      if (!index.has(to)) {
        visit(to)
        low.set(v, Math.min(low.get(v)!, low.get(to)!))
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v)!, index.get(to)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      const selfLoop = (graph.get(v) ?? []).some((e) => e.to === v)
      if (component.length > 1 || selfLoop) components.push(component)
    }
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v)
  // Within each component, the shortest cycle through its first file (breadth-first search back to it).
  return components.map((component) => {
    const members = new Set(component)
    const start = [...component].sort()[0]!
    const previous = new Map<string, string>()
    const queue = [start]
    while (queue.length) {
      const v = queue.shift()!
      for (const { to } of graph.get(v) ?? []) {
        if (!members.has(to)) continue
        if (to === start) {
          const path = [start]
          for (let at: string | undefined = v; at !== undefined && at !== start; at = previous.get(at)) path.splice(1, 0, at)
          return [...path, start]
        }
        if (!previous.has(to)) {
          previous.set(to, v)
          queue.push(to)
        }
      }
    }
    return [start, start]
  })
}

/** One line per cycle, edges marked "(type)" where the import is type-only. */
export function describeCycles(graph: ImportGraph, cycles: readonly string[][]): string {
  return cycles
    .map((cycle) =>
      cycle
        .map((file, i) => {
          if (i === 0) return file
          const edge = graph.get(cycle[i - 1]!)?.find((e) => e.to === file)
          return `${edge?.typeOnly ? '-(type)->' : '->'} ${file}`
        })
        .join(' '),
    )
    .join('\n')
}
