// The differentiable primitives. Each pairs a forward computation (a raw op, src/tensor/raw/ops.ts)
// with its backward formula (the chapter 2 exercises under solutions/autograd). Every other tensor
// op is composed from these, so its gradient comes for free. Loading this module installs them on
// Tensor (installTensorOps); src/index.ts loads it.
import type { DifferentiableBinaryOp, DifferentiableUnaryOp, TensorOps } from '../tensor/tensor.ts'
import { Tensor, installTensorOps } from '../tensor/tensor.ts'
import * as raw from '../tensor/raw/ops.ts'
import type { SliceRange } from '../tensor/shape.ts'
import { normalizeAxis } from '../tensor/shape.ts'
import type { OpDefinition } from './node.ts'
import { apply } from './node.ts'
import { backward } from './engine.ts'
import * as arith from '#kata/autograd/backward_arith'
import * as unary from '#kata/autograd/backward_unary'
import { matmulBackward } from '#kata/autograd/backward_matmul'
import { maxBackward, meanBackward, sumBackward } from '#kata/autograd/backward_reduce'
import * as shapes from '#kata/autograd/backward_shape'

type MapAttrs = { op: DifferentiableUnaryOp; p0: number; p1: number }

function unaryBackward(grad: Tensor, x: Tensor, out: Tensor, { op, p0, p1 }: MapAttrs): Tensor {
  switch (op) {
    case 'copy': return grad
    case 'neg': return unary.negBackward(grad)
    case 'exp': return unary.expBackward(grad, x, out)
    case 'log': return unary.logBackward(grad, x, out)
    case 'log1p': return unary.log1pBackward(grad, x)
    case 'sqrt': return unary.sqrtBackward(grad, x, out)
    case 'square': return unary.squareBackward(grad, x)
    case 'reciprocal': return unary.reciprocalBackward(grad, x, out)
    case 'abs': return unary.absBackward(grad, x)
    case 'sigmoid': return unary.sigmoidBackward(grad, x, out)
    case 'tanh': return unary.tanhBackward(grad, x, out)
    case 'relu': return unary.reluBackward(grad, x, out)
    case 'leakyRelu': return unary.leakyReluBackward(grad, x, p0)
    case 'clamp': return unary.clampBackward(grad, x, p0, p1)
    // Not an exercise: d/dx log(1 + e^x) = sigmoid(x).
    case 'softplus': return grad.mul(x.sigmoid())
  }
}

const mapOp: OpDefinition<MapAttrs> = {
  name: 'map',
  forward: ([x], { op, p0, p1 }) => raw.map(op, x!, p0, p1),
  backward: (grad, [x], out, attrs) => [unaryBackward(grad, x!, out, attrs)],
}

const zipOp: OpDefinition<{ op: DifferentiableBinaryOp }> = {
  name: 'zip',
  forward: ([a, b], { op }) => raw.zip(op, a!, b!),
  backward(grad, [a, b], out, { op }) {
    switch (op) {
      case 'add': return arith.addBackward(grad, a!, b!)
      case 'sub': return arith.subBackward(grad, a!, b!)
      case 'mul': return arith.mulBackward(grad, a!, b!)
      case 'div': return arith.divBackward(grad, a!, b!)
      case 'pow': return arith.powBackward(grad, a!, b!, out)
      case 'maximum':
      case 'minimum': return arith.extremumBackward(grad, a!, b!, out)
    }
  },
}

type ReduceAttrs = { op: 'sum' | 'mean' | 'max'; axes: number[]; keepDims: boolean }
const reduceOp: OpDefinition<ReduceAttrs> = {
  name: 'reduce',
  forward: ([x], { op, axes, keepDims }) => raw.reduce(op, x!, axes, keepDims),
  backward(grad, [x], out, { op, axes }) {
    const keptShape = x!.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    if (op === 'sum') return [sumBackward(grad, x!, keptShape)]
    if (op === 'mean') return [meanBackward(grad, x!, keptShape)]
    return [maxBackward(grad, x!, out, keptShape)]
  },
}

const matmulOp: OpDefinition<null> = {
  name: 'matmul',
  forward: ([a, b]) => raw.matmul(a!, b!),
  backward: (grad, [a, b], _out, _attrs, needs) => matmulBackward(grad, a!, b!, needs),
}

const reshapeOp: OpDefinition<{ shape: readonly number[] }> = {
  name: 'reshape',
  forward: ([x], { shape }) => raw.reshape(x!, shape),
  backward: (grad, [x]) => [shapes.reshapeBackward(grad, x!)],
}

const permuteOp: OpDefinition<{ dims: readonly number[] }> = {
  name: 'permute',
  forward: ([x], { dims }) => raw.permute(x!, dims),
  backward: (grad, _inputs, _out, { dims }) => [shapes.permuteBackward(grad, dims)],
}

const expandOp: OpDefinition<{ shape: readonly number[] }> = {
  name: 'expand',
  forward: ([x], { shape }) => raw.expand(x!, shape),
  backward: (grad, [x]) => [shapes.expandBackward(grad, x!)],
}

const sliceOp: OpDefinition<{ ranges: readonly SliceRange[] }> = {
  name: 'slice',
  forward: ([x], { ranges }) => raw.slice(x!, ranges),
  backward: (grad, [x], _out, { ranges }) => [shapes.sliceBackward(grad, x!, ranges)],
}

const concatOp: OpDefinition<{ axis: number }> = {
  name: 'concat',
  forward: (inputs, { axis }) => raw.concat(inputs, axis),
  backward: (grad, inputs, _out, { axis }) => shapes.concatBackward(grad, inputs, normalizeAxis('concat', axis, grad.ndim)),
}

export const tensorOps: TensorOps = {
  map: (op, a, p0 = 0, p1 = 0) => apply(mapOp, [a], { op, p0, p1 }),
  zip: (op, a, b) => apply(zipOp, [a, b], { op }),
  reduce: (op, a, axes, keepDims) => apply(reduceOp, [a], { op, axes, keepDims }),
  matmul: (a, b) => apply(matmulOp, [a, b], null),
  reshape: (a, shape) => apply(reshapeOp, [a], { shape }),
  permute: (a, dims) => apply(permuteOp, [a], { dims }),
  expand: (a, shape) => apply(expandOp, [a], { shape }),
  slice: (a, ranges) => apply(sliceOp, [a], { ranges }),
  concat: (tensors, axis) => apply(concatOp, tensors, { axis }),
  backward,
}

installTensorOps(tensorOps)

/** Join tensors along an existing axis (differentiable). */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  return tensorOps.concat(tensors, axis)
}

/** Join tensors along a new axis (differentiable). */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  return concat(tensors.map((t) => t.unsqueeze(axis)), axis)
}
