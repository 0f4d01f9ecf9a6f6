// The grader's pure parts: the report channel, scoring (weights, not started, blocked), the table,
// results.json, expectations.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  childEnv, conditionsFor, type ChildResult, type ExerciseResult, formatTable, scoreResult, selectExercises, testWeight,
  toGradescope, unmetExpectation,
} from '../../src/kata/grade.ts'
import { type Exercise, parseManifest } from '../../src/kata/manifest.ts'
import { type ChildMessage, parseChannel } from '../../src/kata/protocol.ts'
import { firstErrorLine } from '../../src/kata/uvu_output.ts'

// What Node prints on a crash, copied from a real run.
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
const run = (over: Partial<ChildResult>): ChildResult => ({ code: 0, signal: null, stdout: '', stderr: '', timedOut: false, seconds: 0.5, channel: parseChannel('', '-'), ...over })

test('firstErrorLine: the error line of a crash, or the last line', () => {
  assert.is(firstErrorLine(CRASH_STDERR), "SyntaxError: The requested module '#kata/tensor/broadcast' does not provide an export named 'nope'")
  assert.is(firstErrorLine("Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/x.ts'\n    at y"), "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/x.ts'")
  assert.is(firstErrorLine('Error: Transform failed with 1 error:\n/x.ts:3:4: ERROR: Expected ";"'), 'Error: Transform failed with 1 error: /x.ts:3:4: ERROR: Expected ";"')
  assert.is(firstErrorLine('Exiting early before testing is finished.\n'), 'Exiting early before testing is finished.')
  assert.is(firstErrorLine(''), null)
})

type T = Extract<ChildMessage, { type: 'test' }>
const passed = (name: string): T => ({ type: 'test', suite: '', name, outcome: 'passed' })
const failed = (name: string, error: string, notImplemented?: string): T => ({ type: 'test', suite: '', name, outcome: 'failed', error, notImplemented })
const skipped = (name: string): T => ({ type: 'test', suite: '', name, outcome: 'skipped' })
const SECRET = 's3cret'
/** A child run whose channel carried these messages (and "done" unless told otherwise). */
const ran = (messages: ChildMessage[], over: Partial<ChildResult> = {}, done = true): ChildResult => {
  const text = [...messages, ...(done ? [{ type: 'done' } as ChildMessage] : [])].map((m) => `${SECRET} ${JSON.stringify(m)}`).join('\n')
  return run({ channel: parseChannel(text, SECRET), ...over })
}
const ctx = { timeoutSeconds: 20, names: new Map([['1.1', 'strides'], ['1.2', 'broadcast']]) }

test('parseChannel: only lines with the secret count, nothing after "done"', () => {
  const forged = `${JSON.stringify({ type: 'test', suite: '', name: 'fake', outcome: 'passed' })}\nwrong ${JSON.stringify({ type: 'done' })}\n${SECRET} {broken`
  const report = parseChannel(`${forged}\n${SECRET} ${JSON.stringify(passed('a'))}\n${SECRET} {"type":"done"}\n${SECRET} ${JSON.stringify(passed('late'))}\n`, SECRET)
  assert.equal(report.tests.map((t) => t.name), ['a'])
  assert.is(report.done, true)
  assert.is(report.forged, 3)
  assert.is(parseChannel('', SECRET).done, false)
})

test('testWeight: " [xN]" at the end of the name, else 1', () => {
  assert.equal(['a', 'b [x3]', 'c [x12]', 'd [x0]', 'e [x3] more', 'f[x2]'].map(testWeight), [1, 3, 12, 1, 1, 1])
})

test('scoreResult: weighted, partial and skipped', () => {
  assert.equal(scoreResult(ex, ran([passed('a'), passed('b')]), ctx), { id: '1.2', name: 'broadcast', title: 'Broadcasting', maxScore: 10, seconds: 0.5, score: 10, status: 'passed', outcome: 'passed', detail: '', output: 'all tests passed' })
  // 1 of weight 3 + 1 passed out of 3 + 1 + 1 + 1 (skipped counts): 4/6 of 10.
  const partial = scoreResult(ex, ran([passed('left-aligned [x3]'), passed('b'), failed('c', 'expected 3, got 2'), skipped('d')]), ctx)
  assert.equal([partial.score, partial.status, partial.outcome, partial.detail], [6.67, '1 of 4 failed, 1 of 4 skipped', 'failed', '"c": expected 3, got 2'])
  assert.is(partial.output, '1 of 4 failed, 1 of 4 skipped\nFAILED "c": expected 3, got 2\nSKIPPED "d"')
  const weighted = scoreResult(ex, ran([failed('size-0 axes [x4]', 'x'), passed('b')]), ctx)
  assert.is(weighted.score, 2)
})

test('scoreResult: "not started" for an untouched stub; an unfinished earlier exercise is named', () => {
  const untouched = scoreResult(ex, ran([failed('a', 'exercise 1.2 is not implemented yet: the hint', '1.2'), failed('b', 'same', '1.2')]), ctx)
  assert.equal([untouched.score, untouched.status, untouched.outcome, untouched.detail], [0, 'not started', 'not started', ''])
  // Half done: the stub's message without its hint.
  const half = scoreResult(ex, ran([passed('a'), failed('b', 'exercise 1.2 is not implemented yet: the hint', '1.2')]), ctx)
  assert.is(half.detail, '"b": exercise 1.2 is not implemented yet (its stub still throws)')
  const blocked = scoreResult(ex, ran([failed('a', 'expected 1, got 2'), failed('b', 'exercise 1.1 ...', '1.1')]), ctx)
  assert.equal([blocked.status, blocked.detail], ['2 of 2 failed', '"b": needs exercise 1.1 (strides) first: it is not implemented yet'])
})

