// Per-epoch metrics as JSON (for programs) and CSV (for spreadsheets and pandas), written
// atomically after every epoch so a crash leaves the last complete table, and read back.
//
// A row maps column names to a number, a string, or nothing (null/undefined: the cell stays
// empty). Columns are the rows' keys in first-seen order. Numbers are printed exactly: JavaScript's
// shortest round-trip form, "-0" for negative zero, NaN and +-Infinity by name (a diverged loss is
// a result too). CSV quotes every string cell and no number, so reading restores the types. JSON
// has no NaN: non-finite numbers go as the strings "NaN", "Infinity", "-Infinity", and come back
// as numbers, so a string cell holding exactly one of those names would come back as a number.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from './atomic.ts'

export type MetricValue = number | string | null | undefined
export type MetricRow = Record<string, MetricValue>

const present = (v: MetricValue): v is number | string => v !== null && v !== undefined

export function metricColumns(rows: readonly MetricRow[]): string[] {
  const seen = new Set<string>()
  rows.forEach((row, i) => {
    for (const [k, v] of Object.entries(row)) {
      if (k === '') throw new RangeError(`metrics: row ${i} has an empty column name`)
      if (present(v) && typeof v !== 'number' && typeof v !== 'string') {
        throw new TypeError(`metrics: row ${i} column "${k}" holds a ${typeof v}; expected a number, a string or nothing`)
      }
      seen.add(k)
    }
  })
  return [...seen]
}

export const formatNumber = (v: number) => (Object.is(v, -0) ? '-0' : String(v))

const NUMBER = /^(-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?|NaN|-?Infinity)$/i
const quote = (s: string) => `"${s.replaceAll('"', '""')}"`

export function metricsToCsv(rows: readonly MetricRow[]): string {
  const columns = metricColumns(rows)
  const header = columns.map((c) => (/[",\r\n]/.test(c) || c !== c.trim() ? quote(c) : c)).join(',')
  const cell = (v: MetricValue) => (!present(v) ? '' : typeof v === 'number' ? formatNumber(v) : quote(v))
  return [header, ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\n') + '\n'
}

// RFC 4180 records: fields split on commas, quoted fields may hold commas, quotes ("") and newlines.
// Each field comes back with whether it was quoted.
function parseCsvRecords(text: string, what: string): { value: string; quoted: boolean }[][] {
  const records: { value: string; quoted: boolean }[][] = []
  let record: { value: string; quoted: boolean }[] = []
  let i = 0
  const body = text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text
  if (text === '') return []
  for (;;) {
    let value = ''
    let quoted = false
    if (body[i] === '"') {
      quoted = true
      i++
      for (;;) {
        const j = body.indexOf('"', i)
        if (j < 0) throw new Error(`${what}: unterminated quoted field in record ${records.length + 1}`)
        value += body.slice(i, j)
        if (body[j + 1] === '"') {
          value += '"'
          i = j + 2
        } else {
          i = j + 1
          break
        }
      }
    } else {
      while (i < body.length && body[i] !== ',' && body[i] !== '\n' && body[i] !== '\r') value += body[i++]
    }
    record.push({ value, quoted })
    if (i >= body.length) break
    if (body[i] === ',') {
      i++
      continue
    }
    if (body[i] === '\r' && body[i + 1] === '\n') i++
    if (body[i] !== '\n' && body[i] !== '\r') throw new Error(`${what}: unexpected "${body[i]}" after a quoted field in record ${records.length + 1}`)
    i++
    records.push(record)
    record = []
  }
  records.push(record)
  return records
}

export function parseMetricsCsv(text: string, what = 'metrics.csv'): MetricRow[] {
  const records = parseCsvRecords(text, what)
  if (records.length === 0) return []
  const [header, ...body] = records
  // A header of one empty field is a table with no columns (every row empty).
  const columns = header!.length === 1 && header![0]!.value === '' ? [] : header!.map((f) => f.value)
  return body.map((fields, r) => {
    if (fields.length !== Math.max(1, columns.length)) {
      throw new Error(`${what}: row ${r + 1} has ${fields.length} fields, the header has ${columns.length}`)
    }
    const row: MetricRow = {}
    columns.forEach((c, k) => {
      const { value, quoted } = fields[k]!
      if (quoted) row[c] = value
      else if (value === '') return
      else row[c] = NUMBER.test(value) ? Number(value) : value
    })
    return row
  })
}

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity'])

export function metricsToJson(rows: readonly MetricRow[]): string {
  const columns = metricColumns(rows)
  const value = (v: number | string) => (typeof v === 'string' ? JSON.stringify(v) : Number.isFinite(v) ? formatNumber(v) : `"${v}"`)
  const line = (row: MetricRow) =>
    '{' +
    columns
      .filter((c) => present(row[c]))
      .map((c) => `${JSON.stringify(c)}: ${value(row[c]!)}`)
      .join(', ') +
    '}'
  return rows.length ? `[\n  ${rows.map(line).join(',\n  ')}\n]\n` : '[]\n'
}

export function parseMetricsJson(text: string, what = 'metrics.json'): MetricRow[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new Error(`${what}: not valid JSON (${err instanceof Error ? err.message : String(err)})`)
  }
  if (!Array.isArray(parsed)) throw new Error(`${what}: expected an array of row objects, got ${typeof parsed}`)
  return parsed.map((row: unknown, r) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error(`${what}: row ${r} is not an object`)
    const out: MetricRow = {}
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === 'string') out[k] = NON_FINITE.has(v) ? Number(v) : v
      else if (typeof v === 'number' || v === null) out[k] = v ?? undefined
      else throw new Error(`${what}: row ${r} column "${k}" holds ${JSON.stringify(v)}; expected a number or a string`)
      if (out[k] === undefined) delete out[k]
    }
    return out
  })
}

// Writes <dir>/<name>.json and <dir>/<name>.csv; returns their paths.
export function writeMetricsFiles(dir: string, name: string, rows: readonly MetricRow[]): { json: string; csv: string } {
  const json = join(dir, `${name}.json`)
  const csv = join(dir, `${name}.csv`)
  writeFileAtomic(json, metricsToJson(rows))
  writeFileAtomic(csv, metricsToCsv(rows))
  return { json, csv }
}

export function readMetricsJson(path: string): MetricRow[] {
  return parseMetricsJson(readFileSync(path, 'utf8'), path)
}

export function readMetricsCsv(path: string): MetricRow[] {
  return parseMetricsCsv(readFileSync(path, 'utf8'), path)
}

// Plot series from metric rows: `y` against `x`, one series per value of the `by` column
// (train, test) or a single series named after `y`. Rows without a number for x or y are left
// out; a NaN value is kept, so the plot can say it skipped it.
export function metricSeries(rows: readonly MetricRow[], x: string, y: string, by?: string): { name: string; points: [number, number][] }[] {
  const groups = new Map<string, [number, number][]>()
  for (const row of rows) {
    const [vx, vy] = [row[x], row[y]]
    if (typeof vx !== 'number' || typeof vy !== 'number') continue
    const name = by === undefined ? y : present(row[by]) ? String(row[by]) : '(none)'
    if (!groups.has(name)) groups.set(name, [])
    groups.get(name)!.push([vx, vy])
  }
  return [...groups].map(([name, points]) => ({ name, points }))
}
