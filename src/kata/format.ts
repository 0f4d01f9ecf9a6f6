// Turning a failed test's error into text a student can act on: expected and actual values (with
// Infinity, -Infinity and NaN as themselves, and the first differing array index), fast-check's
// counterexample and seed with the inner failure, and no uvu operator tags. Runs inside the child
// (where the live error object is), so it must never throw on hostile values.

const MAX_VALUE = 200

function isTypedArray(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView)
}

/** A value as a student would write it: 1e-7, -Infinity, NaN, [1, [2, 3]], { a: 1 }. */
export function formatValue(value: unknown, depth = 0): string {
  try {
    if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
    if (typeof value === 'string') return JSON.stringify(value)
    if (typeof value === 'bigint') return `${value}n`
    if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'symbol') return String(value)
    if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`
    if (depth > 4) return '[...]'
    if (Array.isArray(value) || isTypedArray(value)) {
      const items = Array.from(value as ArrayLike<unknown>, (v) => formatValue(v, depth + 1))
      const prefix = isTypedArray(value) ? `${value.constructor.name} ` : ''
      return clip(`${prefix}[${items.join(', ')}]`)
    }
    if (value instanceof Error) return `${value.name}: ${value.message}`
    const entries = Object.entries(value as object).map(([k, v]) => `${k}: ${formatValue(v, depth + 1)}`)
    return clip(`{ ${entries.join(', ')} }`)
  } catch {
    return '[a value that cannot be printed]'
  }
}

function clip(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 3)}...` : text
}

/** Where two values first differ, as "[1][0]" (arrays) or ".key"; '' when they differ at the top. */
export function firstDifference(actual: unknown, expected: unknown, path = ''): string | null {
  try {
    if (Object.is(actual, expected)) return null
    const list = (x: unknown) => Array.isArray(x) || isTypedArray(x)
    if (list(actual) && list(expected)) {
      const a = actual as ArrayLike<unknown>
      const e = expected as ArrayLike<unknown>
      for (let i = 0; i < Math.min(a.length, e.length); i++) {
        const d = firstDifference(a[i], e[i], `${path}[${i}]`)
        if (d !== null) return d
      }
      return a.length === e.length ? null : `${path}[${Math.min(a.length, e.length)}]`
    }
    if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
      for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
        const d = firstDifference((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`)
        if (d !== null) return d
      }
      return null
    }
    return path
  } catch {
    return path
  }
}

function at(value: unknown, path: string): unknown {
  let v = value
  for (const m of path.matchAll(/\[(\d+)\]|\.([^.[]+)/g)) v = (v as Record<string, unknown> | undefined)?.[m[1] ?? m[2]!]
  return v
}

interface AssertionLike {
  message: string
  operator?: string
  expects?: unknown
  actual?: unknown
  generated?: boolean
}

function isAssertion(err: unknown): err is Error & AssertionLike {
  return err instanceof Error && err.name === 'Assertion' && 'operator' in err
}

/** One uvu Assertion: the message without its "(equal)" tag, then expected and actual. */
function formatAssertion(err: Error & AssertionLike): string {
  const op = String(err.operator ?? '')
  const message = err.message.replace(/\s*\((\w+)\)\s*$/, '').replace(/:\s*$/, '')
  // ok/not/unreachable carry no values worth printing (true vs false).
  if (['ok', 'not', 'unreachable', 'type', 'instance', 'throws', 'match', 'snapshot', 'fixture'].includes(op)) {
    return op === 'match' && err.generated ? `${message}: got ${formatValue(err.actual)}, which does not match ${formatValue(err.expects)}` : message
  }
  const negated = op.startsWith('not')
  if (negated) return `${message}: both are ${formatValue(err.actual)}`
  const diff = firstDifference(err.actual, err.expects)
  const where = diff ? ` (first difference at ${diff}: expected ${formatValue(at(err.expects, diff))}, got ${formatValue(at(err.actual, diff))})` : ''
  // A custom message that already states the values (say support.ts's assertClose) keeps its own words.
  if (!err.generated && /expected/i.test(message)) return `${message}${where}`
  return `${message}: expected ${formatValue(err.expects)}, got ${formatValue(err.actual)}${where}`
}

/** fast-check's "Property failed after N tests\n{ seed: S, path: P, ... }\nCounterexample: X ..." */
function formatProperty(err: Error): string | null {
  const m = /^Property failed after (\d+) tests?/.exec(err.message)
  if (!m) return null
  const seed = /seed:\s*(-?\d+)/.exec(err.message)?.[1]
  const path = /path:\s*"([^"]*)"/.exec(err.message)?.[1]
  const example = /Counterexample:\s*(.*)/.exec(err.message)?.[1]
  const inner = (err as { cause?: unknown }).cause
  const innerText = inner === undefined ? /Got error:\s*(.*)/.exec(err.message)?.[1] ?? '' : describeError(inner)
  return [
    `property failed after ${m[1]} test(s)`,
    example !== undefined ? `counterexample ${example}` : '',
    seed !== undefined ? `seed ${seed}${path ? `, path "${path}"` : ''}` : '',
    innerText ? `because: ${innerText}` : '',
  ].filter(Boolean).join('; ')
}

/** The whole failure as text (may span lines: results.json keeps it whole). */
export function describeError(err: unknown): string {
  try {
    if (isAssertion(err)) return formatAssertion(err)
    if (err instanceof Error) return formatProperty(err) ?? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`
    return `thrown value ${formatValue(err)}`
  } catch {
    return 'an error that cannot be printed'
  }
}

/** Shortens to one display line. */
export function oneLine(text: string, max = 240): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat
}
