// The exercise generator, on fixture solution trees in temp dirs.
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  checkGeneration, GenerateError, importsField, planGeneration, secondHints, stringLiteral, stubSource, writeGeneration,
} from '../../src/kata/generate.ts'
import { parseManifest } from '../../src/kata/manifest.ts'
import { isNotImplementedError, NotImplementedError } from '../../src/kata/not_implemented.ts'
import { makeTree, manifestJson, PACKAGE_JSON, read, REPO, removeTrees, writeTree } from './fixture.ts'

test.after(removeTrees)

const opts = { id: '1.2', solutionPath: 'solutions/tensor/broadcast.ts', importSpecifier: '../../src/kata/not_implemented.ts' }

/** The problems stubSource reports for a source, or [] when it succeeds. */
function problemsOf(source: string): string[] {
  try {
    stubSource(source, opts)
    return []
  } catch (err) {
    if (err instanceof GenerateError) return err.problems
    throw err
  }
}

test('a region becomes a throw with the id and hint, at the BEGIN line\'s indentation', () => {
  const out = stubSource([
    "import { a } from '../../src/a.ts'",
    '',
    'export function foo(x: number): number {',
    '  if (x > 0) {',
    '    // BEGIN SOLUTION hint: double it',
    '    return x * 2',
    '    // END SOLUTION',
    '  }',
    '  return 0',
    '}',
    '',
  ].join('\n'), opts)
  const lines = out.split('\n')
  assert.ok(lines.includes('    // TODO(1.2): double it'))
  assert.ok(lines.includes("    throw new NotImplementedError('1.2', 'double it')"))
  assert.not.ok(out.includes('x * 2'), 'the solution code is gone')
  assert.not.ok(out.includes('SOLUTION'), 'no marker is left')
  assert.ok(lines.includes('  return 0'), 'code outside regions stays')
  assert.ok(out.endsWith('}\n'), 'the trailing newline stays')
  assert.match(lines[0]!, /GENERATED from solutions\/tensor\/broadcast\.ts/)
  assert.match(out, /do not edit/)
})

test('the import goes after the last import, multi-line ones included', () => {
  const out = stubSource([
    '// doc comment',
    "import { a } from '../../src/a.ts'",
    'import {',
    '  b,',
    '  c,',
    "} from '../../src/b.ts'",
    '',
    'const k = 1',
    'export function f(): number {',
    '  // BEGIN SOLUTION hint: h',
    '  return k',
    '  // END SOLUTION',
    '}',
  ].join('\n'), opts)
  const lines = out.split('\n')
  const at = lines.indexOf("import { NotImplementedError } from '../../src/kata/not_implemented.ts'")
  assert.ok(at > 0)
  assert.is(lines[at - 1], "} from '../../src/b.ts'")
  assert.is(lines.filter((l) => l.includes('NotImplementedError }')).length, 1)
})

test('without imports, the import goes after the leading comment block', () => {
  const out = stubSource(['// Exercise 1.2: doc', '// more doc', '', 'export const f = () => {', '  // BEGIN SOLUTION hint: h', '  return 1', '  // END SOLUTION', '}'].join('\n'), opts)
  const lines = out.split('\n')
  const at = lines.findIndex((l) => l.startsWith('import { NotImplementedError }'))
  assert.is(lines[at - 1], '// more doc')
  assert.ok(at < lines.indexOf('export const f = () => {'))
})

test('several regions in one file each get their throw', () => {
  const src = ['export function f() {', '  // BEGIN SOLUTION hint: one', '  return 1', '  // END SOLUTION', '}', 'export function g() {', '\t// BEGIN SOLUTION hint: two', '\treturn 2', '\t// END SOLUTION', '}'].join('\n')
  const out = stubSource(src, opts)
  assert.ok(out.includes("  throw new NotImplementedError('1.2', 'one')"))
  assert.ok(out.includes("\tthrow new NotImplementedError('1.2', 'two')"))
})

