// `genkata doctor`: which backends work on this machine, on what, and which one is selected.
//
// Each backend is started and given one small matrix product, compared with the reference
// backend's; a backend that cannot start, or answers wrongly, is reported with the reason. Nothing
// is selected or swapped: the backend in use before the check is the one in use after it.
import type { Backend } from './backend.ts'
import { referenceBackend } from './reference.ts'
import { availableBackends, getBackend, setBackend } from './index.ts'
import type { Strided } from '../tensor/strided.ts'

export interface BackendCheck {
  name: string
  /** Started and computed the probe within tolerance. */
  ok: boolean
  /** What it runs on (the WebGPU adapter, say), when it started. */
  runsOn: string
  /** Why it is not ok: the start-up error, or how far the probe's answer was off. */
  error: string | null
  /** Largest relative difference from the reference on the probe (NaN when it did not run). */
  maxError: number
  /** Time to start it and run the probe, in milliseconds. */
  ms: number
}

export interface DoctorReport {
  backends: BackendCheck[]
  /** The backend getBackend() returns (null when GENKATA_BACKEND names one that cannot start). */
  selected: string | null
  /** Why that one: GENKATA_BACKEND, or the default. */
  selectedBy: string
  /** Set when the selected backend could not be created. */
  selectionError: string | null
}

export interface DoctorOptions {
  /** Backends to check; default: every registered one. */
  names?: readonly string[]
  /** How to create one by name; default: the registry (the current selection is kept). */
  create?: (name: string) => Backend
  /** Largest relative error accepted on the probe. */
  tolerance?: number
}

function dense(shape: number[], values: (i: number) => number): Strided {
  const size = shape.reduce((p, d) => p * d, 1)
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
  return { data: Float32Array.from({ length: size }, (_, i) => values(i)), shape, strides, offset: 0 }
}

/** Create through the registry, then put the previous selection back. */
function createFromRegistry(name: string): Backend {
  let previous: string | null = null
  try {
    previous = getBackend().name
  } catch {
    // GENKATA_BACKEND names a backend that cannot start: there is nothing to restore.
  }
  try {
    return setBackend(name)
  } finally {
    if (previous !== null && availableBackends().includes(previous)) setBackend(previous)
  }
}

/** What a backend runs on, when it says (the gpu.js backends describe their runner). */
function runsOn(backend: Backend): string {
  const described = (backend as { runner?: { describe?: () => string } }).runner?.describe?.()
  return described ?? (backend.name === 'reference' ? 'plain TypeScript loops' : backend.name)
}

export function checkBackend(name: string, create: (name: string) => Backend, tolerance = 1e-4): BackendCheck {
  const started = performance.now()
  // A 5x7 by 7x3 product: sizes that are not multiples of 4, where vectorised code has edges.
  const a = dense([5, 7], (i) => ((i * 7) % 11) / 4 - 1)
  const b = dense([7, 3], (i) => ((i * 5) % 13) / 6 - 1)
  const expected = dense([5, 3], () => 0)
  referenceBackend.matmul(a, b, expected)
  let backend: Backend
  try {
    backend = create(name)
  } catch (error) {
    return { name, ok: false, runsOn: '', error: (error as Error).message, maxError: NaN, ms: performance.now() - started }
  }
  const out = dense([5, 3], () => 0)
  try {
    backend.matmul(a, b, out)
  } catch (error) {
    return { name, ok: false, runsOn: runsOn(backend), error: `the probe matmul threw: ${(error as Error).message}`, maxError: NaN, ms: performance.now() - started }
  }
  let maxError = 0
  expected.data.forEach((e, i) => {
    const diff = Math.abs(out.data[i]! - e) / Math.max(1, Math.abs(e))
    maxError = Math.max(maxError, Number.isNaN(diff) ? Infinity : diff)
  })
  const ok = maxError <= tolerance
  const error = ok ? null : `the probe matmul differs from the reference by ${maxError.toExponential(2)} (tolerance ${tolerance.toExponential(0)})`
  return { name, ok, runsOn: runsOn(backend), error, maxError, ms: performance.now() - started }
}

export function doctor(options: DoctorOptions = {}): DoctorReport {
  const names = options.names ?? availableBackends()
  const create = options.create ?? createFromRegistry
  const backends = names.map((name) => checkBackend(name, create, options.tolerance))
  const selectedBy = process.env.GENKATA_BACKEND ? `GENKATA_BACKEND=${process.env.GENKATA_BACKEND}` : 'the default (set GENKATA_BACKEND or setBackend() to choose)'
  try {
    return { backends, selected: getBackend().name, selectedBy, selectionError: null }
  } catch (error) {
    return { backends, selected: null, selectedBy, selectionError: (error as Error).message }
  }
}

export function formatDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.backends.map((b) => b.name.length), 'backend'.length)
  const lines = ['genkata doctor: a 5x7 @ 7x3 matmul on each backend, against the reference', '']
  for (const b of report.backends) {
    const status = b.ok ? 'ok    ' : 'FAILED'
    const time = `${b.ms.toFixed(0).padStart(6)} ms`
    lines.push(`  ${b.name.padEnd(width)}  ${status}  ${time}  ${b.ok ? b.runsOn : b.error}`)
  }
  lines.push('')
  if (report.selected !== null) lines.push(`selected: ${report.selected}, by ${report.selectedBy}`)
  else lines.push(`selected: none: ${report.selectedBy} cannot start: ${report.selectionError}`)
  return lines.join('\n')
}
