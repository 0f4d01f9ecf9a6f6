// The thread that owns the WebGPU device for the gpu.js-webgpu backend (see webgpu.ts).
//
// WebGPU reads results back asynchronously (mapAsync), but genkata's Backend is synchronous. So
// the main thread posts a request here and blocks on an Atomics.wait; this thread runs it and wakes
// the main thread. Plain JavaScript, so it loads without tsx: kernels arrive as source text and are
// compiled here by gpu.js.
//
// Kernels run in gpu.js's pipeline mode: a result stays on the device, in a table of buffers keyed
// by the id of the host-side DeviceBuffer it backs, and is read back only when asked ('read'), or
// straight away for a launch with no target (the host-output path).
//
// Between launches this thread blocks too (Atomics.wait on the request flag) rather than idle in
// its event loop: Dawn polls its device from the event loop with setImmediate, which would keep a
// core busy, and a process that exits while Dawn is inside a poll can crash in its teardown.
import { receiveMessageOnPort, workerData } from 'node:worker_threads'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { port, flags: flagBuffer, dawnOptions, featureLevel, maxCached } = workerData
// flags[0]: an answer is ready (set here, waited on by the main thread); flags[1]: a request is.
const flags = new Int32Array(flagBuffer)

function answer(message, transfer = []) {
  port.postMessage(message, transfer)
  Atomics.store(flags, 0, 1)
  Atomics.notify(flags, 0)
}

/** The next request, blocking this thread until the main thread posts one. */
function nextRequest() {
  for (;;) {
    Atomics.wait(flags, 1, 0)
    Atomics.store(flags, 1, 0)
    const received = receiveMessageOnPort(port)
    if (received) return received.message
  }
}

function errorText(error) {
  return error instanceof Error ? error.message : String(error)
}

process.on('uncaughtException', (error) => answer({ ok: false, error: `webgpu worker: ${errorText(error)}` }))
process.on('unhandledRejection', (error) => answer({ ok: false, error: `webgpu worker: ${errorText(error)}` }))

