// Reading what a uvu test file prints when run on its own (`node --import tsx file.test.ts`):
// the totals at the end and the first failure, reduced to one line a student can act on.

export interface UvuSummary {
  /** Tests that ran (uvu's "Total:"; skipped tests are not in it). */
  total: number
  passed: number
  skipped: number
  /** The first failure as one line: `"test name": message`, or null when none failed. */
  firstFailure: string | null
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}

const MAX_LINE = 240

/** Shortens to one display line. */
export function oneLine(text: string, max = MAX_LINE): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat
}

/**
 * Parses uvu's summary ("Total:", "Passed:", "Skipped:") and first failure from a test file's
 * stdout. Returns null when the totals are missing: the file crashed or never called test.run().
 */
export function parseUvuOutput(stdout: string): UvuSummary | null {
  const text = stripAnsi(stdout)
  // The totals block is printed once, at the very end; take the last one in case a test itself
  // printed something that looks like it.
  const tail = text.slice(text.lastIndexOf('Total:'))
  const count = (label: string) => {
    const m = new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(tail)
    return m ? Number(m[1]) : NaN
  }
  const total = count('Total')
  const passed = count('Passed')
  const skipped = count('Skipped')
  if (text.lastIndexOf('Total:') < 0 || !Number.isFinite(total) || !Number.isFinite(passed)) return null
  return {
    total,
    passed,
    skipped: Number.isFinite(skipped) ? skipped : 0,
    firstFailure: passed < total ? firstFailure(text) : null,
  }
}

// uvu prints a failure as `   FAIL  "name"` (or `   FAIL  Suite  "name"`), then the error message
// indented by four spaces, then for assertions a diff block, then the stack.
const FAIL_LINE = /^\s*FAIL\s{2}(?:(.+?)\s{2})?"(.*)"\s*$/
const EXPECTED = /^\+\+(.*?)\s+\(Expected\)$/
const ACTUAL = /^--(.*?)\s+\(Actual\)$/

function firstFailure(text: string): string | null {
  const lines = text.split('\n')
  const at = lines.findIndex((l) => FAIL_LINE.test(l))
  if (at < 0) return null
  const [, suite, name] = FAIL_LINE.exec(lines[at]!)!
  const label = suite ? `${suite} > "${name}"` : `"${name}"`
  const message = (lines[at + 1] ?? '').trim().replace(/\s{2,}\((\w+)\)$/, ' ($1)')
  // A one-value diff (`++3 (Expected)` / `--2 (Actual)`) fits on the line; bigger diffs do not.
  const rest = lines.slice(at + 2, at + 6).map((l) => l.trim()).filter((l) => l !== '')
  const expected = EXPECTED.exec(rest[0] ?? '')
  const actual = ACTUAL.exec(rest[1] ?? '')
  const diff = expected && actual ? ` expected ${expected[1]}, got ${actual[1]}` : ''
  return oneLine(`${label}: ${message}${diff}`)
}

// Node's report of an uncaught error: "TypeError: x", "Error [ERR_MODULE_NOT_FOUND]: ...",
// "NotImplementedError: exercise 1.2 ...".
const ERROR_LINE = /^\s*(?:Uncaught\s+)?(?:[A-Za-z_$][\w$]*)?(?:Error|Exception)\b(?:\s*\[[A-Z0-9_]+\])?:?\s/

/** The most useful line of a crashed child's stderr, or null if there is nothing there. */
export function firstErrorLine(stderr: string): string | null {
  const lines = stripAnsi(stderr).split('\n').map((l) => l.trimEnd())
  const i = lines.findIndex((l) => ERROR_LINE.test(l))
  if (i >= 0) {
    // "Error: Transform failed with 1 error:" says little without the line that follows.
    const line = lines[i]!.trim()
    const next = lines.slice(i + 1).find((l) => l.trim() !== '')
    return oneLine(line.endsWith(':') && next ? `${line} ${next.trim()}` : line)
  }
  const last = lines.filter((l) => l.trim() !== '' && !/^\s*at\s/.test(l)).pop()
  return last ? oneLine(last) : null
}
