// The one table of scalar math that every backend and every test level shares (MiniTorch's
// operators.py). Kernels are named by these keys so a backend can generate code per op.

export type UnaryOp =
  | 'copy' | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'reciprocal' | 'square'
  | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'clamp' | 'log1p' | 'step' | 'finiteOrZero' | 'softplus'
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne'
export type ReduceOp = 'sum' | 'max'

function sigmoid(x: number): number {
  // Two branches so exp never overflows: exp(-x) for x >= 0, exp(x) otherwise.
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

/** Unary ops take up to two parameters: leakyRelu(x, slope), clamp(x, min, max). */
export const unaryOps: Record<UnaryOp, (x: number, p0: number, p1: number) => number> = {
  copy: (x) => x,
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  reciprocal: (x) => 1 / x,
  square: (x) => x * x,
  sigmoid,
  tanh: Math.tanh,
  relu: (x) => (x > 0 || x !== x ? x : 0), // NaN stays NaN, as PyTorch
  leakyRelu: (x, slope) => (x > 0 ? x : slope * x),
  clamp: (x, min, max) => (x < min ? min : x > max ? max : x),
  log1p: Math.log1p,
  step: (x) => (x > 0 ? 1 : 0),
  finiteOrZero: (x) => (Number.isFinite(x) ? x : 0),
  // log(1 + e^x) as max(x, 0) + log1p(e^-|x|): e^-|x| <= 1 never overflows, and log1p keeps its small values.
  softplus: (x) => (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x))),
}

export const binaryOps: Record<BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: Math.pow,
  // NaN on either side wins, as PyTorch: a NaN weight must not vanish into a 0.
  maximum: (x, y) => (x >= y || x !== x ? x : y),
  minimum: (x, y) => (x <= y || x !== x ? x : y),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  eq: (x, y) => (x === y ? 1 : 0),
  ne: (x, y) => (x !== y ? 1 : 0),
}

export const reduceOps: Record<ReduceOp, { fn: (acc: number, x: number) => number; init: number }> = {
  sum: { fn: (acc, x) => acc + x, init: 0 },
  // NaN must win a max, as in NumPy and PyTorch, so a NaN in training is never hidden.
  max: { fn: (acc, x) => (x > acc || Number.isNaN(x) ? x : acc), init: -Infinity },
}
