// A progress bar for training: steps done, the running means of the loss terms, images per second
// and the time left. On a terminal it redraws one line. In a log (CI, a pipe) it prints a line only
// when both a tenth of the epoch and `logIntervalMs` (10 s) have passed since the last one: deciles
// alone gave ten lines to every short epoch (about 250 lines for `npm start` on the sample), time
// alone gives a long epoch a line every few seconds. With both, a short epoch prints nothing but the
// trainer's epoch summary and a long one at most ten lines, at least 10 s apart.

export interface ProgressOptions {
  label: string
  total: number
  /** Where it writes; a stream with isTTY redraws in place. */
  stream?: { write(s: string): unknown; isTTY?: boolean; columns?: number }
  /** Injected clock (milliseconds), for tests. */
  now?: () => number
  /** Outside a terminal, the least time between two printed lines (ms); 10 s by default. */
  logIntervalMs?: number
}

export const LOG_INTERVAL_MS = 10_000

export class Progress {
  private done = 0
  private images = 0
  private sums = new Map<string, number>()
  private readonly began: number
  private lastDecile = 0
  private lastLine: number
  private readonly stream: NonNullable<ProgressOptions['stream']>
  private readonly now: () => number

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr
    this.now = options.now ?? (() => performance.now())
    this.began = this.now()
    this.lastLine = this.began
    const interval = options.logIntervalMs ?? LOG_INTERVAL_MS
    if (!(interval >= 0)) throw new RangeError(`Progress: logIntervalMs must be a number >= 0, got ${interval}`)
  }

  /** One step of `batch` images with its loss terms (each a mean over the batch). */
  tick(batch: number, terms: Record<string, number>): void {
    this.done++
    this.images += batch
    for (const [k, v] of Object.entries(terms)) this.sums.set(k, (this.sums.get(k) ?? 0) + v * batch)
    if (this.stream.isTTY) this.stream.write(`\r${this.line()}`)
    else {
      const decile = Math.floor((10 * this.done) / this.options.total)
      const now = this.now()
      if (decile > this.lastDecile && now - this.lastLine >= (this.options.logIntervalMs ?? LOG_INTERVAL_MS)) {
        this.lastDecile = decile
        this.lastLine = now
        this.stream.write(`${this.line()}\n`)
      }
    }
  }

  /** The running mean of each term over the images seen so far. */
  means(): Record<string, number> {
    return Object.fromEntries([...this.sums].map(([k, v]) => [k, v / Math.max(1, this.images)]))
  }

  imagesPerSecond(): number {
    const seconds = (this.now() - this.began) / 1000
    return seconds > 0 ? this.images / seconds : 0
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n')
  }

  line(): string {
    const { label, total } = this.options
    const width = 24
    const filled = Math.round((width * this.done) / total)
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled)
    const terms = Object.entries(this.means())
      .map(([k, v]) => `${k} ${formatNumber(v)}`)
      .join('  ')
    const rate = this.imagesPerSecond()
    const left = rate > 0 ? formatDuration(((total - this.done) / this.done) * ((this.now() - this.began) / 1000)) : '?'
    return `${label} [${bar}] ${this.done}/${total}  ${terms}  ${Math.round(rate)} img/s  ${left} left`
  }
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  const a = Math.abs(v)
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(3) : v.toFixed(a >= 100 ? 2 : 4)
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  const s = Math.round(seconds)
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`
}
