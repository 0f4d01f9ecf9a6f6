// The run's index.html: one self-contained page (inline style, a small inline script on a live
// page, nothing fetched from elsewhere) with the settings, the pictures and the metrics, linking
// files of the run folder by relative paths so the folder can be moved, zipped or served as it is.
// Every piece of text is escaped: settings come from the command line and captions from callers.
//
// A page with a `status` is a run's live page: while the run trains it reloads itself (the whole
// page, which works from file:// as well as from a server, where a script polling a JSON file
// would be blocked) and says the epoch and step it shows; once the run is done or stopped it stops
// reloading and says which. Its pictures' links carry the step (?v=), so a reload fetches the newest.
// A run killed outright (Ctrl-C, kill) cannot rewrite its page: its training loop never yields to
// a signal handler. The trainer rewrites a running page every few seconds, so a running page not
// rewritten for `staleSeconds` says the process stopped (or hangs) and stops reloading.
import { join } from 'node:path'
import { writeFileAtomic } from './atomic.ts'
import { formatNumber, metricColumns, type MetricRow } from './metrics.ts'

export interface IndexFile {
  // A path relative to the run folder, '/'-separated.
  file: string
  caption: string
}

export interface IndexPage {
  title: string
  settings: Record<string, unknown>
  images: readonly IndexFile[]
  metricsTable?: readonly MetricRow[]
  // Other files worth a link: metrics.csv, a checkpoint.
  links?: readonly IndexFile[]
  // The run's state: makes the page a live one (see the header).
  status?: RunStatus
  // Seconds between reloads while running; 10 by default.
  refreshSeconds?: number
  // A running page older than this many seconds is taken for a stopped process; 300 by default.
  staleSeconds?: number
  // Sample grids over training steps, shown as one strip in step order.
  snapshots?: readonly Snapshot[]
  // What an unset (undefined or null) setting means, by name; "-" for a name not listed.
  unsetSettings?: Readonly<Record<string, string>>
}

export type RunState = 'running' | 'done' | 'stopped'

export interface RunStatus {
  state: RunState
  // The epoch in progress while running, the last one trained once done or stopped (1-based).
  epoch: number
  epochs?: number
  // The step within the epoch, and the epoch's number of steps.
  step?: number
  steps?: number
  // Steps since the run began, over all epochs.
  globalStep?: number
  // When the page was written (ISO 8601); a page that says running long after it is stale.
  updated: string
  // Why a run stopped: "interrupted (SIGINT)", "the loss is NaN at step 12".
  message?: string
}

export interface Snapshot {
  file: string
  globalStep: number
}

// An unset limit means every image; anything else unset is "-".
export const UNSET_SETTINGS: Readonly<Record<string, string>> = { limit: 'all' }
export const DEFAULT_REFRESH_SECONDS = 10
/** Far longer than the trainer's rewrites of a running page (every PAGE_EVERY_MS, and each epoch's end). */
export const DEFAULT_STALE_SECONDS = 300

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

// Safe in text and in quoted attribute values alike.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}

// A relative link that stays inside the run folder, percent-encoded segment by segment.
export function relativeHref(file: string): string {
  const bad = file === '' || /^[a-z][a-z0-9+.-]*:/i.test(file) || file.startsWith('/') || file.startsWith('\\') || file.split(/[/\\]/).includes('..')
  if (bad) throw new RangeError(`index.html: expected a relative path inside the run folder, got "${file}"`)
  return file.split('/').map(encodeURIComponent).join('/')
}

function settingText(v: unknown, unset: string): string {
  if (v === undefined || v === null) return unset
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') return String(v)
  if (v instanceof Date) return v.toISOString()
  try {
    // Unset entries inside an object or array show as "-" too.
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x === undefined || x === null ? '-' : x))
  } catch {
    return String(v) // a cyclic object
  }
}

