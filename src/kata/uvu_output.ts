// Reading what a crashed grading child printed on stderr: the line a student can act on. (Scores
// never come from output: see protocol.ts.)
import { oneLine } from './format.ts'

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
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
