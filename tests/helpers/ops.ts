// One table of the library's element-wise ops for every test level (MiniTorch's trick): how to
// call each on a Tensor, its float64 reference, its derivative, and the inputs it is checked on
// (a domain kept away from kinks and domain edges, on a grid that never hits the kink itself).
import type { Tensor } from '../../src/index.ts'
import type { ValueOptions } from './arbitraries.ts'

export interface UnaryCase {
  name: string
  apply(t: Tensor): Tensor
  ref(x: number): number
  values: ValueOptions
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))

export const unaryCases: UnaryCase[] = [
  { name: 'neg', apply: (t) => t.neg(), ref: (x) => -x, values: {} },
  { name: 'exp', apply: (t) => t.exp(), ref: Math.exp, values: { min: -3, max: 3 } },
  { name: 'log', apply: (t) => t.log(), ref: Math.log, values: { min: 0.1, max: 4 } },
  { name: 'log1p', apply: (t) => t.log1p(), ref: Math.log1p, values: { min: -0.9, max: 3 } },
  { name: 'sqrt', apply: (t) => t.sqrt(), ref: Math.sqrt, values: { min: 0.1, max: 4 } },
  { name: 'square', apply: (t) => t.square(), ref: (x) => x * x, values: {} },
  // a grid step of 0.2 over [-3, 3]: |x| >= 0.1, away from the pole at 0
  { name: 'reciprocal', apply: (t) => t.reciprocal(), ref: (x) => 1 / x, values: { min: -3, max: 3, levels: 30 } },
  // the default grid (step 0.05 over [-2, 2], offset half a step) keeps |x| >= 0.025: away from the kink at 0
  { name: 'abs', apply: (t) => t.abs(), ref: Math.abs, values: {} },
  { name: 'sigmoid', apply: (t) => t.sigmoid(), ref: sigmoid, values: { min: -6, max: 6, levels: 120 } },
  { name: 'tanh', apply: (t) => t.tanh(), ref: Math.tanh, values: { min: -3, max: 3 } },
  { name: 'relu', apply: (t) => t.relu(), ref: (x) => Math.max(x, 0), values: {} },
  { name: 'softplus', apply: (t) => t.softplus(), ref: (x) => Math.log1p(Math.exp(x)), values: { min: -8, max: 8, levels: 160 } },
  { name: 'leakyRelu()', apply: (t) => t.leakyRelu(), ref: (x) => (x > 0 ? x : 0.01 * x), values: {} },
  { name: 'leakyRelu(0.2)', apply: (t) => t.leakyRelu(0.2), ref: (x) => (x > 0 ? x : 0.2 * x), values: {} },
  // the kinks at -1, 1 and -0.5 are grid points, so the values stay 0.025 away from them
  { name: 'clamp(-1, 1)', apply: (t) => t.clamp(-1, 1), ref: (x) => Math.min(Math.max(x, -1), 1), values: {} },
  { name: 'clamp(-0.5)', apply: (t) => t.clamp(-0.5), ref: (x) => Math.max(x, -0.5), values: {} },
]

export interface BinaryCase {
  name: string
  apply(a: Tensor, b: Tensor): Tensor
  ref(x: number, y: number): number
  /** Partial derivatives, for the reference gradient. */
  da(x: number, y: number): number
  db(x: number, y: number): number
  a: ValueOptions
  b: ValueOptions
}

// maximum and minimum: a on grid points k + 0.25, b on k + 0.75 (step 0.05), so a and b never tie.
const extremumValues = { a: { offset: 0.25 }, b: { offset: 0.75 } }

export const binaryCases: BinaryCase[] = [
  { name: 'add', apply: (a, b) => a.add(b), ref: (x, y) => x + y, da: () => 1, db: () => 1, a: {}, b: {} },
  { name: 'sub', apply: (a, b) => a.sub(b), ref: (x, y) => x - y, da: () => 1, db: () => -1, a: {}, b: {} },
  { name: 'mul', apply: (a, b) => a.mul(b), ref: (x, y) => x * y, da: (_, y) => y, db: (x) => x, a: {}, b: {} },
  {
    name: 'div',
    apply: (a, b) => a.div(b),
    ref: (x, y) => x / y,
    da: (_, y) => 1 / y,
    db: (x, y) => -x / (y * y),
    a: {},
    b: { min: -2.5, max: 2.5, levels: 10 }, // |b| >= 0.25
  },
  {
    name: 'pow',
    apply: (a, b) => a.pow(b),
    ref: Math.pow,
    da: (x, y) => y * Math.pow(x, y - 1),
    db: (x, y) => Math.pow(x, y) * Math.log(x),
    a: { min: 0.2, max: 3 },
    b: { min: -2, max: 2 },
  },
  {
    name: 'maximum',
    apply: (a, b) => a.maximum(b),
    ref: Math.max,
    da: (x, y) => (x > y ? 1 : 0),
    db: (x, y) => (y > x ? 1 : 0),
    ...extremumValues,
  },
  {
    name: 'minimum',
    apply: (a, b) => a.minimum(b),
    ref: Math.min,
    da: (x, y) => (x < y ? 1 : 0),
    db: (x, y) => (y < x ? 1 : 0),
    ...extremumValues,
  },
]

export const comparisonCases: { name: string; apply(a: Tensor, b: Tensor): Tensor; ref(x: number, y: number): boolean }[] = [
  { name: 'gt', apply: (a, b) => a.gt(b), ref: (x, y) => x > y },
  { name: 'ge', apply: (a, b) => a.ge(b), ref: (x, y) => x >= y },
  { name: 'lt', apply: (a, b) => a.lt(b), ref: (x, y) => x < y },
  { name: 'le', apply: (a, b) => a.le(b), ref: (x, y) => x <= y },
  { name: 'eq', apply: (a, b) => a.eq(b), ref: (x, y) => x === y },
]