// Six significant digits on the page; the exact value in the cell's tooltip and in metrics.csv.
function metricCell(v: MetricRow[string]): string {
  if (v === null || v === undefined) return '<td></td>'
  if (typeof v === 'string') return `<td>${escapeHtml(v)}</td>`
  const shown = Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v)
  return `<td class="num" title="${formatNumber(v)}">${shown}</td>`
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f2f2f2}
figure{display:inline-block;margin:0 1.5em 1.5em 0;vertical-align:top}
img{image-rendering:pixelated;border:1px solid #ddd;max-width:100%}figcaption{color:#555;margin-top:4px}
.status{padding:.6em 1em;border-radius:4px;margin:1em 0}.running{background:#e8f1fb;border:1px solid #7aa7d9}
.done{background:#e9f6ea;border:1px solid #7cbf80}.stopped{background:#fdf0e6;border:1px solid #e0a070}
.strip{display:flex;overflow-x:auto;gap:1em;padding-bottom:.5em}.strip figure{margin:0;flex:none}`

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`

function checkStatus(s: RunStatus): void {
  if (!['running', 'done', 'stopped'].includes(s.state)) throw new RangeError(`index.html: status.state must be running, done or stopped, got ${JSON.stringify(s.state)}`)
  for (const k of ['epoch', 'epochs', 'step', 'steps', 'globalStep'] as const) {
    const v = s[k]
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new RangeError(`index.html: status.${k} must be an integer >= 0, got ${v}`)
  }
}

// The sentence at the top of a live page; a part whose number is unknown is left out.
export function statusText(s: RunStatus): string {
  checkStatus(s)
  const epoch = `epoch ${s.epoch}${s.epochs !== undefined ? ` of ${s.epochs}` : ''}`
  const step = s.step !== undefined ? `, step ${s.step}${s.steps !== undefined ? ` of ${s.steps}` : ''}` : ''
  const overall = s.globalStep !== undefined ? ` (step ${s.globalStep} overall)` : ''
  const updated = ` Updated ${s.updated.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}.`
  const why = s.message ? `: ${s.message}.` : '.'
  if (s.state === 'running') return `Training: ${epoch}${step}${overall}.${updated}`
  if (s.state === 'done') return `Done: ${count(s.epoch, 'epoch')}${s.globalStep !== undefined ? `, ${count(s.globalStep, 'step')}` : ''}.${updated}`
  return `Stopped in ${epoch}${step}${overall}${why}${updated}`
}

export function renderIndexHtml(page: IndexPage): string {
  const unset = { ...UNSET_SETTINGS, ...page.unsetSettings }
  const settings = Object.entries(page.settings)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(settingText(v, unset[k] ?? '-'))}</code></td></tr>`)
    .join('\n')
  const { status } = page
  // The step (or the time) in every picture's link: a reload asks for the newest file.
  const version = status ? `?v=${encodeURIComponent(String(status.globalStep ?? status.updated))}` : ''
  const figure = (file: string, caption: string) =>
    `<figure><img src="${escapeHtml(relativeHref(file) + version)}" alt="${escapeHtml(caption)}"><figcaption>${escapeHtml(caption)}</figcaption></figure>`
  const figures = page.images.map((im) => figure(im.file, im.caption)).join('\n')
  let refresh = ''
  let watchdog = ''
  if (status?.state === 'running') {
    const seconds = page.refreshSeconds ?? DEFAULT_REFRESH_SECONDS
    if (!(Number.isInteger(seconds) && seconds >= 1)) throw new RangeError(`index.html: refreshSeconds must be a whole number of seconds >= 1, got ${seconds}`)
    const stale = page.staleSeconds ?? DEFAULT_STALE_SECONDS
    if (!(Number.isInteger(stale) && stale >= 1)) throw new RangeError(`index.html: staleSeconds must be a whole number of seconds >= 1, got ${stale}`)
    if (Number.isNaN(Date.parse(status.updated))) throw new RangeError(`index.html: status.updated must be an ISO 8601 time, got ${JSON.stringify(status.updated)}`)
    // Without scripts, a meta refresh; with them, the script below reloads unless the page is stale.
    refresh = `<noscript><meta http-equiv="refresh" content="${seconds}"></noscript>`
    watchdog = `<script>${staleScript(seconds, stale)}</script>`
  }
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    // An empty icon: without it a browser asks the server for /favicon.ico and logs a 404.
    `<head><meta charset="utf-8">${refresh}<link rel="icon" href="data:,"><title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h1>${escapeHtml(page.title)}</h1>`,
  ]
  if (status) {
    const reload = status.state === 'running' ? ` This page reloads every ${page.refreshSeconds ?? DEFAULT_REFRESH_SECONDS} s.` : ''
    parts.push(`<p class="status ${status.state}" id="status" data-state="${status.state}" data-updated="${escapeHtml(status.updated)}">${escapeHtml(statusText(status) + reload)}</p>`)
  }
  parts.push('<h2>Settings</h2>', `<table class="settings">\n${settings}\n</table>`)
  if (figures) parts.push('<h2>Pictures</h2>', figures)
  if (page.snapshots?.length) {
    const strip = [...page.snapshots].sort((a, b) => a.globalStep - b.globalStep).map((s) => figure(s.file, `step ${s.globalStep}`)).join('\n')
    parts.push('<h2>Samples over training steps</h2>', `<div class="strip">\n${strip}\n</div>`)
  }
  const rows = page.metricsTable ?? []
  if (rows.length) {
    const columns = metricColumns(rows)
    const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`
    const body = rows.map((row) => `<tr>${columns.map((c) => metricCell(row[c])).join('')}</tr>`).join('\n')
    parts.push('<h2>Metrics</h2>', `<table class="metrics">\n${head}\n${body}\n</table>`)
  }
  if (page.links?.length) {
    const items = page.links.map((l) => `<li><a href="${escapeHtml(relativeHref(l.file))}">${escapeHtml(l.caption)}</a></li>`).join('\n')
    parts.push('<h2>Files</h2>', `<ul>\n${items}\n</ul>`)
  }
  if (watchdog) parts.push(watchdog)
  parts.push('</body>', '</html>', '')
  return parts.join('\n')
}

// Reload every `seconds` unless the status is older than `stale` seconds; then say so and stop.
function staleScript(seconds: number, stale: number): string {
  return `(function(){var s=document.getElementById('status');var age=(Date.now()-Date.parse(s.dataset.updated))/1000;` +
    `if(age>${stale}){s.className='status stopped';s.dataset.state='stale';` +
    `s.textContent='Stopped? '+s.textContent.replace(/ This page reloads every .*$/,'')+' No update for '+Math.round(age/60)+' min: the training process ended without finishing (interrupted or killed) or hangs. This page no longer reloads; reload it by hand to check.';return}` +
    `setTimeout(function(){location.reload()},${seconds * 1000})})()`
}

// Writes <dir>/index.html atomically and returns its path.
export function writeIndexHtml(dir: string, page: IndexPage): string {
  const path = join(dir, 'index.html')
  writeFileAtomic(path, renderIndexHtml(page))
  return path
}
