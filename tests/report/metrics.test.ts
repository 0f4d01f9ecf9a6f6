// Metrics files: any table of numbers (NaN, infinities and -0 included), strings and gaps comes
// back from CSV and from JSON exactly; the CSV's header and cells follow the rows' keys in order.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  metricColumns,
  metricSeries,
  metricsToCsv,
  metricsToJson,
  parseMetricsCsv,
  parseMetricsJson,
  readMetricsCsv,
  readMetricsJson,
  writeMetricsFiles,
  type MetricRow,
} from '../../src/report/metrics.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-metrics-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

// Values exactly as a reader should see them again: Object.is tells -0 from 0 and NaN from itself.
function assertSameRows(actual: MetricRow[], expected: readonly MetricRow[]) {
  assert.is(actual.length, expected.length)
  expected.forEach((row, r) => {
    const present = Object.entries(row).filter(([, v]) => v !== null && v !== undefined)
    assert.equal(Object.keys(actual[r]!).sort(), present.map(([k]) => k).sort(), `row ${r} columns`)
    for (const [k, v] of present) assert.ok(Object.is(actual[r]![k], v), `row ${r} column ${k}: expected ${String(v)}, got ${String(actual[r]![k])}`)
  })
}

const column = fc.constantFrom('epoch', 'split', 'loss', 'kl', 'test mse', 'a,b', 'say "hi"', 'line\nbreak', ' padded ')
const text = fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'Z', ',', '"', '\n', '\r', ' ', '1', '.', 'é', 'e') }).filter((s) => !['NaN', 'Infinity', '-Infinity'].includes(s))
const cell = fc.oneof(fc.double(), fc.integer(), text, fc.constant(null), fc.constant(undefined))
const rows = fc.array(fc.dictionary(column, cell, { maxKeys: 5 }), { maxLength: 6 })

test('CSV and JSON round-trip any rows exactly: numbers, strings (commas, quotes, newlines), gaps', () => {
  fc.assert(
    fc.property(rows, (table) => {
      assertSameRows(parseMetricsCsv(metricsToCsv(table)), table)
      assertSameRows(parseMetricsJson(metricsToJson(table)), table)
    }),
    { numRuns: 500 },
  )
})

test('the CSV header is the keys in first-seen order; cells follow it; gaps are empty; strings quoted', () => {
  const table: MetricRow[] = [
    { epoch: 1, split: 'train', loss: 0.30000000000000004 },
    { epoch: 1, split: 'test', loss: NaN, kl: -0 },
    { epoch: 2, kl: 1e-7, loss: undefined, split: null },
  ]
  assert.equal(metricColumns(table), ['epoch', 'split', 'loss', 'kl'])
  assert.is(metricsToCsv(table), 'epoch,split,loss,kl\n1,"train",0.30000000000000004,\n1,"test",NaN,-0\n2,,,1e-7\n')
  assert.is(metricsToJson(table), '[\n  {"epoch": 1, "split": "train", "loss": 0.30000000000000004},\n  {"epoch": 1, "split": "test", "loss": "NaN", "kl": -0},\n  {"epoch": 2, "kl": 1e-7}\n]\n')
  assert.is(metricsToJson([]), '[]\n')
})

test('writeMetricsFiles writes both files atomically; the readers give the rows back', () => {
  const table: MetricRow[] = Array.from({ length: 3 }, (_, e) => ({ epoch: e + 1, train_loss: 300 / (e + 1), test_loss: e === 2 ? Infinity : 310 / (e + 1) }))
  const sub = join(dir, 'run')
  writeMetricsFiles(sub, 'metrics', table.slice(0, 1))
  const paths = writeMetricsFiles(sub, 'metrics', table) // rewritten each epoch
  assert.equal(paths, { json: join(sub, 'metrics.json'), csv: join(sub, 'metrics.csv') })
  assert.equal(readdirSync(sub).sort(), ['metrics.csv', 'metrics.json'])
  assertSameRows(readMetricsCsv(paths.csv), table)
  assertSameRows(readMetricsJson(paths.json), table)
  assert.is(readFileSync(paths.csv, 'utf8').split('\n')[0], 'epoch,train_loss,test_loss')
})

test('the CSV reader takes CRLF line ends, bare words as strings, and an empty file as no rows', () => {
  assertSameRows(parseMetricsCsv('a,b\r\n1,x\r\n,2.5\r\n'), [{ a: 1, b: 'x' }, { b: 2.5 }])
  assert.equal(parseMetricsCsv(''), [])
  assert.equal(parseMetricsCsv('a\n'), [])
  assertSameRows(parseMetricsCsv('a'), [])
})

test('malformed files get errors with the file name and the place', () => {
  assert.throws(() => parseMetricsCsv('a,b\n1\n', 'm.csv'), /m.csv: row 1 has 1 fields, the header has 2/)
  assert.throws(() => parseMetricsCsv('a\n"open\n', 'm.csv'), /m.csv: unterminated quoted field in record 2/)
  assert.throws(() => parseMetricsCsv('a\n"x"y\n', 'm.csv'), /m.csv: unexpected "y" after a quoted field in record 2/)
  assert.throws(() => parseMetricsJson('{', 'm.json'), /m.json: not valid JSON/)
  assert.throws(() => parseMetricsJson('{}', 'm.json'), /m.json: expected an array of row objects, got object/)
  assert.throws(() => parseMetricsJson('[1]', 'm.json'), /m.json: row 0 is not an object/)
  assert.throws(() => parseMetricsJson('[{"a": [1]}]', 'm.json'), /m.json: row 0 column "a" holds \[1\]; expected a number or a string/)
  assertSameRows(parseMetricsJson('[{"a": null, "b": 2}]'), [{ b: 2 }])
  assert.throws(() => metricsToCsv([{ '': 1 }]), /row 0 has an empty column name/)
  assert.throws(() => metricsToCsv([{ a: true as unknown as number }]), /row 0 column "a" holds a boolean; expected a number, a string or nothing/)
})

test('metricSeries turns rows into plot series, one per split, skipping rows without numbers', () => {
  const table: MetricRow[] = [
    { epoch: 1, split: 'train', loss: 3 },
    { epoch: 1, split: 'test', loss: 4 },
    { epoch: 2, split: 'train', loss: NaN },
    { epoch: 2, split: 'test' },
    { epoch: 3, loss: 1 },
  ]
  assert.equal(metricSeries(table, 'epoch', 'loss', 'split'), [
    { name: 'train', points: [[1, 3], [2, NaN]] },
    { name: 'test', points: [[1, 4]] },
    { name: '(none)', points: [[3, 1]] },
  ])
  assert.equal(metricSeries(table, 'epoch', 'loss').map((s) => [s.name, s.points.length]), [['loss', 4]])
})

test.run()