test('scoreResult: a crash, no "done", a timeout, zero tests, declarations from elsewhere', () => {
  const blockedLoad = scoreResult(ex, ran([{ type: 'crash', error: 'x', notImplemented: '1.1' }], { code: 1 }, false), ctx)
  assert.equal([blockedLoad.score, blockedLoad.status, blockedLoad.outcome, blockedLoad.detail], [0, 'blocked', 'failed', 'the graded file could not load: needs exercise 1.1 (strides) first'])
  assert.is(scoreResult(ex, ran([{ type: 'crash', error: 'x', notImplemented: '1.2' }], { code: 1 }, false), ctx).status, 'not started')
  const crash = scoreResult(ex, ran([{ type: 'crash', error: "SyntaxError: no export named 'nope'" }], { code: 1 }, false), ctx)
  assert.equal([crash.score, crash.status, crash.outcome, crash.detail], [0, 'crashed (exit 1)', 'crashed', "the graded file could not load: SyntaxError: no export named 'nope'"])
  // Tests passed, but the run never said "done" (process.exit in the code under test): 0.
  const cut = scoreResult(ex, ran([passed('a')], { code: 0 }, false), ctx)
  assert.equal([cut.score, cut.status], [0, 'crashed (exit 0)'])
  assert.match(cut.detail, /process\.exit/)
  assert.is(scoreResult(ex, ran([], { code: 1, stderr: CRASH_STDERR }, false), ctx).detail, "SyntaxError: The requested module '#kata/tensor/broadcast' does not provide an export named 'nope'")
  assert.is(scoreResult(ex, ran([], { code: null, signal: 'SIGSEGV' }, false), ctx).status, 'crashed (signal SIGSEGV)')
  const timeout = scoreResult(ex, ran([passed('a')], { code: null, signal: 'SIGKILL', timedOut: true }, false), { timeoutSeconds: 7 })
  assert.equal([timeout.score, timeout.status, timeout.outcome], [0, 'timed out after 7s', 'timed out'])
  const none = scoreResult(ex, ran([]), ctx)
  assert.equal([none.score, none.status, none.outcome], [0, 'no tests', 'no tests'])
  const noted = scoreResult(ex, ran([{ type: 'ignored', what: ['test "free"'] }, passed('a')]), ctx)
  assert.equal([noted.score, noted.status], [10, 'passed'])
  assert.match(noted.output, /ignored 1 test declaration\(s\) made outside the graded file: test "free"/)
})

const results: ExerciseResult[] = [
  { id: '1.1', name: 'strides', title: 'Strides', score: 10, maxScore: 10, status: 'passed', outcome: 'passed', detail: '', output: 'all tests passed', seconds: 1 },
  { id: '1.3', name: 'map-zip-reduce', title: 'Map zip reduce', score: 3.33, maxScore: 15, status: '2 of 3 failed', outcome: 'failed', detail: '"x": exercise 1.3 is not implemented yet: h', output: '2 of 3 failed\nFAILED "x": exercise 1.3 is not implemented yet: h\nFAILED "y": property failed\n  in full', seconds: 1 },
  { id: '2.1', name: 'toposort', title: 'Toposort', score: 0, maxScore: 10, status: 'timed out after 20s', outcome: 'timed out', detail: 'the test file did not finish', output: 'the test file did not finish', seconds: 20 },
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
  const out = toGradescope({ mode: 'isolated', results, seconds: 21.6 }, { visibility: { '1.3': 'hidden', toposort: 'after_due_date', default: 'visible' } })
  assert.is(out.score, 13.33)
  assert.is(out.execution_time, 22)
  assert.is(out.output, formatTable(results))
  assert.equal(out.tests[0], { name: '1.1 strides: Strides', number: '1.1', score: 10, max_score: 10, status: 'passed', output: 'all tests passed', visibility: 'visible' })
  // The per-exercise output keeps every failure whole, lines and all.
  assert.equal(out.tests[1], {
    name: '1.3 map-zip-reduce: Map zip reduce', number: '1.3', score: 3.33, max_score: 15, status: 'failed',
    output: '2 of 3 failed\nFAILED "x": exercise 1.3 is not implemented yet: h\nFAILED "y": property failed\n  in full', visibility: 'hidden',
  })
  assert.equal([out.tests[2]!.status, out.tests[2]!.visibility], ['failed', 'after_due_date'])
  assert.equal(Object.keys(out), ['score', 'output', 'tests', 'execution_time'])
})

test('unmetExpectation: full and zero', () => {
  assert.equal(unmetExpectation(results, 'full').map((l) => l.split(':')[0]), ['1.3 map-zip-reduce', '2.1 toposort'])
  // A timeout scores 0 but does not show the tests can fail on a stub: "zero" rejects it.
  assert.equal(unmetExpectation(results, 'zero').map((l) => l.split(':')[0]), ['1.1 strides', '1.3 map-zip-reduce', '2.1 toposort'])
  assert.equal(unmetExpectation(results.slice(0, 1), 'full'), [])
  const stubbed = { ...results[1]!, score: 0, status: '3 of 3 failed' }
  assert.equal(unmetExpectation([stubbed], 'zero'), [])
  assert.equal(unmetExpectation([{ ...stubbed, outcome: 'not started' }], 'zero'), [])
  assert.equal(unmetExpectation([{ ...stubbed, outcome: 'refused' }], 'zero').length, 1)
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
