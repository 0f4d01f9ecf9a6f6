// The Tensor: float storage with a shape, strides and an offset, plus the three fields reverse-mode
// autodiff needs (requiresGrad, grad, gradFn). Views share storage; nothing here copies unless it must.
//
// This file is a leaf of the import graph: it imports nothing that imports it. Its methods run
// through two tables of ops, each installed by the module that defines them: the graph-free ops
// by src/tensor/raw/ops.ts (installRawOps), the differentiable primitives by src/autograd/ops.ts
// (installTensorOps). So `a.add(b)` reads like PyTorch without src/tensor ever importing
// src/autograd. src/index.ts loads both: import the library from there.
//
// Storage is a typed array, or a DeviceBuffer when the backend keeps results on its device
// (gpu.js-webgpu): `data` then downloads once, on first read. Device memory is released by
// dispose(), by tidy(), or, as a safety net, by the garbage collector (src/tensor/memory.ts).
import ndarray from 'ndarray'
import type { BinaryOp, UnaryOp } from './scalar_ops.ts'
import type { DType, Storage, Strided } from './strided.ts'
import { allocate, dtypeOf, formatShape, isContiguous, sizeOf, toNested } from './strided.ts'
import type { SliceRange } from './shape.ts'
import { normalizeAxes, normalizeAxis, resolveShape } from './shape.ts'
import { DeviceResource, track, untrack } from './memory.ts'
import { DeviceBuffer } from '../backend/device_buffer.ts'

/** The backward half of an op: what autograd records on the tensors it produces. */
export interface GradNode {
  /** The op's name, used in error messages and by gradcheck. */
  readonly name: string
  /** The tensors the op read; empty once the graph has been freed by backward(). */
  readonly parents: readonly Tensor[]
}

export type Axes = number | readonly number[] | undefined
export type DifferentiableBinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
export type DifferentiableUnaryOp = Exclude<UnaryOp, 'step' | 'sign' | 'finiteOrZero'>
export interface BackwardOptions {
  /** Keep the graph so backward() can run through it again. */
  retainGraph?: boolean
}

/** What src/autograd/ops.ts provides: the differentiable primitives everything else is composed from. */
export interface TensorOps {
  map(op: DifferentiableUnaryOp, a: Tensor, p0?: number, p1?: number): Tensor
  zip(op: DifferentiableBinaryOp, a: Tensor, b: Tensor): Tensor
  reduce(op: 'sum' | 'mean' | 'max', a: Tensor, axes: number[], keepDims: boolean): Tensor
  matmul(a: Tensor, b: Tensor): Tensor
  reshape(a: Tensor, shape: readonly number[]): Tensor
  permute(a: Tensor, dims: readonly number[]): Tensor
  expand(a: Tensor, shape: readonly number[]): Tensor
  slice(a: Tensor, ranges: readonly SliceRange[]): Tensor
  concat(tensors: readonly Tensor[], axis: number): Tensor
  backward(root: Tensor, seed: Tensor | undefined, options: BackwardOptions): void
}

/** What src/tensor/raw/ops.ts provides: values with no graph (copies, casts, comparisons). */
export interface RawOps {
  map(op: UnaryOp, a: Tensor, p0?: number, p1?: number): Tensor
  zip(op: BinaryOp, a: Tensor, b: Tensor): Tensor
  cast(a: Tensor, dtype: DType): Tensor
}

let tensorOps: TensorOps | null = null
let rawOps: RawOps | null = null

export function installTensorOps(implementation: TensorOps): void {
  tensorOps = implementation
}

export function installRawOps(implementation: RawOps): void {
  rawOps = implementation
}

/** The installed differentiable ops (what Tensor's differentiable methods call). */
function differentiable(): TensorOps {
  if (!tensorOps) throw new Error("genkata: the differentiable ops are not installed (src/autograd/ops.ts installs them); import the library from 'src/index.ts'")
  return tensorOps
}

/** The installed graph-free ops. */
function raw(): RawOps {
  if (!rawOps) throw new Error("genkata: the graph-free ops are not installed (src/tensor/raw/ops.ts installs them); import the library from 'src/index.ts'")
  return rawOps
}

/** A 0-d tensor holding one value. */
export function scalar(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1)
  data[0] = value
  return new Tensor(data, [], [], 0)
}

