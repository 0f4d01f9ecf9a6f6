// Making tensors: from values, filled, ranges, and random draws from an explicit seeded generator.
import { Tensor } from './tensor.ts'
import { Rng } from './random.ts'
import type { DType } from './strided.ts'
import { allocate, formatShape, sizeOf } from './strided.ts'
import { empty } from './raw/ops.ts'
import { checkElementCount } from './limits.ts'
import { contiguousStrides } from '#kata/tensor/strides'

export interface CreateOptions {
  dtype?: DType
  requiresGrad?: boolean
}
/** Random draws always name their source: a generator to continue, or a seed to start one. */
export type RandomOptions = CreateOptions & ({ rng: Rng; seed?: never } | { seed: number; rng?: never })

function finish(t: Tensor, options: CreateOptions): Tensor {
  t.requiresGrad = options.requiresGrad ?? false
  return t
}

function checkShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`${op}: a shape is a list of non-negative integers, got ${JSON.stringify(shape)}`)
  }
}

/** From flat values and a shape. */
export function fromArray(values: ArrayLike<number>, shape: readonly number[], options: CreateOptions = {}): Tensor {
  checkShape('fromArray', shape)
  checkElementCount('fromArray', shape)
  if (values.length !== sizeOf(shape)) {
    throw new RangeError(`fromArray: ${values.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`)
  }
  const data = allocate(options.dtype ?? 'float32', values.length)
  data.set(values)
  return finish(new Tensor(data, [...shape], contiguousStrides(shape), 0), options)
}

/** From a number or nested arrays: tensor([[1, 2], [3, 4]]). */
export function tensor(values: number | readonly unknown[], options: CreateOptions = {}): Tensor {
  const shape: number[] = []
  for (let level: unknown = values; Array.isArray(level); level = level[0]) shape.push(level.length)
  const flat: number[] = []
  const walk = (level: unknown, axis: number): void => {
    if (axis === shape.length) {
      if (typeof level !== 'number') throw new TypeError(`tensor: expected a number at depth ${axis}, got ${JSON.stringify(level)}`)
      flat.push(level)
      return
    }
    if (!Array.isArray(level) || level.length !== shape[axis]) {
      throw new TypeError(`tensor: ragged nested array: expected ${shape[axis]} entries at depth ${axis}, got ${JSON.stringify(level)}`)
    }
    for (const item of level) walk(item, axis + 1)
  }
  walk(values, 0)
  return fromArray(flat, shape, options)
}

export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  return filled('full', shape, value, options)
}

function filled(op: string, shape: readonly number[], value: number, options: CreateOptions): Tensor {
  checkShape(op, shape)
  const t = empty(shape, options.dtype ?? 'float32', op)
  t.data.fill(value)
  return finish(t, options)
}

export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return filled('zeros', shape, 0, options)
}

export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return filled('ones', shape, 1, options)
}

export function zerosLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...options })
}

export function onesLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...options })
}

/** start, start+step, ... below stop (NumPy's arange); arange(n) is 0..n-1. */
export function arange(start: number, stop?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (stop === undefined) [start, stop] = [0, start]
  if (step === 0) throw new RangeError('arange: step must not be 0')
  const count = Math.max(0, Math.ceil((stop - start) / step))
  return fromArray(Array.from({ length: count }, (_, i) => start + i * step), [count], options)
}

function generator(op: string, options: RandomOptions): Rng {
  if (options.rng instanceof Rng) return options.rng
  if (typeof options.seed === 'number') return new Rng(options.seed)
  throw new TypeError(`${op}: pass { rng } or { seed }: every random draw in genkata is seeded`)
}

function draw(op: string, shape: readonly number[], options: RandomOptions, sample: (rng: Rng) => number): Tensor {
  checkShape(op, shape)
  const rng = generator(op, options)
  const t = empty(shape, options.dtype ?? 'float32', op)
  for (let i = 0; i < t.data.length; i++) t.data[i] = sample(rng)
  return finish(t, options)
}

/** Uniform in [low, high). */
export function rand(shape: readonly number[], options: RandomOptions & { low?: number; high?: number }): Tensor {
  const low = options.low ?? 0
  const high = options.high ?? 1
  return draw('rand', shape, options, (rng) => low + (high - low) * rng.uniform())
}

/** Normal with the given mean and standard deviation (0 and 1 by default). */
export function randn(shape: readonly number[], options: RandomOptions & { mean?: number; std?: number }): Tensor {
  const mean = options.mean ?? 0
  const std = options.std ?? 1
  return draw('randn', shape, options, (rng) => mean + std * rng.normal())
}
