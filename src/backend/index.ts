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

export function setBackend(name: string): Backend {
  const create = registry.get(name)
  if (!create) {
    throw new Error(`unknown backend '${name}': available backends are ${availableBackends().join(', ')}`)
  }
  current = create()
  return current
}

export function getBackend(): Backend {
  // The fast CPU path unless GENKATA_BACKEND says otherwise (the reference stays one name away).
  return current ?? setBackend(process.env.GENKATA_BACKEND || 'cpu')
}
