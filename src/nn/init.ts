// Seeded weight initialisation, with PyTorch's formulas (torch.nn.init).
//
// The aim of Kaiming (He) and Xavier (Glorot) initialisation is to keep the variance of the
// activations (and of the gradients) the same from layer to layer. A weight [out, in, k...] has
// fanIn = in * k... inputs per output and fanOut = out * k... outputs per input.
//   Xavier: Var(w) = gain^2 * 2 / (fanIn + fanOut)        (a compromise between the two passes)
//   Kaiming: Var(w) = gain^2 / fan                          (fan = fanIn or fanOut, the mode)
// A uniform U(-b, b) has variance b^2 / 3, so its bound is b = sqrt(3) * std.
// The functions fill a tensor in place and return it, as torch.nn.init's trailing-underscore ones do.
import type { Tensor } from '../tensor/tensor.ts'
import { rand } from '../tensor/creation.ts'
import { Rng } from '../tensor/random.ts'
import { formatShape } from '../tensor/strided.ts'

/** PyTorch's Linear default: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (kaiming_uniform with a = sqrt(5) works out to that bound). */
export function uniformParameter(shape: readonly number[], bound: number, rng: Rng): Tensor {
  return rand(shape, { rng, low: -bound, high: bound, requiresGrad: true })
}

export type Nonlinearity = 'linear' | 'conv' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu'

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain); param is leakyRelu's slope. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv':
    case 'sigmoid':
      return 1
    case 'tanh':
      return 5 / 3
    case 'relu':
      return Math.SQRT2
    case 'leakyRelu': {
      const slope = param ?? 0.01
      if (!Number.isFinite(slope)) throw new RangeError(`calculateGain: leakyRelu's slope must be a finite number, got ${slope}`)
      return Math.sqrt(2 / (1 + slope * slope))
    }
    case 'selu':
      return 3 / 4
    default:
      throw new RangeError(`calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}`)
  }
}

/** fanIn and fanOut of a weight [out, in, ...kernel]. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) throw new RangeError(`init: fan in and fan out need a weight with at least 2 dimensions, got shape ${formatShape(shape)}`)
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1)
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive }
}

export interface InitSource {
  rng?: Rng
  seed?: number
}

/** The generator a seeded constructor asked for: its own rng, or a new one from its seed. */
export function rngFrom(op: string, options: InitSource): Rng {
  if (options.rng) return options.rng
  if (options.seed !== undefined) return new Rng(options.seed)
  throw new TypeError(`${op}: pass { rng } or { seed }: every initialisation in genkata is seeded`)
}

function fill(op: string, t: Tensor, rng: Rng, sample: (rng: Rng) => number): Tensor {
  if (!t.isContiguous()) throw new Error(`${op}: the tensor must be contiguous to be filled in place`)
  for (let i = 0; i < t.size; i++) t.data[t.offset + i] = sample(rng)
  return t
}

function uniformFill(op: string, t: Tensor, bound: number, rng: Rng): Tensor {
  return fill(op, t, rng, (r) => -bound + 2 * bound * r.uniform())
}

function normalFill(op: string, t: Tensor, std: number, rng: Rng): Tensor {
  return fill(op, t, rng, (r) => std * r.normal())
}

export interface KaimingOptions extends InitSource {
  /** The negative slope of the leaky ReLU that follows (0 for ReLU). */
  a?: number
  mode?: 'fanIn' | 'fanOut'
  nonlinearity?: Nonlinearity
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  const { fanIn, fanOut } = fans(t.shape)
  const mode = options.mode ?? 'fanIn'
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new RangeError(`${op}: mode must be 'fanIn' or 'fanOut', got ${JSON.stringify(mode)}`)
  const gain = calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0)
  return gain / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut)
}

/** U(-b, b) with b = gain * sqrt(3 / fan) (torch.nn.init.kaiming_uniform_). */
export function kaimingUniform(t: Tensor, options: KaimingOptions): Tensor {
  const std = kaimingStd('kaimingUniform', t, options)
  return uniformFill('kaimingUniform', t, Math.sqrt(3) * std, rngFrom('kaimingUniform', options))
}

/** N(0, std^2) with std = gain / sqrt(fan) (torch.nn.init.kaiming_normal_). */
export function kaimingNormal(t: Tensor, options: KaimingOptions): Tensor {
  const std = kaimingStd('kaimingNormal', t, options)
  return normalFill('kaimingNormal', t, std, rngFrom('kaimingNormal', options))
}

export interface XavierOptions extends InitSource {
  gain?: number
}

function xavierStd(op: string, t: Tensor, options: XavierOptions): number {
  const gain = options.gain ?? 1
  if (!(Number.isFinite(gain) && gain >= 0)) throw new RangeError(`${op}: gain must be a finite number >= 0, got ${gain}`)
  const { fanIn, fanOut } = fans(t.shape)
  return gain * Math.sqrt(2 / (fanIn + fanOut))
}

/** U(-b, b) with b = gain * sqrt(6 / (fanIn + fanOut)) (torch.nn.init.xavier_uniform_). */
export function xavierUniform(t: Tensor, options: XavierOptions): Tensor {
  const std = xavierStd('xavierUniform', t, options)
  return uniformFill('xavierUniform', t, Math.sqrt(3) * std, rngFrom('xavierUniform', options))
}

/** N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)) (torch.nn.init.xavier_normal_). */
export function xavierNormal(t: Tensor, options: XavierOptions): Tensor {
  const std = xavierStd('xavierNormal', t, options)
  return normalFill('xavierNormal', t, std, rngFrom('xavierNormal', options))
}
