// Shared fast-check arbitraries: shapes, broadcast-compatible pairs of shapes, values kept away
// from kinks, and tensors that are NON-CONTIGUOUS on purpose (MiniTorch's trick: make a bigger
// or smaller base tensor and permute / slice / expand it into the wanted shape).
//
// A StridedCase carries the base (a plain contiguous tensor), the view that turns it into the
// wanted shape (built from differentiable ops, so gradcheck(b => f(view(b)), [base]) checks f on a
// non-contiguous input and the view's own backward too), and the view's expected values computed
// by the float64 reference, independently of the library's strides.
import fc from 'fast-check'
import { fromArray, gradcheck, type Tensor } from '../../src/index.ts'
import type { CreateOptions } from '../../src/tensor/creation.ts'
import * as ref from './reference.ts'
import type { Nd, Range } from './reference.ts'

export interface ShapeOptions {
  minDims?: number
  maxDims?: number
  minSize?: number
  maxSize?: number
  /** Largest number of elements. */
  maxElements?: number
}

/** A shape of 0..4 dimensions with sizes 1..5 (by default). */
export function shapeArb({ minDims = 0, maxDims = 4, minSize = 1, maxSize = 5, maxElements = Infinity }: ShapeOptions = {}): fc.Arbitrary<number[]> {
  return fc
    .array(fc.integer({ min: minSize, max: maxSize }), { minLength: minDims, maxLength: maxDims })
    .map((shape) => {
      // Shrink the largest sizes until the element budget holds (no filtering, no rejections).
      const out = [...shape]
      while (ref.sizeOfShape(out) > maxElements) {
        const i = out.indexOf(Math.max(...out))
        out[i] = Math.max(minSize, out[i]! - 1)
        if (out.every((d) => d === minSize)) break
      }
      return out
    })
}

/**
 * Two shapes that broadcast together: a common result shape, from which each side drops some
 * leading axes and sets some axes to 1.
 */
export function broadcastPairArb(options: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  const side = (shape: number[]) =>
    fc
      .record({ drop: fc.integer({ min: 0, max: shape.length }), ones: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }) })
      .map(({ drop, ones }) => shape.map((d, i) => (ones[i] ? 1 : d)).slice(drop))
  return shapeArb(options).chain((shape) =>
    fc.oneof(
      { weight: 1, arbitrary: fc.constant<[number[], number[]]>([shape, [...shape]]) },
      { weight: 4, arbitrary: fc.tuple(side(shape), side(shape)) },
    ),
  )
}

export interface ValueOptions {
  min?: number
  max?: number
  /**
   * Values sit on a grid: min + (k + offset) * (max - min) / levels. With the default offset of 0.5
   * no value is within half a grid step of a multiple of the step (0 included): away from kinks.
   */
  levels?: number
  offset?: number
  /** All values different (ties make max and maximum non-differentiable). */
  distinct?: boolean
}

/** `n` float32 values (already rounded, so float64 references see exactly what the tensor holds). */
export function valuesArb(n: number, { min = -2, max = 2, levels, offset = 0.5, distinct = false }: ValueOptions = {}): fc.Arbitrary<number[]> {
  const count = levels ?? (distinct ? Math.max(4 * n, 400) : 80)
  const step = (max - min) / count
  const value = (k: number) => Math.fround(min + (k + offset) * step)
  const ks = fc.integer({ min: 0, max: count - 1 })
  const list = distinct ? fc.uniqueArray(ks, { minLength: n, maxLength: n }) : fc.array(ks, { minLength: n, maxLength: n })
  return list.map((k) => k.map(value))
}

/** One step of a layout, described from its output shape back to the shape it reads. */
interface Step {
  readonly description: string
  readonly inShape: number[]
  apply(t: Tensor): Tensor
  applyNd(a: Nd): Nd
}

