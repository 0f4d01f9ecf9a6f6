// The grader's pure parts: reading uvu's output, scoring, the table, results.json, expectations.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  childEnv, conditionsFor, type ChildResult, type ExerciseResult, formatTable, scoreResult, selectExercises, toGradescope,
  unmetExpectation,
} from '../../src/kata/grade.ts'
import { type Exercise, parseManifest } from '../../src/kata/manifest.ts'
import { firstErrorLine, parseUvuOutput, stripAnsi } from '../../src/kata/uvu_output.ts'

// What uvu 0.5 prints for a file run on its own, copied from real runs.
const ALL_PASS = '• • •   (3 / 3)\n\n  Total:     3\n  Passed:    3\n  Skipped:   0\n  Duration:  1.20ms\n\n'
const STUB_FAIL = [
  '✘ ✘ •   (1 / 3)',
  '',
  '   FAIL  "contiguous strides of [2,3,4]"',
  '    exercise 1.1 is not implemented yet: walk the axes from last to first',
  '    at contiguousStrides (/repo/exercises/tensor/strides.ts:14:9)',
  '    at Object.handler (/repo/tests/graded/1.1_strides.test.ts:6:3)',
  '',
  '',
  '   FAIL  "offset of an index"',
  '    exercise 1.1 is not implemented yet: sum index times stride',
  '',
  '',
  '  Total:     3',
  '  Passed:    1',
  '  Skipped:   0',
  '  Duration:  2.48ms',
  '',
].join('\n')
const ASSERT_FAIL_IN_SUITE = [
  ' broadcast  ✘   (0 / 1)',
  '',
  '   FAIL  broadcast  "shape of  [3,1] with [4]"',
  '    Expected values to be strictly equal:  (is)',
  '',
  '        ++3    (Expected)',
  '        --2    (Actual)',
  '        ',
  '    at assert (file:///repo/node_modules/uvu/assert/index.mjs:33:8)',
  '',
  '  Total:     1',
  '  Passed:    0',
  '  Skipped:   2',
  '  Duration:  2.48ms',
].join('\n')
const CRASH_STDERR = [
  'file:///repo/tests/graded/1.2_broadcast.test.ts:3',
  "import { nope } from '#kata/tensor/broadcast'",
  '         ^^^^',
  "SyntaxError: The requested module '#kata/tensor/broadcast' does not provide an export named 'nope'",
  '    at ModuleJob._instantiate (node:internal/modules/esm/module_job:123:21)',
  '',
  'Node.js v20.20.2',
].join('\n')

const ex: Exercise = { id: '1.2', name: 'broadcast', chapter: 1, file: 'tensor/broadcast', title: 'Broadcasting', points: 10, test: 'tests/graded/1.2_broadcast.test.ts' }
const run = (over: Partial<ChildResult>): ChildResult => ({ code: 0, signal: null, stdout: '', stderr: '', timedOut: false, seconds: 0.5, ...over })

test('parseUvuOutput: totals and no failure when all pass', () => {
  assert.equal(parseUvuOutput(ALL_PASS), { total: 3, passed: 3, skipped: 0, firstFailure: null })
})

test('parseUvuOutput: the first failure, with a stub\'s NotImplementedError message', () => {
  assert.equal(parseUvuOutput(STUB_FAIL), {
    total: 3, passed: 1, skipped: 0,
    firstFailure: '"contiguous strides of [2,3,4]": exercise 1.1 is not implemented yet: walk the axes from last to first',
  })
})

test('parseUvuOutput: a suite name, a one-value diff, skipped tests, colours', () => {
  const coloured = ASSERT_FAIL_IN_SUITE.replace('FAIL', '\x1b[1m\x1b[41m FAIL \x1b[22m\x1b[49m').replace('Passed:    0', '\x1b[31mPassed:    0\x1b[39m')
  assert.equal(parseUvuOutput(coloured), {
    total: 1, passed: 0, skipped: 2,
    firstFailure: 'broadcast > "shape of  [3,1] with [4]": Expected values to be strictly equal: (is) expected 3, got 2',
  })
  assert.is(stripAnsi('\x1b[31mred\x1b[39m'), 'red')
})

