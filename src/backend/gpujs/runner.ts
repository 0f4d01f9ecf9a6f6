// Compiling and running gpu.js kernels: one compiled kernel per (kernel, constants, output size,
// argument sizes), cached, and checked after every call to have run on the backend asked for.
// gpu.js degrades a kernel it cannot compile to its cpu backend with only a console warning; here
// that is an error, so a number never silently comes from somewhere else.
//
// gpu.js is loaded on first use, not at import: genkata's other backends never pay for it.
import { createRequire } from 'node:module'
import { isNotImplementedError } from '../../kata/not_implemented.ts'
import { kernels, type KernelName } from './kernels.ts'
import type { DeviceOwner } from '../device_buffer.ts'

export type GpujsMode = 'cpu' | 'webasm' | 'webgpu'

/** gpu.js's output sizes: [x], [x, y] or [x, y, z], x fastest. At most 3-D. */
export type KernelOutputSize = [number] | [number, number] | [number, number, number]

/** `length` values from `offset` of a buffer that stays on the device (see DeviceRunner). */
export interface DeviceSlice {
  readonly id: number
  readonly offset: number
  readonly length: number
}

/** A kernel argument: host values, or (on a runner with a device) a slice of a resident buffer. */
export type KernelArg = Float32Array | DeviceSlice

/** One kernel launch, as the backend describes it. */
export interface Launch {
  kernel: KernelName
  constants: Record<string, number>
  output: KernelOutputSize
  args: KernelArg[]
}

/** A runner whose results can stay on its device, in buffers the host names by id. */
export interface DeviceRunner extends DeviceOwner {
  /** A new buffer id of `length` float32 values (the device buffer appears on its first write). */
  allocate(length: number): number
  /** Run and write the output into `target` (a buffer of target.length values) from target.offset; no readback. */
  runInto(launch: Launch, target: { id: number; offset: number; length: number }): void
  /** Upload `data` into the buffer `id` (of `length` values) from `offset`. */
  write(id: number, offset: number, length: number, data: Float32Array): void
  /** Buffers allocated and not yet released. */
  live(): number
  /** The same count as the device sees it (a round trip: releases queued on the host are applied first). */
  liveOnDevice(): number
  /** Device-to-host transfers so far: reads of resident buffers and host-output launches. */
  readonly readbacks: number
}

/** Runs launches on one gpu.js backend and returns the output flattened (x fastest). */
export interface KernelRunner {
  readonly mode: GpujsMode
  run(launch: Launch): Float32Array
  /** Present when outputs can stay on the device between launches (webgpu). */
  readonly device?: DeviceRunner
  /** Compiled kernels held in the cache. */
  cachedKernels(): number
  /** What the runner runs on, for reports (the adapter, on webgpu). */
  describe(): string
}

// Minimal shapes of the gpu.js objects used here (its own typings describe a different API surface).
interface GpujsKernel {
  readonly constructor: { readonly name: string }
  fallbackReason: string | null
  destroy(removeCanvasReferences?: boolean): void
}
interface GpujsKernelRun {
  (...args: unknown[]): unknown
  readonly kernel: GpujsKernel
}
interface GpujsInstance {
  createKernel(fn: unknown, settings: Record<string, unknown>): GpujsKernelRun
  kernels: unknown[]
}
export interface GpujsModule {
  GPU: new (settings: { mode: string }) => GpujsInstance
  CPUKernel: new (...args: never[]) => GpujsKernel
  WebAssemblyKernel: new (...args: never[]) => GpujsKernel
  WebGPUKernel: new (...args: never[]) => GpujsKernel
}

let gpujs: GpujsModule | null = null

export function loadGpujs(): GpujsModule {
  gpujs ??= createRequire(import.meta.url)('gpu.js') as GpujsModule
  return gpujs
}

/** The cache key: everything a compiled kernel is specialised for. */
export function launchKey(launch: Launch): string {
  return `${launch.kernel}|${JSON.stringify(launch.constants)}|${launch.output.join('x')}|${launch.args.map((a) => a.length).join(',')}`
}

export function outputLength(output: KernelOutputSize): number {
  return output.reduce((p, d) => p * d, 1)
}

/** gpu.js returns nested arrays for 2-D and 3-D outputs: copy them into one flat array. */
export function flatten(result: unknown, output: KernelOutputSize): Float32Array {
  if (result instanceof Float32Array && result.length === outputLength(output)) return result
  const flat = new Float32Array(outputLength(output))
  let at = 0
  const walk = (value: unknown): void => {
    if (value instanceof Float32Array) {
      flat.set(value, at)
      at += value.length
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item)
    } else {
      throw new Error(`gpu.js returned ${Object.prototype.toString.call(value)} where an array of output ${output.join('x')} was expected`)
    }
  }
  walk(result)
  if (at !== flat.length) throw new Error(`gpu.js returned ${at} values for an output of ${output.join('x')}`)
  return flat
}

