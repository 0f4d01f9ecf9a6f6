// Which backend runs. Chosen explicitly (setBackend, or GENKATA_BACKEND at start-up), reported by
// name, and never swapped silently: asking for one that is not available is an error.
import type { Backend } from './backend.ts'
import { referenceBackend } from './reference.ts'
import { cpuBackend } from './cpu/index.ts'
import { GPUJS_MODES, gpujsBackend } from './gpujs/index.ts'

export type { Backend } from './backend.ts'

const registry = new Map<string, () => Backend>([
  ['reference', () => referenceBackend],
  // The fast CPU path: WebAssembly SIMD matrix products and convolutions on every core.
  ['cpu', () => cpuBackend],
])
// gpu.js-cpu, gpu.js-webasm, gpu.js-webgpu: gpu.js itself loads only when one is selected.
for (const mode of GPUJS_MODES) registry.set(`gpu.js-${mode}`, () => gpujsBackend(mode))

/** Make a backend available under `name` (later issues register gpu.js and the fast CPU path). */
export function registerBackend(name: string, create: () => Backend): void {
  registry.set(name, create)
}

export function availableBackends(): string[] {
  return [...registry.keys()]
}

let current: Backend | null = null
/** Every backend selected so far: device buffers outlive a switch to another backend. */
const used = new Set<Backend>()

export function setBackend(name: string): Backend {
  const create = registry.get(name)
  if (!create) {
    throw new Error(`unknown backend '${name}': available backends are ${availableBackends().join(', ')}`)
  }
  current = create()
  used.add(current)
  return current
}

/** Device buffers held by tensors (on every backend used so far) and not yet released: tf.memory().numTensors for genkata. */
export function liveDeviceBuffers(): number {
  let live = 0
  for (const backend of used) live += backend.liveHandles?.() ?? 0
  return live
}

/** Device-to-host transfers so far, on every backend used: what reading tensors back costs. */
export function deviceReadbacks(): number {
  let reads = 0
  for (const backend of used) reads += backend.readbacks?.() ?? 0
  return reads
}

export function getBackend(): Backend {
  // The fast CPU path unless GENKATA_BACKEND says otherwise (the reference stays one name away).
  return current ?? setBackend(process.env.GENKATA_BACKEND || 'cpu')
}
