// No import cycles in src/ and solutions/, type-only imports included (the check madge's
// `--circular` would make). The checker itself is tested on a small tree with known cycles.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { buildImportGraph, describeCycles, findCycles, importSpecifiers } from './import_graph.ts'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'genkata-cycles-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

test('importSpecifiers finds every kind of import and ignores comments and strings', () => {
  const found = importSpecifiers(
    [
      "import { a } from './a.ts'",
      "import type { B } from './b.ts'",
      "import { type C, type D } from './c.ts'",
      "import e, { type E } from './e.ts'",
      "import './side.ts'",
      "export * from './star.ts'",
      "export type { F } from './f.ts'",
      'export {\n  g,\n  h as i,\n} from "./multi.ts"',
      "const lazy = await import('./lazy.ts')",
      "// import { x } from './commented.ts'",
      "/* export * from './block.ts' */",
      "throw new Error(\"import the library from 'src/index.ts'\")",
      "const t = `import x from './template.ts' ${`nested ${1}`} done`",
      "const re = /import '[^']*'|`/g, half = 1 / 2, d = x / y / z",
      "import { k } from './after_template.ts'",
    ].join('\n'),
  )
  const from = (specifier: string, typeOnly = false) => ({ specifier, typeOnly, kind: 'from' })
  assert.equal(found, [
    from('./a.ts'),
    from('./b.ts', true),
    from('./c.ts', true),
    from('./e.ts'),
    from('./star.ts'),
    from('./f.ts', true),
    from('./multi.ts'),
    from('./after_template.ts'),
    { specifier: './side.ts', typeOnly: false, kind: 'bare' },
    { specifier: './lazy.ts', typeOnly: false, kind: 'dynamic' },
  ])
})

test('findCycles names a cycle through a type-only import and a #-import, and nothing in an acyclic tree', () => {
  const root = tree({
    'package.json': JSON.stringify({ imports: { '#lib/*': { exercises: './exercises/*.ts', default: './lib/*.ts' } } }),
    'src/a.ts': "import type { B } from './b.ts'\nexport const a = 1",
    'src/b.ts': "import { c } from '#lib/c'\nexport type B = number",
    'lib/c.ts': "import { a } from '../src/a.ts'\nexport const c = a",
    'src/leaf.ts': "import { a } from './a.ts'\nexport const leaf = a",
    'src/self.ts': "export * from './self.ts'",
  })
  try {
    const graph = buildImportGraph(root, ['src', 'lib'])
    const cycles = findCycles(graph)
    const sorted = [...cycles].sort((x, y) => (x[0]! < y[0]! ? -1 : 1))
    assert.equal(sorted, [['lib/c.ts', 'src/a.ts', 'src/b.ts', 'lib/c.ts'], ['src/self.ts', 'src/self.ts']])
    assert.match(describeCycles(graph, cycles), 'lib/c.ts -> src/a.ts -(type)-> src/b.ts -> lib/c.ts')
    const acyclic = tree({
      'package.json': '{}',
      'src/a.ts': "import type { B } from './b.ts'\nexport const a = 1",
      'src/b.ts': "import { x } from 'some-package'\nexport type B = number",
    })
    try {
      assert.equal(findCycles(buildImportGraph(acyclic, ['src'])), [])
    } finally {
      rmSync(acyclic, { recursive: true, force: true })
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('an import that resolves to nothing is an error naming the file', () => {
  const root = tree({ 'package.json': '{}', 'src/a.ts': "import { x } from './missing.ts'" })
  try {
    assert.throws(() => buildImportGraph(root, ['src']), /src\/a\.ts: cannot resolve '\.\/missing\.ts'/)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('src/ and solutions/ have no import cycle, type-only imports included', () => {
  const graph = buildImportGraph(repo, ['src', 'solutions'])
  assert.ok(graph.size > 100, `expected the whole library, found ${graph.size} files`)
  const cycles = findCycles(graph)
  assert.ok(cycles.length === 0, `import cycles:\n${describeCycles(graph, cycles)}`)
})

test.run()