test('malformed markers are errors naming file:line', () => {
  const file = 'solutions/tensor/broadcast.ts'
  const cases: Array<[string[], RegExp]> = [
    [['// BEGIN SOLUTION hint: a', '// BEGIN SOLUTION hint: b', '// END SOLUTION'], new RegExp(`^${file}:2: nested BEGIN SOLUTION.*line 1`)],
    [['x()', '// END SOLUTION'], new RegExp(`^${file}:2: END SOLUTION without`)],
    [['', '', '  // BEGIN SOLUTION hint: a', 'x()'], new RegExp(`^${file}:3: BEGIN SOLUTION has no matching END`)],
    [['// BEGIN SOLUTION', 'x()', '// END SOLUTION'], new RegExp(`^${file}:1: BEGIN SOLUTION needs a one-line hint`)],
    [['// BEGIN SOLUTION hint:   ', '// END SOLUTION'], new RegExp(`^${file}:1: BEGIN SOLUTION needs a one-line hint`)],
    [['const a = 1 // BEGIN SOLUTION hint: x', '// END SOLUTION'], new RegExp(`^${file}:1: malformed marker`)],
    [['export const a = 1'], new RegExp(`^${file}:1: no BEGIN SOLUTION region`)],
    [["import { g } from '../autograd/toposort.ts'", '// BEGIN SOLUTION hint: h', '// END SOLUTION'], new RegExp(`^${file}:1: relative import '../autograd/toposort.ts' reaches into solutions/`)],
  ]
  for (const [lines, expected] of cases) {
    const problems = problemsOf(lines.join('\n'))
    assert.ok(problems.some((p) => expected.test(p)), `${JSON.stringify(lines)} gave ${JSON.stringify(problems)}`)
  }
  // Imports out of solutions/ (the library) are fine.
  assert.equal(problemsOf(["import { t } from '../../src/tensor/tensor.ts'", '// BEGIN SOLUTION hint: h', '// END SOLUTION'].join('\n')), [])
})

test('any one-line hint survives as a string literal', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (raw) => {
    const hint = raw.replace(/[\n\r\u2028\u2029]/g, ' ').trim()
    fc.pre(hint !== '')
    const line = stubSource(`// BEGIN SOLUTION hint: ${hint}\n// END SOLUTION`, opts).split('\n').find((l) => l.startsWith('throw '))!
    let thrown: unknown
    try {
      new Function('NotImplementedError', line)(NotImplementedError)
    } catch (err) {
      thrown = err
    }
    assert.ok(thrown instanceof NotImplementedError)
    assert.is(thrown.hint, hint)
    assert.is(thrown.exerciseId, '1.2')
  }))
  assert.is(stringLiteral("a'b\\c\n"), "'a\\'b\\\\c\\n'")
})

test('NotImplementedError carries the id and hint in its message', () => {
  const err = new NotImplementedError('2.3', 'd log(x)/dx = 1/x')
  assert.is(err.name, 'NotImplementedError')
  assert.match(err.message, /exercise 2\.3 .*not implemented yet: d log\(x\)\/dx = 1\/x/)
  assert.ok(err instanceof Error)
  assert.ok(isNotImplementedError(err))
  assert.not.ok(isNotImplementedError(new Error('x')))
})

const SOLUTION_A = [
  '// Exercise 1.1: doubling.',
  "import { helper } from '../../../src/lib/helper.ts'",
  '',
  'export function double(x: number): number {',
  '  // BEGIN SOLUTION hint: it\'s x + x, or 2 * x',
  '  return helper(x) * 2',
  '  // END SOLUTION',
  '}',
  '',
].join('\n')
const SOLUTION_B = [
  'export function triple(x: number): number {',
  '    // BEGIN SOLUTION hint: three times',
  '    // HINT 2: add x to itself, then once more',
  '    return x * 3',
  '    // END SOLUTION',
  '}',
  '',
].join('\n')

function fixtureRepo(): string {
  return makeTree({
    'package.json': PACKAGE_JSON,
    'solutions/manifest.json': manifestJson([
      { id: '1.1', name: 'double', file: 'deep/er/double' },
      { id: '2.1', name: 'triple', file: 'triple' },
    ]),
    'solutions/deep/er/double.ts': SOLUTION_A,
    'solutions/triple.ts': SOLUTION_B,
    'solutions/not_listed.ts': 'export const secret = 42\n',
    'src/lib/helper.ts': 'export const helper = (x: number): number => x\n',
  })
}

