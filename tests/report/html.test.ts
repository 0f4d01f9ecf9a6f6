// index.html: everything a caller passes is escaped, links stay relative and inside the run
// folder, and the page holds the settings, the pictures and the metrics.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { escapeHtml, relativeHref, renderIndexHtml, writeIndexHtml } from '../../src/report/html.ts'

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
  assert.not.match(html, /<script|<link|https?:|src="\//)
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
  for (const cell of ['0.001', '10', 'false', '12', '/usr/share/datasets', '2024-01-02T00:00:00.000Z', 'null', 'undefined', '[20,400]', '{&quot;n&quot;:&quot;1&quot;}', '[object Object]']) {
    assert.ok(html.includes(`<td><code>${cell}</code></td>`), cell)
  }
  assert.ok(html.includes('<td class="num" title="0.30000000000000004">0.3</td>'))
  assert.ok(html.includes('<td class="num" title="NaN">NaN</td>'))
  assert.ok(html.includes('<td>test</td>'))
  assert.ok(html.includes('<tr><td class="num" title="2">2</td><td></td><td></td><td></td></tr>'))
  assert.not.ok(html.includes('<h2>Pictures</h2>') || html.includes('<h2>Files</h2>'), 'empty sections are left out')
  assert.not.ok(renderIndexHtml({ title: 'r', settings: {}, images: [], metricsTable: [] }).includes('<h2>Metrics</h2>'))
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