function permuteStep(shape: number[]): fc.Arbitrary<Step> {
  return fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: shape.length, maxLength: shape.length }).map((keys) => {
    const dims = shape.map((_, i) => i).sort((x, y) => keys[x]! - keys[y]! || x - y)
    const inShape = new Array<number>(shape.length)
    dims.forEach((d, i) => (inShape[d] = shape[i]!))
    return {
      description: `permute(${dims.join(', ')})`,
      inShape,
      apply: (t: Tensor) => t.permute(...dims),
      applyNd: (a: Nd) => ref.permute(a, dims),
    }
  })
}

function sliceStep(shape: number[], budget: number): fc.Arbitrary<Step> {
  const axis = fc.record({ start: fc.integer({ min: 0, max: 2 }), step: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 1 }), negative: fc.boolean() })
  return fc.array(axis, { minLength: shape.length, maxLength: shape.length }).map((params) => {
    // Keep the base within budget: drop the growth of the last axes first.
    const p = params.map((x) => ({ ...x }))
    const inSize = (i: number) => p[i]!.start + (shape[i]! - 1) * p[i]!.step + 1 + p[i]!.extra
    for (let i = shape.length - 1; i >= 0 && ref.sizeOfShape(shape.map((_, j) => inSize(j))) > Math.max(budget, ref.sizeOfShape(shape)); i--) {
      p[i] = { start: 0, step: 1, extra: 0, negative: false }
    }
    const inShape = shape.map((_, i) => inSize(i))
    const ranges: Range[] = p.map(({ start, step, negative }, i) => {
      const end = start + (shape[i]! - 1) * step + 1
      if (start === 0 && step === 1 && end === inShape[i]) return null
      // Python-style negative indices count from the end (an end of -0 would mean 0: keep it positive).
      return negative ? [start - inShape[i]!, end < inShape[i]! ? end - inShape[i]! : end, step] : [start, end, step]
    })
    return {
      description: `slice(${ranges.map((r) => (r ? `[${r.join(':')}]` : ':')).join(', ')})`,
      inShape,
      apply: (t: Tensor) => t.slice(...ranges),
      applyNd: (a: Nd) => ref.slice(a, ranges),
    }
  })
}

function expandStep(shape: number[]): fc.Arbitrary<Step> {
  return fc
    .record({ drop: fc.integer({ min: 0, max: Math.min(shape.length, 2) }), ones: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }) })
    .map(({ drop, ones }) => {
      const inShape = shape.map((d, i) => (ones[i] ? 1 : d)).slice(drop)
      return {
        description: `expand from [${inShape.join(', ')}]`,
        inShape,
        apply: (t: Tensor) => t.expand(shape),
        applyNd: (a: Nd) => ref.expand(a, shape),
      }
    })
}

type StepKind = 'permute' | 'slice' | 'expand'

export interface LayoutOptions {
  /** Which views may be used (all three by default); the empty list gives contiguous tensors only. */
  layouts?: readonly StepKind[]
  /** Upper bound on the base's element count (slices grow it): keeps gradcheck fast. */
  maxBaseSize?: number
}

export interface StridedCase {
  /** The shape of the view. */
  readonly shape: readonly number[]
  readonly baseShape: readonly number[]
  readonly baseValues: readonly number[]
  /** The view's values, computed by the reference from the base values. */
  readonly values: Nd
  readonly layout: string
  /** Base to view, through differentiable ops. */
  view(base: Tensor): Tensor
  /** A fresh contiguous base tensor. */
  base(options?: CreateOptions): Tensor
  /** A fresh view: a tensor of `shape` that is usually not contiguous. */
  make(options?: CreateOptions): Tensor
}

