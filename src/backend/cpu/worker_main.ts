// A cpu backend worker thread: instantiate the kernels over the shared memory, then wait for jobs
// (jobs.ts) and run items until the process exits. Errors are caught and reported through the
// control block, so the main thread throws them instead of waiting forever.
import { workerData } from 'node:worker_threads'
import { instantiate } from './wasm.ts'
import { BEAT, CONTROL_INTS, DEAD, IDLE, POSTED, READY, RUNNING, SEQ, STATE, TURN, reportFailure, runItems } from './jobs.ts'

const { module, memory, slot } = workerData as { module: WebAssembly.Module; memory: WebAssembly.Memory; slot: number }
const ctl = new Int32Array(memory.buffer, 0, CONTROL_INTS)
try {
  const kernels = instantiate(module, memory)
  // Read the job counter before announcing readiness: the first job may follow at once.
  let seen = Atomics.load(ctl, slot + SEQ)
  Atomics.store(ctl, slot + STATE, READY)
  const beat = () => Atomics.add(ctl, slot + BEAT, 1)
  for (;;) {
    Atomics.wait(ctl, slot + SEQ, seen)
    seen = Atomics.load(ctl, slot + SEQ)
    // Withdrawn while asleep: the job is finished or belongs to someone else.
    if (Atomics.compareExchange(ctl, slot + TURN, POSTED, RUNNING) !== POSTED) continue
    try {
      runItems(ctl, kernels, beat)
    } catch (error) {
      reportFailure(ctl, error)
    }
    Atomics.store(ctl, slot + TURN, IDLE)
    Atomics.notify(ctl, slot + TURN)
  }
} finally {
  Atomics.store(ctl, slot + STATE, DEAD)
  Atomics.notify(ctl, slot + TURN)
}
