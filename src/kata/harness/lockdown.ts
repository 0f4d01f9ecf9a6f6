// Before a student's module loads, the grading child pins the built-ins that assertions rely on,
// so code under test cannot make every check pass by patching them (Object.is = () => true,
// Math.abs = () => 0, Array.prototype.forEach = () => {}, a fake Error.prepareStackTrace).
// Methods become read-only rather than frozen prototypes: assigning an own property of the same
// name on an instance still throws in strict code (the "override mistake"), but no library this
// repository loads does that, and the graded tests keep V8's fast paths.

const NAMESPACES: object[] = [Math, JSON, Reflect, Atomics]
const CONSTRUCTORS: object[] = [Object, Array, Number, String, Boolean, Symbol, Promise, Map, Set, RegExp, Date, BigInt]
const PROTOTYPES: object[] = [
  Object.prototype, Array.prototype, Function.prototype, Number.prototype, String.prototype, Boolean.prototype,
  RegExp.prototype, Promise.prototype, Map.prototype, Set.prototype,
  Object.getPrototypeOf(Float64Array.prototype) as object, Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object,
]
const GLOBALS = [
  'Object', 'Array', 'Function', 'Number', 'String', 'Boolean', 'Symbol', 'Math', 'JSON', 'Reflect', 'Promise', 'Map', 'Set',
  'RegExp', 'Error', 'TypeError', 'RangeError', 'Date', 'BigInt', 'Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array',
  'Uint32Array', 'Atomics', 'Proxy', 'isNaN', 'isFinite', 'parseFloat', 'parseInt',
]

function pin(obj: object, key: PropertyKey): void {
  const d = Object.getOwnPropertyDescriptor(obj, key)
  if (!d || !d.configurable) return
  if ('value' in d) Object.defineProperty(obj, key, { value: d.value, writable: false, enumerable: d.enumerable, configurable: false })
  else Object.defineProperty(obj, key, { get: d.get, set: d.set, enumerable: d.enumerable, configurable: false })
}

export function lockdown(): void {
  for (const ns of NAMESPACES) Object.freeze(ns)
  for (const ctor of CONSTRUCTORS) {
    for (const key of Reflect.ownKeys(ctor)) if (key !== 'prototype') pin(ctor, key)
  }
  for (const proto of PROTOTYPES) {
    // constructor and Symbol.iterator stay as they are: V8's fast paths watch them.
    for (const key of Reflect.ownKeys(proto)) if (key !== 'constructor' && typeof key === 'string') pin(proto, key)
  }
  for (const name of GLOBALS) pin(globalThis, name)
  // Stacks keep V8's own format and enough frames to tell who declared a test.
  Object.defineProperty(Error, 'prepareStackTrace', { get: () => undefined, set: () => {}, configurable: false })
  Error.stackTraceLimit = 30
  pin(Error, 'stackTraceLimit')
}
