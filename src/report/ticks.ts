// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, the way a person would label an
// axis, covering the data with 3 to `maxTicks` ticks; and decade ticks for a log scale.

export interface Ticks {
  values: number[]
  labels: string[]
  // The linear step (1, 2 or 5 x 10^k); for log ticks, the step in decades.
  step: number
}

const MANTISSAS = [1, 2, 5] as const

// km x 10^e as the float64 nearest the decimal number, so ticks print cleanly (0.3, not
// 0.30000000000000004) at any magnitude: parsing "3e-1" rounds once, whereas 10 ** e is itself
// inexact past 1e22. km is an integer well below 1e21, so it prints without an exponent.
const scaled = (km: number, e: number) => Number(`${km}e${e}`)

// Ticks at multiples of a 1-2-5 step covering [lo, hi]: the finest step that needs at most
// `maxTicks` ticks. A constant range (lo === hi) is widened by 10% of its value, or by 1 when
// that is tiny (under 1e-200: the step must stay a normal float64); so is a range too narrow to
// label (relative width under 1e-9).
export function niceTicks(lo: number, hi: number, maxTicks = 8): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
    throw new RangeError(`niceTicks: expected finite lo <= hi, got [${lo}, ${hi}]`)
  }
  if (!Number.isInteger(maxTicks) || maxTicks < 5) throw new RangeError(`niceTicks: maxTicks must be an integer >= 5 (so 3 ticks always fit), got ${maxTicks}`)
  const TINY = 1e-200
  if (hi - lo <= Math.max(TINY, Math.max(Math.abs(lo), Math.abs(hi)) * 1e-9)) {
    const mid = (lo + hi) / 2
    const d = Math.abs(mid) < 10 * TINY ? 1 : Math.abs(mid) * 0.1
    lo = mid - d
    hi = mid + d
  }
  const span = hi - lo
  if (!Number.isFinite(span)) throw new RangeError(`niceTicks: the range [${lo}, ${hi}] is too wide to label`)
  // Start a decade below any step that could fit, then walk up 1, 2, 5, 10, 20, ...
  for (let e = Math.floor(Math.log10(span / maxTicks)) - 1; ; e++) {
    for (const m of MANTISSAS) {
      const step = scaled(m, e)
      let first = Math.floor(lo / step)
      let last = Math.ceil(hi / step)
      // Rounding in lo/step can leave the end ticks a hair inside the data: push them out.
      if (scaled(first * m, e) > lo) first--
      if (scaled(last * m, e) < hi) last++
      if (last - first + 1 > maxTicks) continue
      const values: number[] = []
      for (let k = first; k <= last; k++) values.push(scaled(k * m, e) + 0) // + 0 turns -0 into 0
      return { values, labels: formatTicks(values, e), step }
    }
  }
}

// Labels with as many decimals as the step needs (a step of 10^e needs -e of them), switching to
// exponent notation ("2.5e-6") for very large or very small numbers.
export function formatTicks(values: number[], e: number): string[] {
  const maxAbs = Math.max(...values.map(Math.abs))
  const topExp = maxAbs === 0 ? e : Math.floor(Math.log10(maxAbs))
  if (topExp >= 6 || e <= -5) {
    // One mantissa precision for all labels: the most any tick needs (2.5e6 next to 3.0e6).
    const digits = Math.max(...values.map((v) => /\.(\d+)e/.exec(v.toExponential())?.[1]!.length ?? 0))
    return values.map((v) => (v === 0 ? '0' : v.toExponential(digits).replace('e+', 'e')))
  }
  return values.map((v) => v.toFixed(Math.max(0, -e)))
}

// Ticks for a log-10 axis over [lo, hi] (both > 0): whole decades, with 2 and 5 in between when
// the range spans at most two decades, and every 2nd, 5th, 10th... decade when it spans many.
export function logTicks(lo: number, hi: number, maxTicks = 10): Ticks {
  if (!(lo > 0) || !Number.isFinite(hi) || lo > hi) {
    throw new RangeError(`logTicks: expected 0 < lo <= hi < Infinity, got [${lo}, ${hi}]`)
  }
  if (!Number.isInteger(maxTicks) || maxTicks < 5) throw new RangeError(`logTicks: maxTicks must be an integer >= 5, got ${maxTicks}`)
  if (lo < 1e-300) throw new RangeError(`logTicks: lo = ${lo} is below 1e-300, too close to float64's smallest numbers`)
  const pow = (k: number) => Number(`1e${k}`) // correctly rounded, unlike 10 ** k for k < 0
  let a = Math.floor(Math.log10(lo))
  let b = Math.ceil(Math.log10(hi))
  if (pow(a) > lo) a--
  if (pow(b) < hi) b++
  if (a === b) b++
  const label = (v: number, k: number) => (k >= -3 && k <= 5 ? String(v) : v.toExponential().replace('e+', 'e'))
  if (b - a <= 2) {
    const values: number[] = []
    const labels: string[] = []
    for (let k = a; k <= b; k++) {
      for (const m of k === b ? [1] : MANTISSAS) {
        const v = Number(`${m}e${k}`)
        values.push(v)
        labels.push(label(v, k))
      }
    }
    return { values, labels, step: 1 }
  }
  // Decade steps themselves go 1, 2, 5, 10, ... so the exponents stay round numbers.
  for (let e = 0; ; e++) {
    for (const m of MANTISSAS) {
      const step = m * 10 ** e
      const first = Math.floor(a / step)
      const last = Math.ceil(b / step)
      if (last - first + 1 > maxTicks) continue
      const ks: number[] = []
      for (let i = first; i <= last; i++) ks.push(i * step)
      return { values: ks.map(pow), labels: ks.map((k) => label(pow(k), k)), step }
    }
  }
}