test('parseUvuOutput: zero tests, and no totals at all', () => {
  assert.equal(parseUvuOutput('\n  Total:     0\n  Passed:    0\n  Skipped:   0\n  Duration:  0.1ms\n'), { total: 0, passed: 0, skipped: 0, firstFailure: null })
  assert.is(parseUvuOutput(''), null)
  assert.is(parseUvuOutput('• •'), null)
})

test('firstErrorLine: the error line of a crash, or the last line', () => {
  assert.is(firstErrorLine(CRASH_STDERR), "SyntaxError: The requested module '#kata/tensor/broadcast' does not provide an export named 'nope'")
  assert.is(firstErrorLine("Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/x.ts'\n    at y"), "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/x.ts'")
  assert.is(firstErrorLine('Error: Transform failed with 1 error:\n/x.ts:3:4: ERROR: Expected ";"'), 'Error: Transform failed with 1 error: /x.ts:3:4: ERROR: Expected ";"')
  assert.is(firstErrorLine('Exiting early before testing is finished.\n'), 'Exiting early before testing is finished.')
  assert.is(firstErrorLine(''), null)
})

test('scoreResult: full, partial and skipped', () => {
  assert.equal(scoreResult(ex, run({ stdout: ALL_PASS }), 20), { id: '1.2', name: 'broadcast', title: 'Broadcasting', maxScore: 10, seconds: 0.5, score: 10, status: 'passed', outcome: 'passed', detail: '' })
  const partial = scoreResult(ex, run({ code: 1, stdout: STUB_FAIL }), 20)
  assert.is(partial.score, 3.33)
  assert.is(partial.status, '2 of 3 failed')
  assert.is(partial.outcome, 'failed')
  assert.match(partial.detail, /not implemented yet: walk the axes/)
  // Skipped tests count in the denominator: 0 of 3 earned.
  const skipped = scoreResult(ex, run({ code: 1, stdout: ASSERT_FAIL_IN_SUITE }), 20)
  assert.is(skipped.score, 0)
  assert.is(skipped.status, '1 of 3 failed, 2 of 3 skipped')
  const onlySkips = scoreResult(ex, run({ stdout: '  Total:     2\n  Passed:    2\n  Skipped:   2\n' }), 20)
  assert.is(onlySkips.score, 5)
  assert.is(onlySkips.status, '2 of 4 skipped')
})

test('scoreResult: a crash, a timeout, zero tests, an exit code after passing tests', () => {
  const crash = scoreResult(ex, run({ code: 1, stderr: CRASH_STDERR }), 20)
  assert.is(crash.score, 0)
  assert.is(crash.status, 'crashed (exit 1)')
  assert.is(crash.outcome, 'crashed')
  assert.match(crash.detail, /^SyntaxError: The requested module/)
  const killed = scoreResult(ex, run({ code: null, signal: 'SIGSEGV' }), 20)
  assert.is(killed.status, 'crashed (signal SIGSEGV)')
  const timeout = scoreResult(ex, run({ code: null, signal: 'SIGKILL', timedOut: true, stdout: '• • ' }), 7)
  assert.is(timeout.score, 0)
  assert.is(timeout.status, 'timed out after 7s')
  assert.is(timeout.outcome, 'timed out')
  // Even with every test passed before the limit, a timeout scores 0.
  assert.is(scoreResult(ex, run({ timedOut: true, stdout: ALL_PASS }), 7).score, 0)
  const none = scoreResult(ex, run({ stdout: '  Total:     0\n  Passed:    0\n  Skipped:   0\n' }), 20)
  assert.is(none.score, 0)
  assert.is(none.status, 'no tests')
  assert.is(none.outcome, 'no tests')
  const late = scoreResult(ex, run({ code: 1, stdout: ALL_PASS, stderr: 'Error: unhandled rejection\n' }), 20)
  assert.is(late.score, 0)
  assert.is(late.status, 'crashed after the tests (exit 1)')
})

