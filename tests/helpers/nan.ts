// Tests that need NaN to propagate through relu, clamp, maximum and minimum cannot hold on a backend
// whose compiler may assume no NaN (gpu.js-webgpu: WGSL allows it). There they are skipped, and
// the skip is printed with its reason, instead of failing on the backend's rules or passing on
// numbers that are not NaN.
import type { Test } from 'uvu'
import { getBackend } from '../../src/index.ts'

/** Why NaN propagation cannot be tested on the current backend, or null when it can. */
export function nanSkipReason(): string | null {
  const backend = getBackend() as { name: string; propagatesNaN?: boolean }
  return backend.propagatesNaN === false ? `backend ${backend.name} may assume no NaN (WGSL allows it)` : null
}

/** `test`, or a visible skip when the current backend does not guarantee NaN propagation. */
export function needsNaN(test: Test): (name: string, fn: () => void | Promise<void>) => void {
  return (name, fn) => {
    const reason = nanSkipReason()
    if (reason === null) return test(name, fn)
    console.error(`skipped (needs NaN propagation; ${reason}): ${name}`)
    test.skip(name, fn)
  }
}
