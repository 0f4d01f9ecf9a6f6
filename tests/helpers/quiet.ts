// Training draws progress bars on stderr; tests run it with stderr muted to keep their output readable.
export function silenced<T>(fn: () => T): T {
  const write = process.stderr.write
  process.stderr.write = (() => true) as typeof process.stderr.write
  try {
    return fn()
  } finally {
    process.stderr.write = write
  }
}

/** The error fn throws (run silenced), or null when it returns. */
export function caught(fn: () => unknown): Error | null {
  try {
    silenced(fn)
    return null
  } catch (e) {
    return e as Error
  }
}
