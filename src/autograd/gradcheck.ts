// gradcheck: compare backward() with central differences, in float64, the way CS231n teaches it.
//
// For a function f of tensors, draw a random direction v for its output and check
// d<v, f(x)>/dx from backward() against (<v, f(x + h e_i)> - <v, f(x - h e_i)>) / 2h for every
// element i of every input. When they disagree, check each recorded op on its own the same way,
// and name the first op (from the inputs up) whose backward formula is wrong.
import type { Tensor } from '../tensor/tensor.ts'
import { cast } from '../tensor/raw/ops.ts'
import { randn } from '../tensor/creation.ts'
import { Rng } from '../tensor/random.ts'
import { noGrad } from './grad_mode.ts'
import { Node } from './node.ts'
import { topologicalSort } from '#kata/autograd/toposort'

/** CS231n's reading of a relative error. */
export type Band = 'wrong' | 'uncomfortable' | 'ok for kinks' | 'good'

export function band(relativeError: number): Band {
  if (!(relativeError <= 1e-2)) return 'wrong' // NaN lands here too
  if (relativeError > 1e-4) return 'uncomfortable'
  if (relativeError > 1e-7) return 'ok for kinks'
  return 'good'
}

/**
 * |a - n| / max(|a|, |n|, floor). The floor keeps rounding noise in gradients near 0 (where a
 * relative error means nothing) from reading as a failure.
 */
export function relativeError(analytic: number, numeric: number, floor = 1e-3): number {
  if (analytic === numeric) return 0
  return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), floor)
}

export interface InputReport {
  index: number
  shape: readonly number[]
  worstError: number
  band: Band
  /** Flat position of the worst element and the two values compared there. */
  worstAt: number
  analytic: number
  numeric: number
}

export interface GradcheckReport {
  ok: boolean
  inputs: InputReport[]
  /** When a check failed: the first recorded op whose own backward disagrees with its forward. */
  culprit: { op: string; input: number; worstError: number } | null
  /** A readable summary, one line per input. */
  summary: string
}

export interface GradcheckOptions {
  /** Step for the central difference. */
  eps?: number
  /** Largest relative error that passes. */
  tolerance?: number
  seed?: number
}

/** The gradients of <v, f(inputs)> from backward(), and the same by central differences. */
function compareGradients(
  evaluate: (inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  v: Tensor | null,
  eps: number,
  rng: Rng,
): { v: Tensor; analytic: (Float64Array | null)[]; numeric: Float64Array[] } {
  const leaves = inputs.map((t) => cast(t, 'float64').clone().requireGrad())
  const output = evaluate(leaves)
  const direction = v ?? randn(output.shape, { rng, dtype: 'float64' })
  if (output.requiresGrad) output.mul(direction).sum().backward()
  const analytic = leaves.map((t) => (t.grad ? (cast(t.grad, 'float64').toTypedArray() as Float64Array) : null))

  const objective = (xs: Tensor[]) => noGrad(() => evaluate(xs).mul(direction).sum().item())
  const numeric = leaves.map((leaf) => {
    const values = leaf.data as Float64Array
    const out = new Float64Array(values.length)
    for (let i = 0; i < values.length; i++) {
      const saved = values[i]!
      values[i] = saved + eps
      const up = objective(leaves)
      values[i] = saved - eps
      const down = objective(leaves)
      values[i] = saved
      out[i] = (up - down) / (2 * eps)
    }
    return out
  })
  return { v: direction, analytic, numeric }
}

function worst(analytic: Float64Array | null, numeric: Float64Array) {
  let result = { error: 0, at: -1, a: 0, n: 0 }
  for (let i = 0; i < numeric.length; i++) {
    const a = analytic ? analytic[i]! : 0
    const error = relativeError(a, numeric[i]!)
    if (!(error <= result.error)) result = { error, at: i, a, n: numeric[i]! }
  }
  return result
}

/**
 * Check the gradients of `fn` at `inputs` (copied to float64; the originals are untouched).
 * `fn` returns a tensor of any shape. Throws nothing: read `ok`, `summary` and `culprit`.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): GradcheckReport {
  const eps = options.eps ?? 1e-6
  const tolerance = options.tolerance ?? 1e-5
  const rng = new Rng(options.seed ?? 0)
  const { analytic, numeric } = compareGradients((xs) => fn(...xs), inputs, null, eps, rng)

  const reports: InputReport[] = numeric.map((n, index) => {
    const w = worst(analytic[index]!, n)
    return { index, shape: inputs[index]!.shape, worstError: w.error, band: band(w.error), worstAt: w.at, analytic: w.a, numeric: w.n }
  })
  const ok = reports.every((r) => r.worstError <= tolerance)
  const culprit = ok ? null : findCulprit(fn, inputs, eps, tolerance, rng)
  const lines = reports.map(
    (r) =>
      `input ${r.index} ${JSON.stringify(r.shape)}: worst relative error ${r.worstError.toExponential(2)} (${r.band})` +
      (r.worstAt >= 0 && r.worstError > tolerance ? ` at element ${r.worstAt}: backward ${r.analytic}, numeric ${r.numeric}` : ''),
  )
  if (culprit) lines.push(`the first op whose backward disagrees with its forward: '${culprit.op}' (input ${culprit.input}, error ${culprit.worstError.toExponential(2)})`)
  return { ok, inputs: reports, culprit, summary: lines.join('\n') }
}

/** Check every recorded op of fn's graph on its own, from the leaves up. */
function findCulprit(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], eps: number, tolerance: number, rng: Rng) {
  const leaves = inputs.map((t) => cast(t, 'float64').clone().requireGrad())
  const output = fn(...leaves)
  if (!output.requiresGrad) return null
  const nodes = topologicalSort(output).reverse().map((t) => t.gradFn).filter((n): n is Node => n instanceof Node)
  for (const node of nodes) {
    const parents = [...node.parents]
    const { analytic, numeric } = compareGradients((xs) => node.recompute(xs), parents, null, eps, rng)
    for (let i = 0; i < parents.length; i++) {
      if (!parents[i]!.requiresGrad) continue
      const w = worst(analytic[i]!, numeric[i]!)
      if (w.error > tolerance) return { op: node.name, input: i, worstError: w.error }
    }
  }
  return null
}
