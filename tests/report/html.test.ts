// index.html: everything a caller passes is escaped, links stay relative and inside the run
// folder, and the page holds the settings, the pictures and the metrics.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { escapeHtml, relativeHref, renderIndexHtml, statusText, writeIndexHtml, type RunStatus } from '../../src/report/html.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-html-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!)

test('escapeHtml leaves no markup characters and loses nothing', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const e = escapeHtml(s)
      assert.not.match(e, /[<>"']/)
      assert.not.match(e, /&(?!(amp|lt|gt|quot|#39);)/)
      assert.is(unescape(e), s)
    }),
  )
  assert.is(escapeHtml(`<b a="1" b='2'>&amp;</b>`), '&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;amp;&lt;/b&gt;')
})

const hostile = `<script>alert("x")</script> & 'quotes'`

test('every caller-supplied text on the page is escaped: title, settings, captions, metrics, links', () => {
  const html = renderIndexHtml({
    title: hostile,
    settings: { [hostile]: hostile, nested: { a: [1, '<b>'] } },
    images: [{ file: 'curve.png', caption: hostile }],
    metricsTable: [{ [hostile]: hostile, epoch: 1 }],
    links: [{ file: 'metrics.csv', caption: hostile }],
  })
  assert.not.ok(html.includes('<script>'), 'no script element survives')
  assert.not.ok(html.includes('<b>'))
  const escaped = escapeHtml(hostile)
  // title twice (head and h1), setting key and value, caption twice (alt and figcaption), metric header and cell, link
  assert.is(html.split(escaped).length - 1, 9)
  assert.ok(html.includes(escapeHtml(JSON.stringify({ a: [1, '<b>'] }))))
})

test('the page is self-contained: inline style, no scripts, no absolute or remote URLs', () => {
  const html = renderIndexHtml({ title: 't', settings: {}, images: [{ file: 'samples/grid 1.png', caption: 'samples' }] })
  assert.ok(html.startsWith('<!DOCTYPE html>'))
  assert.ok(html.includes('<meta charset="utf-8">') && html.includes('<style>'))
  assert.not.match(html, /<script|<link(?! rel="icon" href="data:,">)|https?:|src="\//)
  assert.ok(html.includes('<link rel="icon" href="data:,">'), 'an empty icon, so a browser asks for no favicon.ico')
  assert.ok(html.includes('<img src="samples/grid%201.png" alt="samples">'))
})

test('links must be relative paths inside the run folder', () => {
  assert.is(relativeHref('a b/c#d?.png'), 'a%20b/c%23d%3F.png')
  for (const bad of ['/etc/passwd', '../other/x.png', 'a/../../x', 'https://example.com/x.png', 'javascript:alert(1)', 'C:\\x.png', '\\\\server\\x', '']) {
    assert.throws(() => relativeHref(bad), /expected a relative path inside the run folder/, bad)
  }
  assert.throws(() => renderIndexHtml({ title: 't', settings: {}, images: [{ file: '../x.png', caption: 'x' }] }), /"\.\.\/x\.png"/)
})

test('settings of every kind read plainly; metrics show 6 digits with the exact value in the tooltip', () => {
  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  const html = renderIndexHtml({
    title: 'run',
    settings: { lr: 0.001, epochs: 10, amsgrad: false, seed: 12n, data: '/usr/share/datasets', started: new Date(Date.UTC(2024, 0, 2)), none: null, unset: undefined, dims: [20, 400], big: { n: 1n }, cyclic },
    images: [],
    metricsTable: [{ epoch: 1, loss: 0.30000000000000004, kl: NaN, split: 'test' }, { epoch: 2 }],
  })
  for (const cell of ['0.001', '10', 'false', '12', '/usr/share/datasets', '2024-01-02T00:00:00.000Z', '-', '[20,400]', '{&quot;n&quot;:&quot;1&quot;}', '[object Object]']) {
    assert.ok(html.includes(`<td><code>${cell}</code></td>`), cell)
  }
  assert.ok(html.includes('<td class="num" title="0.30000000000000004">0.3</td>'))
  assert.ok(html.includes('<td class="num" title="NaN">NaN</td>'))
  assert.ok(html.includes('<td>test</td>'))
  assert.ok(html.includes('<tr><td class="num" title="2">2</td><td></td><td></td><td></td></tr>'))
  assert.not.ok(html.includes('<h2>Pictures</h2>') || html.includes('<h2>Files</h2>'), 'empty sections are left out')
  assert.not.ok(renderIndexHtml({ title: 'r', settings: {}, images: [], metricsTable: [] }).includes('<h2>Metrics</h2>'))
})

// The words a reader sees: the text of the page without its tags.
const visibleText = (html: string) => unescape(html.replace(/<head>[\s\S]*<\/head>/, '').replace(/<[^>]*>/g, ' '))

test('an unset setting reads "all" for a limit and "-" otherwise, never undefined or null', () => {
  const html = renderIndexHtml({
    title: 'run',
    settings: { limit: undefined, dataDir: undefined, fakeClassWeight: null, nested: { a: null, b: undefined, c: [1, null] }, epochs: 3 },
    images: [],
  })
  assert.ok(html.includes('<tr><th>limit</th><td><code>all</code></td></tr>'))
  assert.ok(html.includes('<tr><th>dataDir</th><td><code>-</code></td></tr>'))
  assert.ok(html.includes('<tr><th>fakeClassWeight</th><td><code>-</code></td></tr>'))
  assert.ok(html.includes(`<tr><th>nested</th><td><code>${escapeHtml('{"a":"-","b":"-","c":[1,"-"]}')}</code></td></tr>`))
  assert.not.match(visibleText(html), /undefined|null/)
  // A caller can say what unset means for its own settings; a set limit shows its value.
  const own = renderIndexHtml({ title: 'r', settings: { limit: 500, dest: undefined }, images: [], unsetSettings: { dest: 'data/<name>' } })
  assert.ok(own.includes('<th>limit</th><td><code>500</code>') && own.includes(`<th>dest</th><td><code>${escapeHtml('data/<name>')}</code>`))
})

const status = (s: Partial<RunStatus>): RunStatus => ({ state: 'running', epoch: 3, epochs: 10, step: 120, steps: 469, globalStep: 1058, updated: '2026-12-07T03:01:02.345Z', ...s })

test('a running page reloads itself and says the epoch and step; its pictures carry the step', () => {
  const html = renderIndexHtml({ title: 'dcgan', settings: {}, images: [{ file: 'samples.png', caption: 's' }], status: status({}), refreshSeconds: 5 })
  // A script reloads it (and stops once it is stale); without scripts, a meta refresh.
  assert.ok(html.includes('<noscript><meta http-equiv="refresh" content="5"></noscript>'))
  assert.ok(html.includes('setTimeout(function(){location.reload()},5000)') && html.includes('if(age>300)'), 'reloads every 5 s unless older than 300 s')
  assert.ok(renderIndexHtml({ title: 't', settings: {}, images: [], status: status({}), staleSeconds: 60 }).includes('if(age>60)'))
  assert.throws(() => renderIndexHtml({ title: 't', settings: {}, images: [], status: status({}), staleSeconds: 0 }), /staleSeconds must be a whole number of seconds >= 1, got 0/)
  assert.throws(() => renderIndexHtml({ title: 't', settings: {}, images: [], status: status({ updated: 'yesterday' }) }), /status.updated must be an ISO 8601 time, got "yesterday"/)
  assert.ok(html.includes('<p class="status running" id="status" data-state="running" data-updated="2026-12-07T03:01:02.345Z">Training: epoch 3 of 10, step 120 of 469 (step 1058 overall). Updated 2026-12-07 03:01:02 UTC. This page reloads every 5 s.</p>'))
  assert.ok(html.includes('<img src="samples.png?v=1058"'))
  assert.ok(renderIndexHtml({ title: 't', settings: {}, images: [], status: status({}) }).includes('content="10"'), '10 s by default')
  assert.throws(() => renderIndexHtml({ title: 't', settings: {}, images: [], status: status({}), refreshSeconds: 0.5 }), /refreshSeconds must be a whole number of seconds >= 1, got 0.5/)
})

test('a done or stopped page does not reload and says which, and why it stopped', () => {
  const done = renderIndexHtml({ title: 't', settings: {}, images: [], status: status({ state: 'done', epoch: 10, step: undefined, steps: undefined, globalStep: 4690 }) })
  assert.not.ok(done.includes('http-equiv="refresh"') || done.includes('<script'))
  assert.ok(done.includes('data-state="done" data-updated="2026-12-07T03:01:02.345Z">Done: 10 epochs, 4690 steps. Updated 2026-12-07 03:01:02 UTC.</p>'))
  const stopped = renderIndexHtml({ title: 't', settings: {}, images: [], status: status({ state: 'stopped', message: 'interrupted (SIGINT)' }) })
  assert.not.ok(stopped.includes('http-equiv="refresh"') || stopped.includes('<script'))
  assert.ok(stopped.includes('Stopped in epoch 3 of 10, step 120 of 469 (step 1058 overall): interrupted (SIGINT). Updated'))
  // Unknown numbers are left out of the sentence, never shown as "undefined".
  const bare = statusText({ state: 'running', epoch: 1, updated: '2026-12-07T03:01:02Z' })
  assert.is(bare, 'Training: epoch 1. Updated 2026-12-07 03:01:02 UTC.')
  assert.is(statusText({ state: 'done', epoch: 1, updated: 'x' }), 'Done: 1 epoch. Updated x.')
  assert.throws(() => statusText({ state: 'paused' as 'done', epoch: 1, updated: 'x' }), /status.state must be running, done or stopped, got "paused"/)
  assert.throws(() => statusText({ state: 'done', epoch: 1, step: -1, updated: 'x' }), /status.step must be an integer >= 0, got -1/)
})

test('snapshots show as one strip in step order, each captioned with its step', () => {
  const html = renderIndexHtml({
    title: 't', settings: {}, images: [],
    snapshots: [{ file: 'snapshots/step-000500.png', globalStep: 500 }, { file: 'snapshots/step-000000.png', globalStep: 0 }],
  })
  const strip = html.slice(html.indexOf('<div class="strip">'))
  assert.ok(strip.indexOf('step-000000.png') < strip.indexOf('step-000500.png'))
  assert.ok(strip.includes('<figcaption>step 0</figcaption>') && strip.includes('<figcaption>step 500</figcaption>'))
})

test('writeIndexHtml writes index.html atomically into the run folder', () => {
  const sub = join(dir, 'run')
  const page = { title: 'FC VAE', settings: { latent: 20 }, images: [{ file: 'curve_loss.png', caption: 'loss' }] }
  writeIndexHtml(sub, { ...page, title: 'old' })
  const path = writeIndexHtml(sub, page)
  assert.is(path, join(sub, 'index.html'))
  assert.equal(readdirSync(sub), ['index.html'])
  assert.is(readFileSync(path, 'utf8'), renderIndexHtml(page))
})

test.run()
