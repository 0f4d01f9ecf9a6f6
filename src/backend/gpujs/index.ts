// The three gpu.js backends, registered in src/backend/index.ts as gpu.js-cpu, gpu.js-webasm and
// gpu.js-webgpu. Each is created once per process (its compiled kernels are worth keeping); a
// backend that cannot start throws, naming what is missing, and is tried again on the next call.
import { createGpujsBackend, type GpujsBackend } from './backend.ts'
import { InProcessRunner, type GpujsMode } from './runner.ts'
import { WebGpuRunner, type WebGpuOptions } from './webgpu.ts'

export { createGpujsBackend, Float64UnsupportedError, type GpujsBackend } from './backend.ts'
export type { GpujsMode } from './runner.ts'
export { WebGpuRunner, type WebGpuOptions, type AdapterInfo } from './webgpu.ts'

export const GPUJS_MODES: readonly GpujsMode[] = ['cpu', 'webasm', 'webgpu']

const instances = new Map<GpujsMode, GpujsBackend>()

export function gpujsBackend(mode: GpujsMode, options: WebGpuOptions = {}): GpujsBackend {
  let backend = instances.get(mode)
  if (!backend) {
    backend = createGpujsBackend(mode === 'webgpu' ? new WebGpuRunner(options) : new InProcessRunner(mode))
    instances.set(mode, backend)
  }
  return backend
}
