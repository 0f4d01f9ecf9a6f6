// The optimizer state dict: what Optimizer.stateDict() returns and loadStateDict() accepts (plain
// JSON plus tensors, ready for saveCheckpoint's `extra`), and the checks that refuse one that does
// not fit the optimizer before anything is changed.
import { Tensor } from '../../tensor/tensor.ts'
import { fromArray } from '../../tensor/creation.ts'
import type { Storage } from '../../tensor/strided.ts'
import { allocate, formatShape, sameShape } from '../../tensor/strided.ts'

/** Per-parameter state: a step count and named buffers of the parameter's size (null when unused). */
export interface ParamState {
  step: number
  [buffer: string]: number | Storage | null
}

/** What stateDict() returns: plain JSON plus tensors, ready for saveCheckpoint's `extra`. */
export interface OptimizerStateDict {
  optimizer: string
  options: Record<string, unknown>
  /** One entry per parameter, in order; null for a parameter that was never updated. */
  state: (Record<string, number | Tensor | null> | null)[]
}

/** The tensors of one parameter's state: its buffers copied into tensors of the parameter's shape. */
export function saveParamState(state: ParamState, p: Tensor): Record<string, number | Tensor | null> {
  const entry: Record<string, number | Tensor | null> = {}
  for (const [key, value] of Object.entries(state)) {
    entry[key] = value === null || typeof value === 'number' ? value : fromArray(value, p.shape, { dtype: p.dtype })
  }
  return entry
}

/** Throws unless `dict` is a state dict of optimizer `name` for `count` parameters, with only known hyperparameters. */
export function checkStateDict(dict: OptimizerStateDict, name: string, count: number, options: object, where: string): void {
  if (typeof dict !== 'object' || dict === null) throw new TypeError(`${where}: expected a state dict object, got ${String(dict)}`)
  if (dict.optimizer !== name) throw new Error(`${where}: the state dict is for ${String(dict.optimizer)}, this optimizer is ${name}`)
  if (!Array.isArray(dict.state) || dict.state.length !== count) {
    throw new Error(`${where}: the state dict has state for ${Array.isArray(dict.state) ? dict.state.length : 'no'} parameters, this optimizer has ${count}`)
  }
  const unknown = Object.keys(dict.options ?? {}).filter((k) => !Object.hasOwn(options, k))
  if (unknown.length) throw new Error(`${where}: unknown hyperparameters ${unknown.join(', ')}`)
}

/**
 * One parameter's state from a state dict, checked against `fresh` (what the optimizer would create
 * for it now): the same entries, a non-negative integer step, and buffers of the parameter's shape
 * copied into new storage of its dtype. `where` starts every error message.
 */
export function restoreParamState(saved: Record<string, number | Tensor | null>, p: Tensor, fresh: ParamState, where: string): ParamState {
  const keys = Object.keys(fresh)
  const savedKeys = Object.keys(saved ?? {})
  if (savedKeys.length !== keys.length || !keys.every((k) => Object.hasOwn(saved, k))) {
    throw new Error(`${where}: expected state entries ${keys.join(', ')}, got ${savedKeys.join(', ') || 'none'}`)
  }
  const step = saved.step
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new Error(`${where}: step must be a non-negative integer, got ${String(step)}`)
  const out: ParamState = { step }
  for (const key of keys) {
    if (key === 'step') continue
    const template = fresh[key]
    const value = saved[key]
    if (template === null) {
      if (value !== null) throw new Error(`${where}: '${key}' is unused with these hyperparameters but the state dict has one`)
      out[key] = null
      continue
    }
    if (!(value instanceof Tensor) || !sameShape(value.shape, p.shape)) {
      const got = value instanceof Tensor ? `shape ${formatShape(value.shape)}` : String(value)
      throw new Error(`${where}: '${key}' must be a tensor of shape ${formatShape(p.shape)}, got ${got}`)
    }
    // Into the optimizer's own fresh buffer, which sits where its update reads it (Backend.allocateState).
    const buffer = template instanceof Float32Array || template instanceof Float64Array ? template : allocate(p.dtype, p.size)
    buffer.set(value.toTypedArray())
    out[key] = buffer
  }
  return out
}