test('planGeneration: one file per manifest entry, import paths relative to each', () => {
  const root = fixtureRepo()
  const plan = planGeneration(root)
  assert.equal([...plan.files.keys()], ['exercises/deep/er/double.ts', 'exercises/triple.ts', 'exercises/hints.json'])
  // Second hints are collected for `npm run grade -- --hint`, and never reach the stub.
  assert.equal(JSON.parse(plan.files.get('exercises/hints.json')!), { '1.1': [], '2.1': ['add x to itself, then once more'] })
  assert.not.ok(plan.files.get('exercises/triple.ts')!.includes('HINT 2'))
  assert.ok(plan.files.get('exercises/deep/er/double.ts')!.includes("import { NotImplementedError } from '../../../src/kata/not_implemented.ts'"))
  assert.ok(plan.files.get('exercises/triple.ts')!.includes("import { NotImplementedError } from '../src/kata/not_implemented.ts'"))
  assert.ok(plan.files.get('exercises/deep/er/double.ts')!.includes("throw new NotImplementedError('1.1', 'it\\'s x + x, or 2 * x')"))
  assert.ok(plan.files.get('exercises/triple.ts')!.includes("    throw new NotImplementedError('2.1', 'three times')"))
})

test('stubSource: a HINT 2 line anywhere but right after BEGIN SOLUTION is an error', () => {
  const bad = 'export function f(): number {\n  // HINT 2: too early\n  // BEGIN SOLUTION hint: h\n  return 1\n  // HINT 2: too late\n  // END SOLUTION\n}\n'
  assert.throws(() => stubSource(bad, opts), (err: unknown) => {
    assert.equal((err as GenerateError).problems, [
      'solutions/tensor/broadcast.ts:2: "// HINT 2: ..." must be the line right after a BEGIN SOLUTION line',
      'solutions/tensor/broadcast.ts:5: "// HINT 2: ..." must be the line right after a BEGIN SOLUTION line',
    ])
    return true
  })
})

test('secondHints: the HINT 2 line right after each BEGIN SOLUTION, nowhere else', () => {
  const source = [
    '// BEGIN SOLUTION hint: one', '// HINT 2: first region', 'x', '// END SOLUTION',
    '// HINT 2: not after a BEGIN line', '  // BEGIN SOLUTION hint: two', '  y', '  // HINT 2: not right after', '  // END SOLUTION',
    '  // BEGIN SOLUTION hint: three', '  //HINT 2:   third region  ', '  // END SOLUTION',
  ].join('\n')
  assert.equal(secondHints(source), ['first region', 'third region'])
})

test('importsField: the pattern entry plus an exact entry per exercise', () => {
  const manifest = parseManifest(JSON.parse(manifestJson([{ id: '1.1', name: 'double', file: 'deep/er/double' }, { id: '2.1', name: 'triple', file: 'triple' }])))
  assert.equal(importsField(manifest), {
    '#kata/*': { exercises: './exercises/*.ts', default: './solutions/*.ts' },
    '#kata/deep/er/double': { 'ex-double': './exercises/deep/er/double.ts', exercises: './exercises/deep/er/double.ts', default: './solutions/deep/er/double.ts' },
    '#kata/triple': { 'ex-triple': './exercises/triple.ts', exercises: './exercises/triple.ts', default: './solutions/triple.ts' },
  })
  // Condition order matters in Node (first match wins): the per-exercise condition comes first.
  assert.equal(Object.keys(importsField(manifest)['#kata/triple']!), ['ex-triple', 'exercises', 'default'])
})

