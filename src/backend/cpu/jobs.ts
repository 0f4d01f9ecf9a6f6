// A job, as every thread sees it: one kernel, its arguments, and a range of its output cut into
// items that threads claim one at a time from a shared counter (so a thread slowed down by another
// process simply claims fewer). The description lives in the control block at the start of the
// shared memory; this file is what the main thread and the workers both run.
import type { Kernels } from './wasm.ts'
import { kernelNames } from './wasm.ts'

// Int32 slots of the control block.
export const NEXT = 0 // the next item to claim
export const ITEMS = 1 // how many items
export const KERNEL = 2 // index in kernelNames
export const RANGE_ARG = 3 // the argument that receives an item's start (its end goes in the next one)
export const GRAIN = 4 // range length per item
export const TOTAL = 5 // end of the whole range
export const FAILED = 6 // set by the first thread that throws: the others stop claiming
export const ARG_COUNT = 7
export const ARGS = 8
export const MAX_ARGS = 24
/**
 * Worker w's slot: a job counter (bumped to wake it), its turn in the current job, its state, and
 * a heartbeat (items finished). The turn is POSTED when the main thread offers the job; the worker
 * takes it (POSTED -> RUNNING) when it wakes, or the main thread withdraws it (POSTED -> IDLE) if
 * all the items were claimed before the worker got there: a worker that wakes late never holds the
 * main thread up, and never touches a job that is not its own.
 */
export const SLOTS = 64
export const SEQ = 0
export const TURN = 1
export const STATE = 2
export const BEAT = 3
export const SLOT_SIZE = 4
export const IDLE = 0
export const POSTED = 1
export const RUNNING = 2
export const STARTING = 0
export const READY = 1
export const DEAD = 2
/** Where a failing worker writes its error message (bytes), and its length (int slot). */
export const MESSAGE_AT = 4096
export const MESSAGE_MAX = 4096
export const MESSAGE_LENGTH = 32
export const CONTROL_INTS = (MESSAGE_AT + MESSAGE_MAX) / 4

/** Claim and run items until none are left (or another thread failed). Returns how many it ran. */
export function runItems(ctl: Int32Array, kernels: Kernels, beat?: () => void): number {
  const run = kernels[kernelNames[ctl[KERNEL]!]!] as (...args: number[]) => void
  const args = Array.from(ctl.subarray(ARGS, ARGS + ctl[ARG_COUNT]!))
  const items = ctl[ITEMS]!
  const grain = ctl[GRAIN]!
  const total = ctl[TOTAL]!
  const at = ctl[RANGE_ARG]!
  let ran = 0
  for (;;) {
    if (Atomics.load(ctl, FAILED) !== 0) return ran
    const item = Atomics.add(ctl, NEXT, 1)
    if (item >= items) return ran
    args[at] = item * grain
    args[at + 1] = Math.min(total, item * grain + grain)
    run(...args)
    ran++
    beat?.()
  }
}

/** Record a worker's failure where the main thread will read it. */
export function reportFailure(ctl: Int32Array, error: unknown): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  const bytes = new TextEncoder().encode(text).subarray(0, MESSAGE_MAX)
  new Uint8Array(ctl.buffer, MESSAGE_AT, MESSAGE_MAX).set(bytes)
  Atomics.store(ctl, MESSAGE_LENGTH, bytes.length)
  Atomics.store(ctl, FAILED, 1)
}

export function failureMessage(ctl: Int32Array): string {
  const length = Atomics.load(ctl, MESSAGE_LENGTH)
  return new TextDecoder().decode(new Uint8Array(ctl.buffer, MESSAGE_AT, length).slice())
}