function layoutArb(shape: number[], kinds: readonly StepKind[], budget: number): fc.Arbitrary<Step[]> {
  if (kinds.length === 0) return fc.constant([])
  const stepFor = (kind: StepKind, s: number[]) => (kind === 'permute' ? permuteStep(s) : kind === 'slice' ? sliceStep(s, budget) : expandStep(s))
  const one = (s: number[]) => fc.constantFrom(...kinds).chain((kind) => stepFor(kind, s))
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Step[]>([]) },
    { weight: 4, arbitrary: one(shape).map((s) => [s]) },
    { weight: 3, arbitrary: one(shape).chain((outer) => one(outer.inShape).map((inner) => [inner, outer])) },
  )
}

/** A tensor of exactly `shape`, usually a non-contiguous view, with values chosen by `values`. */
export function stridedTensorArb(shape: readonly number[], options: ValueOptions & LayoutOptions = {}): fc.Arbitrary<StridedCase> {
  const { layouts = ['permute', 'slice', 'expand'], maxBaseSize = 2000, ...valueOptions } = options
  return layoutArb([...shape], layouts, maxBaseSize).chain((steps) => {
    const baseShape = steps[0]?.inShape ?? [...shape]
    return valuesArb(ref.sizeOfShape(baseShape), valueOptions).map((baseValues): StridedCase => {
      const values = steps.reduce((a, s) => s.applyNd(a), ref.nd(baseShape, baseValues))
      const layout = `base [${baseShape.join(', ')}]${steps.map((s) => ` -> ${s.description}`).join('')} -> [${shape.join(', ')}]`
      const view = (t: Tensor) => steps.reduce((x, s) => s.apply(x), t)
      const base = (o: CreateOptions = {}) => fromArray(baseValues, baseShape, o)
      return {
        shape,
        baseShape,
        baseValues,
        values,
        layout,
        view,
        base,
        make: (o: CreateOptions = {}) => view(base({ dtype: o.dtype })).requireGrad(o.requiresGrad ?? false),
        [fc.toStringMethod]: () => `${layout} values ${JSON.stringify(baseValues)}`,
      } as StridedCase
    })
  })
}

/** A random shape and a (usually non-contiguous) tensor of it. */
export function tensorCaseArb(shapeOptions: ShapeOptions = {}, options: ValueOptions & LayoutOptions = {}): fc.Arbitrary<StridedCase> {
  return shapeArb(shapeOptions).chain((shape) => stridedTensorArb(shape, options))
}

/** A permutation of 0..n-1. */
export function permutationArb(n: number): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((keys) => keys.map((_, i) => i).sort((x, y) => keys[x]! - keys[y]! || x - y))
}

/** A subset of the axes of an ndim-dimensional tensor, as given to a reduction: undefined (all), one axis or a list; sometimes negative. */
export function axesArb(ndim: number): fc.Arbitrary<{ axes: number | number[] | undefined; normalized: number[] }> {
  const all = [...Array(ndim).keys()]
  return fc.oneof(
    fc.constant({ axes: undefined, normalized: all }),
    fc.tuple(fc.subarray(all, { minLength: ndim === 0 ? 0 : 1 }), fc.array(fc.boolean(), { minLength: ndim, maxLength: ndim }), fc.boolean()).map(([subset, negative, single]) => {
      const given = subset.map((a) => (negative[a] ? a - ndim : a))
      return { axes: single && given.length === 1 ? given[0]! : given, normalized: [...subset].sort((x, y) => x - y) }
    }),
  )
}

/**
 * gradcheck `fn` on the views of the cases: the bases are the inputs and the views are recorded in
 * the graph, so the op sees non-contiguous inputs. Throws with the report's summary on failure.
 */
export function assertGradcheck(fn: (...views: Tensor[]) => Tensor, cases: readonly StridedCase[], label = ''): void {
  const report = gradcheck((...bases: Tensor[]) => fn(...bases.map((b, i) => cases[i]!.view(b))), cases.map((c) => c.base()))
  if (!report.ok) {
    throw new Error(`gradcheck failed${label ? ` for ${label}` : ''}\n${report.summary}\nlayouts:\n${cases.map((c) => `  ${c.layout}`).join('\n')}`)
  }
}
