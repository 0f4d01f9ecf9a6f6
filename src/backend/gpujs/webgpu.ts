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
//
// Results can stay on the device (DeviceRunner): the worker keeps them in a table keyed by ids
// handed out here, a launch names its resident arguments and its target by id, and nothing comes
// back until read(). Releases are queued (a finalizer must not block) and ride with the next request.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import { kernels } from './kernels.ts'
import { kernelSettings, launchKey, outputLength, probeStub, type DeviceRunner, type KernelRunner, type Launch } from './runner.ts'

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
  live?: number
}

const GL_BACKENDS = new Set(['opengl', 'opengles'])

export class WebGpuRunner implements KernelRunner, DeviceRunner {
  readonly mode = 'webgpu' as const
  readonly name = 'gpu.js-webgpu'
  readbacks = 0
  private nextId = 1
  private readonly liveIds = new Set<number>()
  private pendingRelease: number[] = []
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

  get device(): DeviceRunner {
    return this
  }

  run(launch: Launch): Float32Array {
    this.readbacks++
    const reply = this.launch(launch, null)
    if (!reply.data) throw new Error(`gpu.js-webgpu: kernel '${launch.kernel}' returned no data`)
    return reply.data
  }

  runInto(launch: Launch, target: { id: number; offset: number; length: number }): void {
    this.live(target.id)
    this.launch(launch, target)
  }

  allocate(_length: number): number {
    // No round trip: the worker creates the buffer on its first write, which names the size.
    if (this.closed) throw new Error('gpu.js-webgpu: this runner was closed')
    const id = this.nextId++
    this.liveIds.add(id)
    return id
  }

  read(id: number, length: number): Float32Array {
    this.live(id)
    this.readbacks++
    this.post({ type: 'read', id, length, release: this.takeReleases() })
    const reply = this.wait(`reading buffer ${id}`)
    if (!reply.ok || !reply.data) throw new Error(`gpu.js-webgpu: reading device buffer ${id} failed: ${reply.error}`)
    return reply.data
  }

  write(id: number, offset: number, length: number, data: Float32Array): void {
    this.live(id)
    const copy = data.slice()
    this.post({ type: 'write', id, offset, length, data: copy, release: this.takeReleases() }, [copy.buffer])
    const reply = this.wait(`writing buffer ${id}`)
    if (!reply.ok) throw new Error(`gpu.js-webgpu: writing device buffer ${id} failed: ${reply.error}`)
  }

  release(id: number): void {
    // Called from finalizers too: no round trip here, the worker hears of it with the next request.
    if (this.liveIds.delete(id)) this.pendingRelease.push(id)
  }

  live(id?: number): number {
    if (id !== undefined && !this.liveIds.has(id)) throw new Error(`gpu.js-webgpu: device buffer ${id} was released`)
    return this.liveIds.size
  }

  liveOnDevice(): number {
    this.post({ type: 'count', release: this.takeReleases() })
    const reply = this.wait('counting buffers')
    if (!reply.ok || reply.live === undefined) throw new Error(`gpu.js-webgpu: counting device buffers failed: ${reply.error}`)
    return reply.live
  }

  private takeReleases(): number[] {
    const ids = this.pendingRelease
    this.pendingRelease = []
    return ids
  }

  private launch(launch: Launch, target: { id: number; offset: number; length: number } | null): Reply {
    const { fn, helpers } = kernels[launch.kernel]
    probeStub(fn, launch)
    const key = launchKey(launch)
    this.keys.add(key)
    // Posting a view would clone its whole buffer (all of a dataset, for a batch sliced from it):
    // post compact copies instead, and transfer them rather than copy them again.
    const args = launch.args.map((a) => (a instanceof Float32Array ? a.slice() : { id: this.checked(a.id), offset: a.offset, length: a.length }))
    this.post(
      {
        type: 'launch',
        key,
        source: fn.toString(),
        helpers: helpers.map((h) => h.toString()),
        settings: kernelSettings(launch),
        args,
        length: outputLength(launch.output),
        target,
        release: this.takeReleases(),
      },
      args.flatMap((a) => (a instanceof Float32Array ? [a.buffer] : [])),
    )
    const reply = this.wait(`kernel '${launch.kernel}'`)
    if (!reply.ok) throw new Error(`gpu.js-webgpu: kernel '${launch.kernel}' failed: ${reply.error}`)
    return reply
  }

  private checked(id: number): number {
    this.live(id)
    return id
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
    // The worker posts, then sets the flag, then notifies: a wake-up (or a set flag) can be left
    // over from the previous answer when the worker was preempted between those steps. So the
    // message is what counts: without one, clear the stale flag, look once more, and wait again.
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const received = receiveMessageOnPort(this.port)
      if (received) return received.message as Reply
      Atomics.store(this.flags, 0, 0)
      const late = receiveMessageOnPort(this.port)
      if (late) return late.message as Reply
      const left = deadline - Date.now()
      if (left <= 0 || Atomics.wait(this.flags, 0, 0, left) === 'timed-out') {
        const last = receiveMessageOnPort(this.port)
        if (last) return last.message as Reply
        throw new Error(`gpu.js-webgpu: no answer from the WebGPU worker while ${what} (timed out after ${timeoutMs / 1000} s)`)
      }
    }
  }
}
