// Device-memory lifetime: tidy() scopes, keep(), and the garbage collector as a safety net. Only
// device storage (a DeviceBuffer) needs any of this; host typed arrays are the collector's alone.
//
// A device tensor joins the innermost open tidy() scope when it is made (track), and is registered
// so that, if it is dropped without dispose(), its buffer reference is dropped when it is collected
// (finalizers run between event-loop turns, so a long synchronous loop should use tidy).
import type { DeviceBuffer } from '../backend/device_buffer.ts'

/** What tidy() manages: an object that releases its device memory on dispose(). Tensor is the one kind. */
export abstract class DeviceResource {
  abstract dispose(): void
}

/** Drops a device tensor's reference when it is collected without dispose(). */
const collected = new FinalizationRegistry<DeviceBuffer>((buffer) => buffer.drop())
/** Open tidy() scopes, innermost last: the device resources created in each. */
const scopes: DeviceResource[][] = []

/** A new resource over `buffer`: released by the collector if dropped, and disposed by the open tidy() scope. */
export function track(resource: DeviceResource, buffer: DeviceBuffer): void {
  collected.register(resource, buffer, resource)
  scopes[scopes.length - 1]?.push(resource)
}

/** The resource released its buffer itself (dispose()): the collector must not drop it again. */
export function untrack(resource: DeviceResource): void {
  collected.unregister(resource)
}

/**
 * Run fn and dispose every device tensor created inside it except what it returns (a tensor, or
 * tensors in an array or object): tf.tidy. Nests; what an inner tidy returns belongs to the outer.
 */
export function tidy<T>(fn: () => T): T {
  const scope: DeviceResource[] = []
  scopes.push(scope)
  let result: T
  try {
    result = fn()
  } catch (error) {
    scopes.pop()
    for (const t of scope) t.dispose()
    throw error
  }
  scopes.pop()
  const kept = new Set<DeviceResource>()
  collectResources(result, kept, new Set())
  const outer = scopes[scopes.length - 1]
  for (const t of scope) {
    if (!kept.has(t)) t.dispose()
    else outer?.push(t)
  }
  return result
}

/** Take t out of every open tidy() scope, so it outlives them (until its own dispose()). */
export function keep<T extends DeviceResource>(t: T): T {
  for (const scope of scopes) {
    const at = scope.indexOf(t)
    if (at >= 0) scope.splice(at, 1)
  }
  return t
}

function collectResources(value: unknown, into: Set<DeviceResource>, seen: Set<unknown>): void {
  if (value instanceof DeviceResource) {
    into.add(value)
    return
  }
  if (value === null || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value)) return
  seen.add(value)
  for (const item of value instanceof Map ? value.values() : Array.isArray(value) ? value : Object.values(value)) collectResources(item, into, seen)
}
