// The cpu backend's threads: a job split over the workers gives the same bits as one thread, a
// failure in a worker or on the main thread comes back as an error (not a hang), a worker that stops
// answering is reported, and Node exits while the workers wait for work.
import { spawnSync } from 'node:child_process'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Strided } from '../../src/tensor/strided.ts'
import { cpuBackend } from '../../src/backend/cpu/index.ts'
import { parallel, parseThreads, setStallTimeout, setThreads, stopWorkers, threadInfo, waitForWorkers } from '../../src/backend/cpu/pool.ts'
import { alloc, beginCall, getRuntime, heap } from '../../src/backend/cpu/wasm.ts'
import { stage } from '../../src/backend/cpu/resident.ts'
import * as jobs from '../../src/backend/cpu/jobs.ts'
import type { Kernels } from '../../src/backend/cpu/wasm.ts'

const defaultThreads = parseThreads(process.env.GENKATA_THREADS)

function matrix(rows: number, cols: number, seed: number): Strided {
  let s = seed
  const data = new Float32Array(rows * cols).map(() => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5)
  return { data, shape: [rows, cols], strides: [cols, 1], offset: 0 }
}

function product(a: Strided, b: Strided): Float32Array {
  const out: Strided = { data: new Float32Array(a.shape[0]! * b.shape[1]!), shape: [a.shape[0]!, b.shape[1]!], strides: [b.shape[1]!, 1], offset: 0 }
  cpuBackend.matmul(a, b, out)
  return out.data as Float32Array
}

/** A job whose items all read far outside the memory: every item traps. */
function trappingJob(): [number[], number] {
  return [[0x7fff0000, 4, 4, 0, 1, 1024, 0, 0], 6]
}

test('GENKATA_THREADS: a positive integer, or one thread per core when unset', () => {
  assert.is(parseThreads('3'), 3)
  assert.ok(parseThreads(undefined) >= 1)
  assert.is(parseThreads(''), parseThreads(undefined))
  for (const bad of ['0', '-2', '1.5', 'many']) assert.throws(() => parseThreads(bad), new RegExp(`GENKATA_THREADS must be a positive integer, got '${bad}'`))
})

test('a product split over two threads has exactly the bits of the same product on one thread', async () => {
  const a = matrix(200, 300, 1)
  const b = matrix(300, 170, 2)
  await setThreads(1)
  const single = product(a, b)
  assert.equal([threadInfo().threads, threadInfo().workers], [1, 0])
  await setThreads(2)
  const info = await waitForWorkers()
  // Two threads: the main thread and one worker, ready.
  assert.equal([info.threads, info.workers, info.ready], [2, 1, 1], JSON.stringify(info))
  const split = product(a, b)
  assert.equal(Array.from(split), Array.from(single))
  let refused: unknown = null
  await setThreads(0).catch((error: unknown) => (refused = error))
  assert.match(String(refused), /setThreads: expected a positive integer, got 0/)
})

test('a kernel that fails in a worker is rethrown on the main thread, and the pool keeps working', async () => {
  await setThreads(2)
  await waitForWorkers()
  getRuntime()
  const [args, at] = trappingJob()
  assert.throws(() => parallel('swap_outer', args, at, 8, 1, true, { helpersOnly: true }), /worker thread failed in kernel swap_outer: RuntimeError: .*out of bounds/)
  assert.is(threadInfo().ready, 1)
  const a = matrix(150, 150, 3)
  await setThreads(1)
  const single = product(a, a)
  await setThreads(2)
  await waitForWorkers()
  assert.equal(Array.from(product(a, a)), Array.from(single))
})

test('a kernel that fails on the main thread stops the job and is rethrown', async () => {
  await setThreads(2)
  await waitForWorkers()
  const [args, at] = trappingJob()
  assert.throws(() => parallel('swap_outer', args, at, 64, 1, true), /out of bounds/)
  assert.throws(() => parallel('swap_outer', args, at, 4, 1, false), /out of bounds/)
  const a = matrix(64, 64, 4)
  assert.ok(product(a, a).every(Number.isFinite))
})

test('helpers only, with no worker ready: an error, not a wait', async () => {
  await setThreads(1)
  const [args, at] = trappingJob()
  assert.throws(() => parallel('swap_outer', args, at, 8, 1, true, { helpersOnly: true }), /no worker thread is ready to run swap_outer/)
  await setThreads(defaultThreads)
})

