// The thread that owns the WebGPU device for the gpu.js-webgpu backend (see webgpu.ts).
//
// WebGPU reads results back asynchronously (mapAsync), but genkata's Backend is synchronous. So
// the main thread posts a launch here and blocks on an Atomics.wait; this thread runs the kernel,
// awaits the readback, posts the flat result and wakes the main thread. Plain JavaScript, so it
// loads without tsx: kernels arrive as source text and are compiled here by gpu.js.
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

/** Nested gpu.js results (2-D, 3-D) as one flat Float32Array, x fastest. */
function flatten(result, length) {
  if (result instanceof Float32Array && result.length === length) return result.slice()
  const flat = new Float32Array(length)
  let at = 0
  const walk = (value) => {
    if (value instanceof Float32Array) {
      flat.set(value, at)
      at += value.length
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item)
    } else {
      throw new Error(`gpu.js returned ${Object.prototype.toString.call(value)} where an array was expected`)
    }
  }
  walk(result)
  if (at !== length) throw new Error(`gpu.js returned ${at} values for an output of ${length}`)
  return flat
}

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
  const { GPU, WebGPUKernel, WebGPUContext } = require('gpu.js')
  const gpu = new GPU({ mode: 'webgpu' })
  const cache = new Map()

  async function launch({ key, source, helpers, settings, args, length }) {
    let run = cache.get(key)
    if (run) {
      cache.delete(key)
    } else {
      const functions = helpers.map((text) => new Function(`return ${text}`)())
      run = gpu.createKernel(new Function(`return ${source}`)(), { ...settings, functions })
    }
    cache.set(key, run)
    for (const [old, entry] of cache) {
      if (cache.size <= maxCached) break
      cache.delete(old)
      entry.kernel.destroy()
    }
    const result = await run(...args)
    const kernel = run.kernel
    if (!(kernel instanceof WebGPUKernel) || kernel.fallbackReason) {
      throw new Error(`kernel ran on ${kernel.constructor.name} instead of WebGPUKernel${kernel.fallbackReason ? ` (gpu.js fell back: ${kernel.fallbackReason})` : ''}`)
    }
    return flatten(result, length)
  }

  answer({
    ok: true,
    adapter: { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' },
  })

  for (;;) {
    const request = nextRequest()
    if (request.close) {
      // Release the device before the process tears this thread down.
      for (const run of cache.values()) run.kernel.destroy()
      await WebGPUContext.destroy()
      delete globalThis.navigator
      answer({ ok: true })
      process.exit(0)
    }
    try {
      const data = await launch(request)
      answer({ ok: true, data }, [data.buffer])
    } catch (error) {
      answer({ ok: false, error: errorText(error) })
    }
  }
}

start().catch((error) => answer({ ok: false, error: errorText(error) }))
