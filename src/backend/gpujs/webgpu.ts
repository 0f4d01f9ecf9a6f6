// gpu.js's webgpu backend behind genkata's synchronous Backend.
//
// WebGPU has no synchronous readback, so the device lives in a worker thread (webgpu_worker.mjs)
// and each launch is a round trip: post the launch, block on Atomics.wait until the worker has run
// the kernel and read the result back, take the reply with receiveMessageOnPort. The WebGPU
// implementation is Dawn, through the `webgpu` package.
//
// Which Dawn backend: GENKATA_WEBGPU_BACKEND (or the `backend` option) names one of Dawn's
// (vulkan, metal, d3d12, opengl, opengles, ...); unset, Dawn picks. Without a GPU, Mesa's llvmpipe
// runs WebGPU on the CPU through `opengles` (apt: libegl1 libegl-mesa0 libgl1-mesa-dri, and
// libegl-dev for the unversioned libEGL.so that Dawn loads), which is how CI tests the WGSL path;
// EGL_PLATFORM=surfaceless is set for the GL backends when unset, so no display is needed.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import { kernels } from './kernels.ts'
import { kernelSettings, launchKey, outputLength, probeStub, type KernelRunner, type Launch } from './runner.ts'

export interface WebGpuOptions {
  /** Dawn backend name; default: process.env.GENKATA_WEBGPU_BACKEND, else Dawn's own choice. */
  backend?: string
  /** Seconds to wait for the device to start, or for one kernel (compiles included). */
  timeoutSeconds?: number
  /** Compiled kernels the worker keeps. */
  maxCached?: number
}

export interface AdapterInfo {
  vendor: string
  architecture: string
  device: string
  description: string
}

interface Reply {
  ok: boolean
  error?: string
  data?: Float32Array
  adapter?: AdapterInfo
}

const GL_BACKENDS = new Set(['opengl', 'opengles'])

export class WebGpuRunner implements KernelRunner {
  readonly mode = 'webgpu' as const
  readonly adapter: AdapterInfo
  readonly dawnBackend: string
  private readonly worker: Worker
  private readonly port: MessagePort
  // flags[0]: the worker has answered; flags[1]: a request is waiting for the worker.
  private readonly flags = new Int32Array(new SharedArrayBuffer(8))
  private closed = false
  private readonly timeoutMs: number
  private readonly keys = new Set<string>()
  private readonly maxCached: number

  constructor(options: WebGpuOptions = {}) {
    this.dawnBackend = options.backend ?? process.env.GENKATA_WEBGPU_BACKEND ?? ''
    this.timeoutMs = (options.timeoutSeconds ?? 120) * 1000
    this.maxCached = options.maxCached ?? 256
    const gl = GL_BACKENDS.has(this.dawnBackend)
    // Mesa's EGL reads this from the process environment when Dawn opens a display.
    if (gl && !process.env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless'
    const { port1, port2 } = new MessageChannel()
    this.port = port1
    this.worker = new Worker(new URL('./webgpu_worker.mjs', import.meta.url), {
      // The worker is plain JavaScript: no tsx loader, no import conditions.
      execArgv: [],
      workerData: {
        port: port2,
        flags: this.flags.buffer,
        dawnOptions: this.dawnBackend ? [`backend=${this.dawnBackend}`] : [],
        featureLevel: gl ? 'compatibility' : 'core',
        maxCached: this.maxCached,
      },
      transferList: [port2],
      stdout: false,
      stderr: false,
    })
    // Neither keeps the process alive: a script that is done exits, after releasing the device
    // (Dawn can crash when its thread is torn down with a device still open).
    this.worker.unref()
    this.port.unref()
    process.once('exit', () => this.closeSync())
    let reply: Reply
    try {
      reply = this.wait('starting the WebGPU device')
    } catch (error) {
      this.closed = true
      void this.worker.terminate()
      throw error
    }
    if (!reply.ok || !reply.adapter) {
      this.closed = true
      void this.worker.terminate()
      throw new Error(
        `gpu.js-webgpu: no WebGPU adapter (${reply.error ?? 'no adapter information'}). ` +
          `Dawn backend: ${this.dawnBackend || "Dawn's default"}. Without a GPU, install Mesa (apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri libegl-dev: Dawn loads the unversioned libEGL.so) ` +
          `and set GENKATA_WEBGPU_BACKEND=opengles to run WebGPU on the CPU.`,
      )
    }
    this.adapter = reply.adapter
  }

  run(launch: Launch): Float32Array {
    const { fn, helpers } = kernels[launch.kernel]
    probeStub(fn, launch)
    const key = launchKey(launch)
    this.keys.add(key)
    // Posting a view would clone its whole buffer (all of a dataset, for a batch sliced from it):
    // post compact copies instead, and transfer them rather than copy them again.
    const args = launch.args.map((a) => a.slice())
    this.post(
      {
        key,
        source: fn.toString(),
        helpers: helpers.map((h) => h.toString()),
        settings: kernelSettings(launch),
        args,
        length: outputLength(launch.output),
      },
      args.map((a) => a.buffer),
    )
    const reply = this.wait(`kernel '${launch.kernel}'`)
    if (!reply.ok || !reply.data) throw new Error(`gpu.js-webgpu: kernel '${launch.kernel}' failed: ${reply.error}`)
    return reply.data
  }

  cachedKernels(): number {
    // The worker evicts least recently used kernels beyond maxCached.
    return Math.min(this.keys.size, this.maxCached)
  }

  describe(): string {
    const { description, device, vendor } = this.adapter
    const name = [description, device, vendor].filter((s) => s).join(', ')
    return `gpu.js webgpu on ${name || 'an unnamed adapter'} (Dawn backend: ${this.dawnBackend || 'default'})`
  }

  /** Releases the device and stops the worker; the runner cannot be used afterwards. */
  closeSync(): void {
    if (this.closed) return
    this.closed = true
    try {
      this.post({ close: true })
      this.wait('closing the device', 10_000)
    } catch {
      // The worker is gone or stuck: terminating it is all that is left.
    }
    void this.worker.terminate()
  }

  private post(message: unknown, transfer: ArrayBuffer[] = []): void {
    if (this.closed && !(message as { close?: boolean }).close) throw new Error('gpu.js-webgpu: this runner was closed')
    Atomics.store(this.flags, 0, 0)
    this.port.postMessage(message, transfer)
    Atomics.store(this.flags, 1, 1)
    Atomics.notify(this.flags, 1)
  }

  private wait(what: string, timeoutMs = this.timeoutMs): Reply {
    const status = Atomics.wait(this.flags, 0, 0, timeoutMs)
    const received = receiveMessageOnPort(this.port)
    if (!received) {
      throw new Error(`gpu.js-webgpu: no answer from the WebGPU worker while ${what} (${status === 'timed-out' ? `timed out after ${timeoutMs / 1000} s` : status})`)
    }
    return received.message as Reply
  }
}