test('writeGeneration writes exercises/ and the imports field; checkGeneration finds stale files', async () => {
  const root = fixtureRepo()
  assert.equal(checkGeneration(root).sort(), [
    'missing: exercises/deep/er/double.ts',
    'missing: exercises/hints.json',
    'missing: exercises/triple.ts',
    'stale: package.json "imports" field',
  ])
  const report = writeGeneration(root)
  assert.equal(report.written, ['exercises/deep/er/double.ts', 'exercises/triple.ts', 'exercises/hints.json'])
  assert.ok(report.importsUpdated)
  assert.not.ok(existsSync(join(root, 'exercises/not_listed.ts')), 'files outside the manifest are not copied')
  assert.equal(checkGeneration(root), [])

  // package.json keeps its other fields, their order and 2-space format.
  const pkg = read(root, 'package.json')
  assert.equal(Object.keys(JSON.parse(pkg)), ['name', 'version', 'type', 'scripts', 'imports'])
  assert.ok(pkg.startsWith('{\n  "name": "fixture",\n'))
  assert.ok(pkg.endsWith('}\n'))

  // A second run changes nothing.
  assert.equal(writeGeneration(root), { written: [], removed: [], importsUpdated: false })

  // The generated stub loads and throws the right error.
  const mod = await import(pathToFileURL(join(root, 'exercises/deep/er/double.ts')).href)
  try {
    mod.double(1)
    assert.unreachable('the stub should throw')
  } catch (err) {
    assert.ok(isNotImplementedError(err), String(err))
    assert.is((err as NotImplementedError).exerciseId, '1.1')
  }

  // Stale, missing, extra, and a stale imports field are each reported.
  writeTree(root, { 'exercises/triple.ts': `${read(root, 'exercises/triple.ts')}// edited\n`, 'exercises/old/gone.ts': 'x\n', 'exercises/README.md': 'not ts: ignored\n' })
  rmSync(join(root, 'exercises/deep/er/double.ts'))
  const pkgObj = JSON.parse(read(root, 'package.json'))
  delete pkgObj.imports['#kata/triple']
  writeFileSync(join(root, 'package.json'), JSON.stringify(pkgObj, null, 2))
  assert.equal(checkGeneration(root).sort(), [
    'extra: exercises/old/gone.ts (not generated from solutions/manifest.json)',
    'missing: exercises/deep/er/double.ts',
    'stale: exercises/triple.ts',
    'stale: package.json "imports" field',
  ])
  const again = writeGeneration(root)
  assert.equal(again.removed, ['exercises/old/gone.ts'])
  assert.not.ok(existsSync(join(root, 'exercises/old')), 'an emptied directory is removed')
  assert.ok(existsSync(join(root, 'exercises/README.md')))
  assert.equal(checkGeneration(root), [])
})

test('a manifest file with no solution file, or no region, is an error', () => {
  const root = fixtureRepo()
  rmSync(join(root, 'solutions/triple.ts'))
  writeTree(root, { 'solutions/deep/er/double.ts': 'export const double = (x: number) => 2 * x\n' })
  try {
    planGeneration(root)
    assert.unreachable('should fail')
  } catch (err) {
    assert.instance(err, GenerateError)
    assert.equal((err as GenerateError).problems, [
      'solutions/deep/er/double.ts:1: no BEGIN SOLUTION region; every exercise file in solutions/manifest.json needs at least one',
      'solutions/triple.ts:1: missing (listed in solutions/manifest.json for exercise 2.1 triple)',
    ])
  }
})

test('the manifest is validated', () => {
  assert.throws(() => parseManifest({}), /expected \{ "exercises"/)
  assert.throws(() => parseManifest({ exercises: [{ id: '1.1', name: 'Bad Name', chapter: 1, file: 'a.ts', title: 't', points: 1, test: 't.ts' }] }), /name: expected .*\n.*file: expected/)
  const dup = JSON.parse(manifestJson([{ id: '1.1', name: 'a', file: 'a' }, { id: '1.1', name: 'b', file: 'b' }]))
  assert.throws(() => parseManifest(dup), /duplicate id "1.1"/)
})

test('the CLI: --check exits 1 listing stale files, generate fixes it, --check then exits 0', () => {
  const root = fixtureRepo()
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts/kata/generate.ts'), '--root', root, ...args], { cwd: REPO, encoding: 'utf8' })
  let r = cli('--check')
  assert.is(r.status, 1)
  assert.match(r.stderr, /missing: exercises\/triple\.ts/)
  assert.not.ok(existsSync(join(root, 'exercises')), '--check writes nothing')
  r = cli()
  assert.is(r.status, 0, r.stderr)
  assert.match(r.stdout, /wrote exercises\/triple\.ts/)
  r = cli('--check')
  assert.is(r.status, 0, r.stderr)
  writeTree(root, { 'solutions/triple.ts': SOLUTION_B.replace('three times', 'x + x + x') })
  r = cli('--check')
  assert.is(r.status, 1)
  assert.match(r.stderr, /stale: exercises\/triple\.ts/)
  writeTree(root, { 'solutions/triple.ts': SOLUTION_B.replace('    // END SOLUTION\n', '') })
  r = cli()
  assert.is(r.status, 1)
  assert.match(r.stderr, /solutions\/triple\.ts:2: BEGIN SOLUTION has no matching END SOLUTION/)
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace for a marker error')
})

test.run()