function disposedError(t: Tensor): Error {
  return new Error(
    `genkata: a disposed tensor (shape ${formatShape(t.shape)}${t.gradFn ? `, gradFn=${t.gradFn.name}` : ''}) was used; ` +
      `dispose() or tidy() released it: keep() it, or return it from the tidy() callback`,
  )
}

export class Tensor extends DeviceResource implements Strided {
  /** Set on leaves whose gradient you want (parameters); propagated to every result computed from them. */
  requiresGrad = false
  /** d(root)/d(this) after backward(); accumulates over calls until zeroGrad(). */
  grad: Tensor | null = null
  /** The op that produced this tensor, when it was recorded; null for leaves. */
  gradFn: GradNode | null = null
  // Host values, or null while they are on the device only (or once disposed): the `data` getter
  // then takes the slow path. Host tensors never leave the first branch of that getter.
  private _data: Storage | null
  private readonly _device: DeviceBuffer | null
  private _disposed = false

  constructor(
    storage: Storage | DeviceBuffer,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    readonly offset = 0,
  ) {
    super()
    if (storage instanceof DeviceBuffer) {
      this._data = storage.hostCopy()
      this._device = storage
      storage.retain()
      track(this, storage)
    } else {
      this._data = storage
      this._device = null
    }
  }

  /** The values on the host: downloaded (once, for all views of the storage) when they are on a device. */
  get data(): Storage {
    return this._data ?? this.download()
  }

  /** The device buffer while the values live on the device only; null for host storage. */
  get device(): DeviceBuffer | null {
    if (this._disposed) throw disposedError(this)
    const d = this._device
    return d !== null && d.resident ? d : null
  }

  /**
   * What a view of this tensor shares, and its identity for "do these share storage" checks: the
   * device buffer (even once downloaded, so every view answers the same), or the host array.
   */
  get storage(): Storage | DeviceBuffer {
    if (this._disposed) throw disposedError(this)
    return this._device ?? this._data!
  }

  /** How many values the storage holds (views may use fewer): no download. */
  get storageSize(): number {
    const d = this._data
    if (d !== null) return d.length
    if (this._device !== null && !this._disposed) return this._device.length
    throw disposedError(this)
  }

  get isDisposed(): boolean {
    return this._disposed
  }

  /**
   * Release this tensor's hold on its storage: a device buffer is freed once no tensor (view)
   * uses it. The tensor cannot be used afterwards. Host tensors are only marked.
   */
  override dispose(): void {
    if (this._disposed) return
    this._disposed = true
    this._data = null
    if (this._device !== null) {
      untrack(this)
      this._device.drop()
    }
  }

  private download(): Storage {
    if (this._disposed || this._device === null) throw disposedError(this)
    return (this._data = this._device.download())
  }

  get dtype(): DType {
    const d = this._data
    if (d !== null) return dtypeOf(d)
    if (this._device !== null) return this._device.dtype
    throw disposedError(this)
  }
  get ndim(): number {
    return this.shape.length
  }
  get size(): number {
    return sizeOf(this.shape)
  }
  isContiguous(): boolean {
    return isContiguous(this)
  }

  // ---- element-wise, differentiable -------------------------------------------------------
  add(other: Tensor | number): Tensor {
    return this.binary('add', other)
  }
  sub(other: Tensor | number): Tensor {
    return this.binary('sub', other)
  }
  mul(other: Tensor | number): Tensor {
    return this.binary('mul', other)
  }
  div(other: Tensor | number): Tensor {
    return this.binary('div', other)
  }
  pow(exponent: Tensor | number): Tensor {
    return this.binary('pow', exponent)
  }
  maximum(other: Tensor | number): Tensor {
    return this.binary('maximum', other)
  }
  minimum(other: Tensor | number): Tensor {
    return this.binary('minimum', other)
  }
  neg(): Tensor {
    return differentiable().map('neg', this)
  }
  exp(): Tensor {
    return differentiable().map('exp', this)
  }
  log(): Tensor {
    return differentiable().map('log', this)
  }
  log1p(): Tensor {
    return differentiable().map('log1p', this)
  }
  sqrt(): Tensor {
    return differentiable().map('sqrt', this)
  }
  square(): Tensor {
    return differentiable().map('square', this)
  }
  reciprocal(): Tensor {
    return differentiable().map('reciprocal', this)
  }
  abs(): Tensor {
    return differentiable().map('abs', this)
  }
  sigmoid(): Tensor {
    return differentiable().map('sigmoid', this)
  }
  tanh(): Tensor {
    return differentiable().map('tanh', this)
  }
  relu(): Tensor {
    return differentiable().map('relu', this)
  }
  /** log(1 + e^x), computed without overflow: a smooth relu whose derivative is sigmoid(x). */
  softplus(): Tensor {
    return differentiable().map('softplus', this)
  }
  leakyRelu(slope = 0.01): Tensor {
    return differentiable().map('leakyRelu', this, slope)
  }
  clamp(min = -Infinity, max = Infinity): Tensor {
    if (min > max) throw new RangeError(`clamp: min ${min} is greater than max ${max}`)
    return differentiable().map('clamp', this, min, max)
  }