/**
 * A student's kernel that is still a stub cannot compile (gpu.js rejects `throw`): run thread 0 in
 * plain JavaScript instead, so the exercise's own NotImplementedError, id and hint, is what shows.
 */
export function probeStub(kernel: (...args: never[]) => unknown, launch: Launch): void {
  const fn = kernel as (...args: unknown[]) => unknown
  if (!fn.toString().includes('NotImplementedError')) return
  const [x = 1, y = 1, z = 1] = launch.output
  try {
    fn.apply({ thread: { x: 0, y: 0, z: 0 }, constants: launch.constants, output: { x, y, z } }, launch.args)
  } catch (error) {
    if (isNotImplementedError(error)) throw error
  }
}

const KERNEL_CLASS = { cpu: 'CPUKernel', webasm: 'WebAssemblyKernel', webgpu: 'WebGPUKernel' } as const

/** Constants typed Float: op parameters, and op codes (gpu.js's WGSL passes a constant to a helper as a float literal). */
const FLOAT_CONSTANTS = new Set(['p0', 'p1', 'op'])

/**
 * The settings every genkata kernel is compiled with. Sizes and strides are typed Integer: index
 * arithmetic then runs on integers (about 1.2x faster on webasm than gpu.js's default Float).
 */
export function kernelSettings(launch: Launch): Record<string, unknown> {
  const constantTypes = Object.fromEntries(Object.keys(launch.constants).map((name) => [name, FLOAT_CONSTANTS.has(name) ? 'Float' : 'Integer']))
  return { constants: launch.constants, constantTypes, output: launch.output, precision: 'single', tactic: 'precision', dynamicOutput: false, dynamicArguments: false }
}

/** Throws unless the kernel that ran is the intended backend's and did not fall back. */
export function assertRanOn(mode: GpujsMode, kernel: GpujsKernel, expected: new (...args: never[]) => GpujsKernel, what: string): void {
  if (!(kernel instanceof expected) || kernel.fallbackReason) {
    throw new Error(
      `gpu.js-${mode}: kernel '${what}' ran on ${kernel.constructor.name} instead of ${KERNEL_CLASS[mode]}` +
        (kernel.fallbackReason ? ` (gpu.js fell back: ${kernel.fallbackReason})` : ''),
    )
  }
}

/** The cpu and webasm backends run in this thread, synchronously. */
export class InProcessRunner implements KernelRunner {
  private readonly gpu: GpujsInstance
  private readonly expected: new (...args: never[]) => GpujsKernel
  private readonly cache = new Map<string, GpujsKernelRun>()

  constructor(
    readonly mode: 'cpu' | 'webasm',
    private readonly maxCached = 256,
  ) {
    const lib = loadGpujs()
    this.gpu = new lib.GPU({ mode })
    this.expected = mode === 'cpu' ? lib.CPUKernel : lib.WebAssemblyKernel
  }

  run(launch: Launch): Float32Array {
    const key = launchKey(launch)
    let run = this.cache.get(key)
    if (run) {
      // Most recently used last: the first entry is the one to evict.
      this.cache.delete(key)
      this.cache.set(key, run)
    } else {
      const { fn, helpers } = kernels[launch.kernel]
      probeStub(fn, launch)
      run = this.gpu.createKernel(fn, { ...kernelSettings(launch), functions: helpers })
      this.cache.set(key, run)
      this.evict()
    }
    if (!launch.args.every((a) => a instanceof Float32Array)) throw new Error(`gpu.js-${this.mode}: has no device buffers to read`)
    const result = run(...launch.args)
    assertRanOn(this.mode, run.kernel, this.expected, launch.kernel)
    return flatten(result, launch.output)
  }

  cachedKernels(): number {
    return this.cache.size
  }

  describe(): string {
    return this.mode === 'cpu' ? 'gpu.js cpu (JavaScript)' : 'gpu.js webasm (WebAssembly, f32x4 SIMD, one thread)'
  }

  private evict(): void {
    for (const [key, run] of this.cache) {
      if (this.cache.size <= this.maxCached) break
      this.cache.delete(key)
      run.kernel.destroy()
      // cpu kernels stay listed on their GPU after destroy(); drop the reference.
      const at = this.gpu.kernels.indexOf(run.kernel)
      if (at >= 0) this.gpu.kernels.splice(at, 1)
    }
  }
}