const results: ExerciseResult[] = [
  { id: '1.1', name: 'strides', title: 'Strides', score: 10, maxScore: 10, status: 'passed', outcome: 'passed', detail: '', seconds: 1 },
  { id: '1.3', name: 'map-zip-reduce', title: 'Map zip reduce', score: 3.33, maxScore: 15, status: '2 of 3 failed', outcome: 'failed', detail: '"x": exercise 1.3 is not implemented yet: h', seconds: 1 },
  { id: '2.1', name: 'toposort', title: 'Toposort', score: 0, maxScore: 10, status: 'timed out after 20s', outcome: 'timed out', detail: 'the test file did not finish', seconds: 20 },
]

test('formatTable: aligned columns and a total', () => {
  const lines = formatTable(results).split('\n')
  assert.equal(lines, [
    'id   exercise        points    status               first failure',
    '1.1  strides         10/10     passed',
    '1.3  map-zip-reduce  3.33/15   2 of 3 failed        "x": exercise 1.3 is not implemented yet: h',
    '2.1  toposort        0/10      timed out after 20s  the test file did not finish',
    '     total           13.33/35',
  ])
})

test('toGradescope: the results.json shape', () => {
  const out = toGradescope({ mode: 'isolated', results, seconds: 21.6 })
  assert.is(out.score, 13.33)
  assert.is(out.execution_time, 22)
  assert.equal(out.tests[0], { name: '1.1 strides: Strides', number: '1.1', score: 10, max_score: 10, status: 'passed', output: 'all tests passed', visibility: 'visible' })
  assert.equal(out.tests[1], {
    name: '1.3 map-zip-reduce: Map zip reduce', number: '1.3', score: 3.33, max_score: 15, status: 'failed',
    output: '2 of 3 failed. First failure: "x": exercise 1.3 is not implemented yet: h', visibility: 'visible',
  })
  assert.is(out.tests[2]!.status, 'failed')
})

test('unmetExpectation: full and zero', () => {
  assert.equal(unmetExpectation(results, 'full').map((l) => l.split(':')[0]), ['1.3 map-zip-reduce', '2.1 toposort'])
  // A timeout scores 0 but does not show the tests can fail on a stub: "zero" rejects it.
  assert.equal(unmetExpectation(results, 'zero').map((l) => l.split(':')[0]), ['1.1 strides', '1.3 map-zip-reduce', '2.1 toposort'])
  assert.equal(unmetExpectation(results.slice(0, 1), 'full'), [])
  const stubbed = { ...results[1]!, score: 0, status: '3 of 3 failed' }
  assert.equal(unmetExpectation([stubbed], 'zero'), [])
})

test('selectExercises by id or name; conditions per mode; a clean child env', () => {
  const manifest = parseManifest({ exercises: [ex, { ...ex, id: '2.1', name: 'toposort', file: 'autograd/toposort' }] })
  assert.equal(selectExercises(manifest).map((e) => e.id), ['1.2', '2.1'])
  assert.equal(selectExercises(manifest, ['toposort']).map((e) => e.id), ['2.1'])
  assert.equal(selectExercises(manifest, ['2.1', 'broadcast']).map((e) => e.id), ['1.2', '2.1'])
  assert.throws(() => selectExercises(manifest, ['9.9']), /no exercise "9.9"; known: 1.2 broadcast, 2.1 toposort/)
  assert.equal(conditionsFor(ex, 'isolated'), ['ex-broadcast'])
  assert.equal(conditionsFor(ex, 'all'), ['exercises'])
  assert.equal(conditionsFor(ex, 'reference'), [])
  assert.equal(childEnv({ PATH: '/bin', HOME: '/h', NODE_OPTIONS: '--conditions=exercises', NODE_V8_COVERAGE: '/c', FORCE_COLOR: '1', GENKATA_BACKEND: 'cpu' }), {
    PATH: '/bin', HOME: '/h', GENKATA_BACKEND: 'cpu', FORCE_COLOR: '0',
  })
  // Without a choice, grading runs on the reference backend: the one built from the student's kernels.
  assert.is(childEnv({ PATH: '/bin' }).GENKATA_BACKEND, 'reference')
})

test.run()