  // ---- comparisons: values only, never differentiable --------------------------------------
  gt(other: Tensor | number): Tensor {
    return this.compare('gt', other)
  }
  ge(other: Tensor | number): Tensor {
    return this.compare('ge', other)
  }
  lt(other: Tensor | number): Tensor {
    return this.compare('lt', other)
  }
  le(other: Tensor | number): Tensor {
    return this.compare('le', other)
  }
  eq(other: Tensor | number): Tensor {
    return this.compare('eq', other)
  }

  // ---- reductions ----------------------------------------------------------------------------
  sum(axes?: Axes, keepDims = false): Tensor {
    return differentiable().reduce('sum', this, normalizeAxes('sum', axes, this.ndim), keepDims)
  }
  mean(axes?: Axes, keepDims = false): Tensor {
    return differentiable().reduce('mean', this, normalizeAxes('mean', axes, this.ndim), keepDims)
  }
  max(axes?: Axes, keepDims = false): Tensor {
    return differentiable().reduce('max', this, normalizeAxes('max', axes, this.ndim), keepDims)
  }
  /** log(sum(exp(x))) computed as m + log(sum(exp(x - m))) with m the max, so it never overflows. */
  logSumExp(axes?: Axes, keepDims = false): Tensor {
    const list = normalizeAxes('logSumExp', axes, this.ndim)
    // The shift is a constant for the gradient (the result does not depend on it); an all -inf
    // slice shifts by 0 so the answer is -inf rather than NaN.
    const shift = raw().map('finiteOrZero', this.detach().max(list, true))
    const lse = this.sub(shift).exp().sum(list, true).log().add(shift)
    return keepDims ? lse : lse.reshape(this.shape.filter((_, i) => !list.includes(i)))
  }
  softmax(axis = -1): Tensor {
    return this.sub(this.logSumExp(axis, true)).exp()
  }
  logSoftmax(axis = -1): Tensor {
    return this.sub(this.logSumExp(axis, true))
  }