test('a worker that stops answering is reported as an error (the pool then restarts)', async () => {
  await setThreads(2)
  await waitForWorkers()
  // gemm on garbage panels, one item taking far longer than the 1 ms allowed
  beginCall()
  const k = 20000
  const a = alloc(4 * k)
  const b = alloc(8 * k * 64)
  const c = alloc(4 * 8 * 64)
  const before = setStallTimeout(1)
  try {
    assert.throws(() => parallel('gemm', [a, b, c, 512, k, 0, 1, 0, 0], 7, 64, 64, true, { helpersOnly: true }), /stopped answering during kernel gemm/)
    assert.equal(threadInfo().failed, ['no answer for 1 ms'])
  } finally {
    setStallTimeout(before)
  }
  await setThreads(2)
  const info = await waitForWorkers()
  assert.is(info.ready, 1)
  assert.equal(info.failed, [])
  await setThreads(defaultThreads)
})

test('jobs: items are claimed once each across callers; a failure stops the claiming and carries its message', () => {
  const ctl = new Int32Array(new SharedArrayBuffer(jobs.CONTROL_INTS * 4))
  const seen: number[] = []
  const kernels = { pack_a: (...args: number[]) => seen.push(args[6]!, args[7]!) } as unknown as Kernels
  ctl.set([0, 1, 2, 3, 4, 5, 0, 0], jobs.ARGS)
  ctl[jobs.ARG_COUNT] = 8
  ctl[jobs.KERNEL] = 0
  ctl[jobs.RANGE_ARG] = 6
  ctl[jobs.GRAIN] = 3
  ctl[jobs.TOTAL] = 10
  ctl[jobs.ITEMS] = 4
  let beats = 0
  assert.is(jobs.runItems(ctl, kernels, () => beats++), 4)
  assert.equal(seen, [0, 3, 3, 6, 6, 9, 9, 10])
  assert.is(beats, 4)
  assert.is(jobs.runItems(ctl, kernels), 0, 'nothing left to claim')
  jobs.reportFailure(ctl, new TypeError('bad thing é'))
  assert.is(jobs.failureMessage(ctl), 'TypeError: bad thing é')
  ctl[jobs.NEXT] = 0
  assert.is(jobs.runItems(ctl, kernels), 0, 'a failed job is not continued')
  jobs.reportFailure(ctl, 'plain')
  assert.is(jobs.failureMessage(ctl), 'plain')
})

test('stage copies a view into wasm memory keeping its layout, or gathers a sparse one densely', () => {
  beginCall()
  const data = new Float32Array(10000).map((_, i) => i)
  const transposed = stage({ data, shape: [3, 4], strides: [1, 3], offset: 5 })
  assert.equal(transposed.strides, [4, 12])
  assert.is(heap()[(transposed.address + 2 * 4 + 1 * 12) / 4], 5 + 2 + 1 * 3)
  const sparse = stage({ data, shape: [2, 3], strides: [5000, 7], offset: 11 })
  assert.equal(sparse.strides, [12, 4])
  assert.equal(Array.from(heap().subarray(sparse.address / 4, sparse.address / 4 + 6)), [11, 18, 25, 5011, 5018, 5025])
  const broadcast = stage({ data, shape: [4, 2], strides: [0, 1], offset: 9 })
  assert.equal(broadcast.strides, [0, 4])
  assert.is(heap()[broadcast.address / 4 + 1], 10)
  assert.throws(() => alloc(2 ** 31), /more than the 2047 MiB it can address/)
})

test('Node exits while the workers wait for work (they are unref\'d), and the answer is right', () => {
  const script = [
    "import { cpuBackend, waitForWorkers } from './src/backend/cpu/index.ts'",
    'await waitForWorkers()',
    'const a = { data: new Float32Array(400 * 400).fill(1), shape: [400, 400], strides: [400, 1], offset: 0 }',
    'const out = { data: new Float32Array(400 * 400), shape: [400, 400], strides: [400, 1], offset: 0 }',
    'cpuBackend.matmul(a, a, out)',
    'console.log(`sum ${out.data.reduce((s, x) => s + x, 0)}`)',
  ].join('\n')
  const started = Date.now()
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, GENKATA_THREADS: '2' } })
  assert.is(run.status, 0, run.stderr)
  assert.is(run.stdout.trim(), `sum ${400 * 400 * 400}`)
  assert.ok(Date.now() - started < 60_000)
})

test.after(async () => {
  await setThreads(defaultThreads)
  await stopWorkers()
})

test.run()
