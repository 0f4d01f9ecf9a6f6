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