  // ---- products and shapes ------------------------------------------------------------------
  matmul(other: Tensor): Tensor {
    return differentiable().matmul(this, other)
  }
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    const target = (Array.isArray(shape[0]) ? shape[0] : shape) as readonly number[]
    return differentiable().reshape(this, resolveShape('reshape', this.shape, target))
  }
  /** Collapse axes startAxis..endAxis into one. */
  flatten(startAxis = 0, endAxis = -1): Tensor {
    if (this.ndim === 0) return this.reshape([1])
    const start = normalizeAxis('flatten', startAxis, this.ndim)
    const end = normalizeAxis('flatten', endAxis, this.ndim)
    return this.reshape([...this.shape.slice(0, start), -1, ...this.shape.slice(end + 1)])
  }
  permute(...dims: number[]): Tensor {
    return differentiable().permute(this, dims)
  }
  /** Swap two axes (the last two by default: the matrix transpose). */
  transpose(axis0 = -2, axis1 = -1): Tensor {
    const a = normalizeAxis('transpose', axis0, this.ndim)
    const b = normalizeAxis('transpose', axis1, this.ndim)
    const dims = [...this.shape.keys()]
    dims[a] = b
    dims[b] = a
    return differentiable().permute(this, dims)
  }
  expand(...shape: number[] | [readonly number[]]): Tensor {
    const target = (Array.isArray(shape[0]) ? shape[0] : shape) as readonly number[]
    return differentiable().expand(this, target)
  }
  unsqueeze(axis: number): Tensor {
    const at = normalizeAxis('unsqueeze', axis, this.ndim + 1)
    return this.reshape([...this.shape.slice(0, at), 1, ...this.shape.slice(at)])
  }
  /** Drop size-1 axes: the given one, or all of them. */
  squeeze(axis?: number): Tensor {
    if (axis === undefined) return this.reshape(this.shape.filter((d) => d !== 1))
    const at = normalizeAxis('squeeze', axis, this.ndim)
    if (this.shape[at] !== 1) return this
    return this.reshape(this.shape.filter((_, i) => i !== at))
  }
  /** Python-style ranges per axis: t.slice([0, 2], null, [1, 8, 2]) is t[0:2, :, 1:8:2]. */
  slice(...ranges: SliceRange[]): Tensor {
    return differentiable().slice(this, ranges)
  }
  /** `length` entries of `axis` from `start`. */
  narrow(axis: number, start: number, length: number): Tensor {
    const at = normalizeAxis('narrow', axis, this.ndim)
    const ranges: SliceRange[] = this.shape.map(() => null)
    ranges[at] = [start, start + length]
    return differentiable().slice(this, ranges)
  }
  /** The same values in contiguous storage (itself when already contiguous). */
  contiguous(): Tensor {
    return this.isContiguous() ? this : differentiable().map('copy', this)
  }

  // ---- autograd --------------------------------------------------------------------------------
  /** Reverse-mode autodiff from this tensor. A non-scalar needs a seed gradient of its own shape. */
  backward(seed?: Tensor, options: BackwardOptions = {}): void {
    differentiable().backward(this, seed, options)
  }
  zeroGrad(): void {
    this.grad = null
  }
  /** The same values, cut from the graph: gradients stop here. */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset)
  }
  /** Mark as a leaf that wants its gradient; returns this for chaining. */
  requireGrad(flag = true): this {
    if (this.gradFn) throw new Error('requireGrad: only leaf tensors can be marked; call detach() first')
    this.requiresGrad = flag
    return this
  }

  // ---- values ------------------------------------------------------------------------------------
  /** A copy with its own contiguous storage, outside the graph. */
  clone(): Tensor {
    return raw().map('copy', this)
  }
  to(dtype: DType): Tensor {
    return raw().cast(this, dtype)
  }
  toArray(): unknown {
    return toNested(this)
  }
  /** The values in row-major order, as a new typed array. */
  toTypedArray(): Storage {
    // Contiguous values come straight from the (downloaded) storage: no copy kernel, no device buffer.
    if (this._device !== null && this.isContiguous()) return this.data.slice(this.offset, this.offset + this.size)
    return raw().map('copy', this).data
  }
  item(): number {
    if (this.size !== 1) throw new Error(`item: needs a tensor with one element, got shape ${formatShape(this.shape)}`)
    return this.data[this.offset]!
  }
  get(...index: number[]): number {
    if (index.length !== this.ndim || index.some((i, axis) => !Number.isInteger(i) || i < 0 || i >= this.shape[axis]!)) {
      throw new RangeError(`get: index [${index.join(', ')}] is out of bounds for shape ${formatShape(this.shape)}`)
    }
    return this.data[index.reduce((at, i, axis) => at + i * this.strides[axis]!, this.offset)]!
  }
  /** An ndarray view over the same storage, for interop with the scijs ecosystem. */
  toNdarray() {
    return ndarray(this.data, [...this.shape], [...this.strides], this.offset)
  }
  override toString(): string {
    const values = this.size <= 64 ? JSON.stringify(this.toArray()) : `${this.size} values`
    return `Tensor(${values}, shape=${formatShape(this.shape)}, dtype=${this.dtype}${this.gradFn ? `, gradFn=${this.gradFn.name}` : ''})`
  }

  private binary(op: DifferentiableBinaryOp, other: Tensor | number): Tensor {
    return differentiable().zip(op, this, typeof other === 'number' ? scalar(other, this.dtype) : other)
  }
  private compare(op: BinaryOp, other: Tensor | number): Tensor {
    return raw().zip(op, this, typeof other === 'number' ? scalar(other, this.dtype) : other)
  }
}