async function start() {
  const { create, globals } = await import('webgpu')
  Object.assign(globalThis, globals)
  const dawn = create(dawnOptions)
  // Dawn's OpenGL ES and OpenGL backends only offer compatibility-mode adapters; gpu.js asks for
  // an adapter with no options, so the feature level is supplied here.
  const requestAdapter = (options = {}) => dawn.requestAdapter({ featureLevel, ...options })
  globalThis.navigator = { gpu: { requestAdapter, getPreferredCanvasFormat: () => 'rgba8unorm', wgslLanguageFeatures: dawn.wgslLanguageFeatures } }
  const adapter = await requestAdapter()
  if (!adapter) {
    throw new Error(`Dawn found no ${featureLevel} adapter with options [${dawnOptions.join(' ')}]`)
  }
  const info = adapter.info ?? {}
  const { GPU, WebGPUKernel, WebGPUContext, WebGPUBufferResult } = require('gpu.js')
  const gpu = new GPU({ mode: 'webgpu' })
  // gpu.js's shared device: the buffers below must live on the one its kernels run on.
  const context = await WebGPUContext.acquire()
  const device = context.device
  const { STORAGE, COPY_SRC, COPY_DST, MAP_READ } = GPUBufferUsage
  const cache = new Map()
  // The handle table: device buffers by id, each the storage of one host-side DeviceBuffer.
  // An entry's buffer is created on its first write (a kernel's whole output is adopted as is).
  const table = new Map()
  // Upload buffers by byte size, reused across launches (writes and dispatches are queue-ordered).
  const uploads = new Map()

  function createBuffer(bytes) {
    return device.createBuffer({ size: Math.max(bytes, 4), usage: STORAGE | COPY_SRC | COPY_DST })
  }

  /** A buffer as a kernel argument: gpu.js binds any WebGPUBufferResult where an array was declared. */
  function asArgument(buffer, length) {
    return new WebGPUBufferResult({ buffer, output: [length], context, kernel: null })
  }

  function release(ids) {
    for (const id of ids ?? []) {
      const entry = table.get(id)
      if (entry?.buffer) entry.buffer.destroy()
      table.delete(id)
    }
  }

  async function readBuffer(buffer, offset, length) {
    const bytes = length * 4
    const staging = device.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST })
    const encoder = device.createCommandEncoder()
    encoder.copyBufferToBuffer(buffer, offset * 4, staging, 0, bytes)
    device.queue.submit([encoder.finish()])
    await staging.mapAsync(GPUMapMode.READ)
    const data = new Float32Array(staging.getMappedRange().slice(0))
    staging.unmap()
    staging.destroy()
    return data
  }

  /**
   * Kernel arguments as device buffers, always: a gpu.js kernel fixes its argument types on its
   * first call, so mixing arrays and handles between calls would break it. Host arrays are
   * uploaded; resident ones are bound in place, or copied on the device when they start at an
   * offset (gpu.js binds a buffer from its start).
   */
  function bindArguments(args, scratch) {
    const encoder = device.createCommandEncoder()
    let copies = 0
    const bound = args.map((arg) => {
      if (arg instanceof Float32Array) {
        const bytes = Math.max(arg.byteLength, 4)
        const pool = uploads.get(bytes) ?? []
        uploads.set(bytes, pool)
        const buffer = pool.pop() ?? createBuffer(bytes)
        scratch.push(() => (pool.length < 8 ? pool.push(buffer) : buffer.destroy()))
        if (arg.length > 0) device.queue.writeBuffer(buffer, 0, arg)
        return asArgument(buffer, Math.max(arg.length, 1))
      }
      const entry = table.get(arg.id)
      if (!entry?.buffer) throw new Error(`device buffer ${arg.id} was released (or never written) before a kernel read it`)
      if (arg.offset === 0) return asArgument(entry.buffer, Math.max(arg.length, 1))
      const buffer = createBuffer(arg.length * 4)
      encoder.copyBufferToBuffer(entry.buffer, arg.offset * 4, buffer, 0, arg.length * 4)
      copies++
      scratch.push(() => buffer.destroy())
      return asArgument(buffer, Math.max(arg.length, 1))
    })
    if (copies > 0) device.queue.submit([encoder.finish()])
    return bound
  }

  async function launch({ key, source, helpers, settings, args, length, target }) {
    let run = cache.get(key)
    if (run) {
      cache.delete(key)
    } else {
      const functions = helpers.map((text) => new Function(`return ${text}`)())
      // Pipeline mode: the output stays on the device as a buffer handle.
      run = gpu.createKernel(new Function(`return ${source}`)(), { ...settings, functions, pipeline: true })
    }
    cache.set(key, run)
    for (const [old, entry] of cache) {
      if (cache.size <= maxCached) break
      cache.delete(old)
      entry.kernel.destroy()
    }
    const scratch = []
    let result
    try {
      result = await run(...bindArguments(args, scratch))
    } finally {
      for (const done of scratch) done()
    }
    const kernel = run.kernel
    if (!(kernel instanceof WebGPUKernel) || kernel.fallbackReason) {
      throw new Error(`kernel ran on ${kernel.constructor.name} instead of WebGPUKernel${kernel.fallbackReason ? ` (gpu.js fell back: ${kernel.fallbackReason})` : ''}`)
    }
    // Take the output buffer from the kernel: the next call allocates a fresh one, and this one is
    // ours to keep in the table or destroy (its refcount is then irrelevant).
    const output = result.buffer
    if (kernel.outputBuffer === output) {
      kernel.outputBuffer = null
      kernel.bindGroupDirty = true
    }
    if (!target) {
      const data = await readBuffer(output, 0, length)
      output.destroy()
      return data
    }
    let entry = table.get(target.id)
    if (!entry) table.set(target.id, (entry = { buffer: null }))
    if (!entry.buffer && target.offset === 0 && length === target.length) {
      entry.buffer = output
      return null
    }
    entry.buffer ??= createBuffer(target.length * 4)
    const encoder = device.createCommandEncoder()
    encoder.copyBufferToBuffer(output, 0, entry.buffer, target.offset * 4, length * 4)
    device.queue.submit([encoder.finish()])
    output.destroy()
    return null
  }

  answer({
    ok: true,
    adapter: { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' },
  })

  for (;;) {
    const request = nextRequest()
    if (request.close) {
      // Release the device before the process tears this thread down.
      release([...table.keys()])
      for (const pool of uploads.values()) for (const buffer of pool) buffer.destroy()
      for (const run of cache.values()) run.kernel.destroy()
      await WebGPUContext.destroy()
      delete globalThis.navigator
      answer({ ok: true })
      process.exit(0)
    }
    try {
      // Releases queued on the host (dispose, tidy, finalizers) ride along with the next request.
      release(request.release)
      if (request.type === 'read') {
        const entry = table.get(request.id)
        const data = entry?.buffer ? await readBuffer(entry.buffer, 0, request.length) : new Float32Array(request.length)
        answer({ ok: true, data }, [data.buffer])
      } else if (request.type === 'write') {
        let entry = table.get(request.id)
        if (!entry) table.set(request.id, (entry = { buffer: null }))
        entry.buffer ??= createBuffer(request.length * 4)
        device.queue.writeBuffer(entry.buffer, request.offset * 4, request.data)
        answer({ ok: true })
      } else if (request.type === 'count') {
        answer({ ok: true, live: table.size })
      } else {
        const data = await launch(request)
        answer(data ? { ok: true, data } : { ok: true }, data ? [data.buffer] : [])
      }
    } catch (error) {
      answer({ ok: false, error: errorText(error) })
    }
  }
}

start().catch((error) => answer({ ok: false, error: errorText(error) }))
