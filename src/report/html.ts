// The run's index.html: one self-contained page (inline style, no scripts, nothing fetched from
// elsewhere) with the settings, the pictures and the metrics, linking files of the run folder by
// relative paths so the folder can be moved, zipped or served as it is. Every piece of text is
// escaped: settings come from the command line and captions from callers.
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
}

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

function settingText(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') return String(v)
  if (v instanceof Date) return v.toISOString()
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x))
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
img{image-rendering:pixelated;border:1px solid #ddd;max-width:100%}figcaption{color:#555;margin-top:4px}`

export function renderIndexHtml(page: IndexPage): string {
  const settings = Object.entries(page.settings)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(settingText(v))}</code></td></tr>`)
    .join('\n')
  const figures = page.images
    .map((im) => `<figure><img src="${escapeHtml(relativeHref(im.file))}" alt="${escapeHtml(im.caption)}"><figcaption>${escapeHtml(im.caption)}</figcaption></figure>`)
    .join('\n')
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h1>${escapeHtml(page.title)}</h1>`,
    '<h2>Settings</h2>',
    `<table class="settings">\n${settings}\n</table>`,
  ]
  if (figures) parts.push('<h2>Pictures</h2>', figures)
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
  parts.push('</body>', '</html>', '')
  return parts.join('\n')
}

// Writes <dir>/index.html atomically and returns its path.
export function writeIndexHtml(dir: string, page: IndexPage): string {
  const path = join(dir, 'index.html')
  writeFileAtomic(path, renderIndexHtml(page))
  return path
}
