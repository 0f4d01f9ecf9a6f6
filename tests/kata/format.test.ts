// Failure messages a student can act on (src/kata/format.ts), the static import check
// (src/kata/imports_check.ts), the zip writer, and the type-check parsing: real uvu Assertions and
// real fast-check failures go in, the table's one line and results.json's full text come out.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { describeError, firstDifference, formatValue, oneLine } from '../../src/kata/format.ts'
import { forbiddenImports } from '../../src/kata/imports_check.ts'
import { firstErrorsPerFile } from '../../src/kata/typecheck.ts'
import { readZip, writeZip } from '../../src/kata/zip.ts'
import { makeTree, removeTrees } from './fixture.ts'

test.after(removeTrees)

function caught(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

test('formatValue: Infinity, -Infinity, NaN and -0 as themselves; arrays, typed arrays, objects', () => {
  assert.is(formatValue([1, Infinity, -Infinity, NaN, -0]), '[1, Infinity, -Infinity, NaN, -0]')
  assert.is(formatValue(new Float32Array([0.5, 2])), 'Float32Array [0.5, 2]')
  assert.is(formatValue({ a: [1, 'x'], b: null, c: undefined }), '{ a: [1, "x"], b: null, c: undefined }')
  assert.is(formatValue(new Proxy({}, { ownKeys: () => { throw new Error('hostile') } })), '[a value that cannot be printed]')
  assert.is(formatValue(Array.from({ length: 500 }, (_, i) => i)).length, 200)
})

test('firstDifference: the path of the first differing element', () => {
  assert.is(firstDifference([[1, 2], [3, 4]], [[1, 2], [3, 5]]), '[1][1]')
  assert.is(firstDifference([1, 2], [1, 2, 3]), '[2]')
  assert.is(firstDifference({ a: [1, NaN] }, { a: [1, NaN] }), null)
  assert.is(firstDifference(2, 3), '')
})

test('describeError: uvu assertions show expected and actual, with no operator tag', () => {
  assert.is(describeError(caught(() => assert.is(1, 4))), 'Expected values to be strictly equal: expected 4, got 1')
  assert.is(
    describeError(caught(() => assert.equal([[1, 2], [3, Infinity]], [[1, 2], [3, NaN]]))),
    'Expected values to be deeply equal: expected [[1, 2], [3, NaN]], got [[1, 2], [3, Infinity]] (first difference at [1][1]: expected NaN, got Infinity)',
  )
  // A custom message keeps its words and gains the values.
  assert.is(describeError(caught(() => assert.equal([0, 1], [0, 2], 'strides of [2, 3]'))), 'strides of [2, 3]: expected [0, 2], got [0, 1] (first difference at [1]: expected 2, got 1)')
  // ...unless it already states them (support.ts's assertClose does).
  assert.is(describeError(caught(() => assert.ok(false, 'element [3]: expected 4, got 1'))), 'element [3]: expected 4, got 1')
  assert.is(describeError(caught(() => assert.not.equal([1], [1]))), 'Expected values not to be deeply equal: both are [1]')
  for (const text of [describeError(caught(() => assert.is(1, 4))), describeError(caught(() => assert.ok(false)))]) assert.not.match(text, /\((ok|is|equal)\)/)
  assert.is(describeError(caught(() => { throw new RangeError('bad axis') })), 'RangeError: bad axis')
  assert.is(describeError('a string'), 'thrown value "a string"')
})

test('describeError: a fast-check failure keeps the counterexample, the seed and the inner assertion', () => {
  const err = caught(() => fc.assert(fc.property(fc.integer({ min: 5, max: 9 }), (n) => assert.is(n + 1, n)), { seed: 42 }))
  const text = describeError(err)
  assert.match(text, /^property failed after 1 test\(s\); counterexample \[5\]; seed 42, path "0(:0)*"; because: Expected values to be strictly equal: expected 5, got 6$/)
  assert.is(oneLine(`a\n  b\n`), 'a b')
})

test('forbiddenImports: solutions/ and tests/ are off limits, through any exercise file it imports', () => {
  const root = makeTree({
    'exercises/a.ts': "import { b } from './sub/b.ts'\nimport { x } from '#kata/other'\nimport { t } from '../src/tensor.ts'\n// see ../solutions/a.ts\nexport const a = 1\n",
    'exercises/sub/b.ts': "export { b } from '../../solutions/a.ts'\n",
    'exercises/c.ts': "const m = await import('../tests/graded/1.1.test.ts')\nconst p = readFileSync('/repo/solutions/c.ts')\nimport z from '#private'\n",
    'exercises/d.ts': "import { ok } from './a.ts'\n",
  })
  assert.equal(forbiddenImports(root, 'exercises/a.ts'), ["exercises/sub/b.ts imports '../../solutions/a.ts'", "exercises/sub/b.ts names the path '../../solutions/a.ts'"])
  assert.equal(forbiddenImports(root, 'exercises/c.ts'), ["exercises/c.ts imports '../tests/graded/1.1.test.ts'", "exercises/c.ts imports '#private'", "exercises/c.ts names the path '../tests/graded/1.1.test.ts'", "exercises/c.ts names the path '/repo/solutions/c.ts'"])
  assert.equal(forbiddenImports(root, 'exercises/d.ts').length, 2)
  assert.equal(forbiddenImports(root, 'exercises/d.ts', new Map([['exercises/sub/b.ts', 'export const b = 2\n']])), [])
})

test('writeZip/readZip: a round trip with modes and CRCs', () => {
  const entries = [{ name: 'run_autograder', data: Buffer.from('#!/bin/bash\necho hi\n'), mode: 0o755 }, { name: 'a/b.txt', data: Buffer.alloc(5000, 7) }]
  const back = readZip(writeZip(entries))
  assert.equal(back.map((e) => [e.name, e.data.toString('hex'), e.mode]), entries.map((e) => [e.name, e.data.toString('hex'), e.mode ?? 0o644]))
  const broken = writeZip(entries)
  broken[47] = broken[47]! ^ 0xff // inside the first entry's packed data
  assert.throws(() => readZip(broken), /CRC mismatch|invalid/)
})

test('firstErrorsPerFile: the first tsc error of each exercise file', () => {
  const out = [
    "exercises/tensor/strides.ts(14,5): error TS2322: Type 'string' is not assignable to type 'number'.",
    'exercises/tensor/strides.ts(20,1): error TS1005: second',
    "src/x.ts(1,1): error TS2304: Cannot find name 'y'.",
    'exercises/nn/im2col.ts(3,9): error TS2554: Expected 2 arguments, but got 1.',
  ].join('\n')
  assert.equal([...firstErrorsPerFile(out).values()].map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`), [
    "exercises/tensor/strides.ts:14:5 TS2322: Type 'string' is not assignable to type 'number'.",
    'exercises/nn/im2col.ts:3:9 TS2554: Expected 2 arguments, but got 1.',
  ])
})

test.run()
