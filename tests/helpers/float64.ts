// Tests that need float64 (gradcheck computes in float64) cannot run on a float32-only backend:
// gpu.js computes in float32 and its backends refuse float64 tensors. Under such a backend
// (GENKATA_BACKEND=gpu.js-webasm, say) these tests are skipped, and the skip is printed with its
// reason, instead of failing on the refusal or passing on float32 numbers.
import type { Test } from 'uvu'
import { getBackend } from '../../src/index.ts'

/** Why float64 tests cannot run on the current backend, or null when they can. */
export function float64SkipReason(): string | null {
  const backend = getBackend() as { name: string; supportsFloat64?: boolean }
  return backend.supportsFloat64 === false ? `backend ${backend.name} computes in float32 only` : null
}

let skipped = 0

/** `test`, or a visible skip when the current backend has no float64. */
export function needsFloat64(test: Test): (name: string, fn: () => void | Promise<void>) => void {
  return (name, fn) => {
    const reason = float64SkipReason()
    if (reason === null) return test(name, fn)
    if (skipped++ === 0) process.once('exit', () => console.error(`${skipped} float64 test(s) skipped: ${reason}`))
    console.error(`skipped (needs float64; ${reason}): ${name}`)
    test.skip(name, fn)
  }
}
