// The run page end to end: a fake run driven step by step through the step log writes its files,
// snapshots and live page; the page reloads while running and stops when done or stopped; nothing
// missing is linked and no "undefined" or "null" is shown.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createImage } from '../../src/report/canvas.ts'
import { readMetricsCsv } from '../../src/report/metrics.ts'
import { readPng } from '../../src/report/png.ts'
import { runStatus, STRIP_MAX, writeRunPage } from '../../src/report/run_page.ts'
import { listSnapshots, pickSnapshots, snapshotDue, snapshotFile, writeSnapshot } from '../../src/report/snapshots.ts'
import { buildFakeRun } from '../helpers/fake_run.ts'

const root = mkdtempSync(join(tmpdir(), 'genkata-runpage-'))
test.after(() => rmSync(root, { recursive: true, force: true }))
let runs = 0
const newDir = () => join(root, `run${runs++}`)
const visibleText = (html: string) => html.replace(/<head>[\s\S]*<\/head>/, '').replace(/<[^>]*>/g, ' ')

test('snapshots: due at step 0 and every N, named in step order, listed and thinned for the strip', () => {
  assert.equal([0, 1, 4, 5, 10, 11].filter((g) => snapshotDue(g, 5)), [0, 5, 10])
  assert.not.ok(snapshotDue(0, 0) || snapshotDue(5, undefined), '0 or unset: no snapshots')
  assert.throws(() => snapshotDue(1, 2.5), /--snapshot-every must be a whole number of steps >= 1 \(or 0 for none\), got 2.5/)
  assert.is(snapshotFile(500), 'snapshots/step-0000500.png')
  assert.throws(() => snapshotFile(-1), /the step must be an integer >= 0, got -1/)
  const dir = newDir()
  assert.equal(listSnapshots(dir), [])
  for (const g of [1000, 0, 500]) writeSnapshot(dir, g, createImage(4, 4, 1, g / 4))
  assert.equal(listSnapshots(dir).map((s) => s.globalStep), [0, 500, 1000])
  assert.is(readPng(join(dir, 'snapshots/step-0000500.png')).data[0], 125)
  const many = Array.from({ length: 100 }, (_, i) => ({ file: `s${i}.png`, globalStep: i * 10 }))
  const picked = pickSnapshots(many, 24)
  assert.is(picked.length, 24)
  assert.equal([picked[0]!.globalStep, picked.at(-1)!.globalStep], [0, 990])
  assert.equal(pickSnapshots(many.slice(0, 3), 24).length, 3)
  assert.throws(() => pickSnapshots(many, 1), /max must be an integer >= 2, got 1/)
})

test('a tiny GAN run logging every 5 steps has per-step metrics, per-step curves and a live page', () => {
  const dir = newDir()
  buildFakeRun(dir, { epochs: 3, trained: 2, stepsPerEpoch: 40, logEvery: 5, snapshotEvery: 20, state: 'running' })
  const rows = readMetricsCsv(join(dir, 'metrics-steps.csv'))
  assert.equal(rows.map((r) => r.global_step), [1, ...Array.from({ length: 16 }, (_, i) => (i + 1) * 5)])
  assert.equal(Object.keys(rows[0]!), ['epoch', 'step', 'global_step', 'lr', 'd_loss', 'g_loss', 'd_real', 'd_fake_before', 'd_fake_after'])
  assert.ok(readPng(join(dir, 'outputs-steps.png')).width > 0)
  assert.ok(readPng(join(dir, 'losses-steps.png')).width > 0)
  assert.equal(readdirSync(join(dir, 'snapshots')), ['step-0000000.png', 'step-0000020.png', 'step-0000040.png', 'step-0000060.png', 'step-0000080.png'])
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  assert.ok(html.includes('<meta http-equiv="refresh" content="10">'))
  assert.match(html, /Training: epoch 2 of 3, step 40 of 40 \(step 80 overall\)\. Updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. This page reloads every 10 s\./)
  assert.ok(html.includes('<img src="samples.png?v=80"'))
  assert.ok(html.includes('<img src="snapshots/step-0000060.png?v=80"'))
  assert.not.ok(html.includes('classes.png') || html.includes('checkpoint.gkt'), 'files not written yet are left off')
  assert.ok(html.includes('<th>limit</th><td><code>all</code>') && html.includes('<th>dataDir</th><td><code>-</code>'))
  assert.not.match(visibleText(html), /undefined|null/)
  const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'))
  assert.equal({ ...status, updated: 'x' }, { state: 'running', epoch: 2, updated: 'x', epochs: 3, step: 40, steps: 40, globalStep: 80 })
})

test('when the run ends the page stops reloading and says whether it is done or stopped', () => {
  const done = newDir()
  buildFakeRun(done, { epochs: 2, stepsPerEpoch: 10, logEvery: 5, snapshotEvery: 10, state: 'done' })
  const doneHtml = readFileSync(join(done, 'index.html'), 'utf8')
  assert.not.ok(doneHtml.includes('http-equiv="refresh"'))
  assert.match(doneHtml, /data-state="done" data-updated="[^"]+">Done: 2 epochs, 20 steps\./)
  assert.not.ok(doneHtml.includes('<script'), 'no reload script either')
  const stopped = newDir()
  buildFakeRun(stopped, { epochs: 5, trained: 1, stepsPerEpoch: 10, logEvery: 5, snapshotEvery: 10, state: 'stopped', message: 'interrupted (SIGINT)' })
  const stoppedHtml = readFileSync(join(stopped, 'index.html'), 'utf8')
  assert.not.ok(stoppedHtml.includes('http-equiv="refresh"'))
  assert.ok(stoppedHtml.includes('Stopped in epoch 1 of 5 (step 10 overall): interrupted (SIGINT).'))
  assert.is(JSON.parse(readFileSync(join(stopped, 'status.json'), 'utf8')).state, 'stopped')
})

test('the strip shows at most STRIP_MAX snapshots; the status is checked before anything is written', () => {
  const dir = newDir()
  for (let g = 0; g < 40; g++) writeSnapshot(dir, g * 10, createImage(2, 2, 1))
  writeRunPage(dir, { title: 't', settings: {}, images: [], state: 'running', epoch: 1, now: () => new Date(Date.UTC(2026, 11, 7, 3)) })
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  assert.is(html.split('<figure>').length - 1, STRIP_MAX)
  assert.ok(html.includes('step 0</figcaption>') && html.includes('step 390</figcaption>'))
  assert.ok(html.includes('Updated 2026-12-07 03:00:00 UTC.'))
  const bad = newDir()
  assert.throws(() => writeRunPage(bad, { title: 't', settings: {}, images: [], state: 'running', epoch: -1 }), /status.epoch must be an integer >= 0, got -1/)
  assert.not.ok(existsSync(bad))
  assert.equal(Object.keys(runStatus({ title: 't', settings: {}, images: [], state: 'done', epoch: 2 })), ['state', 'epoch', 'updated'])
})

test.run()
