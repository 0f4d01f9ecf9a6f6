// The run page in a real browser: headless Chromium (Debian's, driven by playwright-core) loads a
// fake run's page from a tiny local server and finds every image loaded, no console error, no failed
// request, no "undefined" or "null" on screen; a running page reloads itself, shows the newest
// state, and stops reloading once the run is done, or once it is stale (a killed run's); the page of a real tiny DCGAN run (trained here,
// through the epoch runner) loads as cleanly. Skipped, saying why, where /usr/bin/chromium is
// missing; .ci/run installs it, so CI runs it.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize, sep } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { writeRunPage } from '../../src/report/run_page.ts'
import { defaultGanRunConfig, trainGan } from '../../src/train/gan_trainer.ts'
import { buildFakeRun } from '../helpers/fake_run.ts'
import { silenced } from '../helpers/quiet.ts'

const CHROMIUM = '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.png': 'image/png', '.json': 'application/json', '.csv': 'text/csv' }

// Serves `dir` read-only on 127.0.0.1; the query string (?v=step) is ignored, as any static server does.
function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = normalize(join(dir, path === '/' ? 'index.html' : path))
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }).end(readFileSync(file))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })))
}

if (!existsSync(CHROMIUM)) {
  console.error(`skipped the run page's browser test: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`)
  test.skip('the run page in headless Chromium', () => {})
} else {
  const root = mkdtempSync(join(tmpdir(), 'genkata-browser-'))
  const dir = join(root, 'run')
  const real = join(root, 'real')
  // Started when this suite runs (uvu imports every test file first), so the browser is up only
  // while it is needed, and a browser that fails to start fails these tests, not the whole run.
  let context!: BrowserContext
  let server: Server | undefined
  let realServer: Server | undefined
  let url = ''
  let realUrl = ''
  test.before(async () => {
    buildFakeRun(dir, { epochs: 3, trained: 2, stepsPerEpoch: 40, logEvery: 5, snapshotEvery: 20, state: 'running' })
    ;({ server, url } = await serve(dir))
    // 32 sample images in batches of 4, one epoch: 8 steps, a snapshot every 4.
    silenced(() => trainGan({ ...defaultGanRunConfig('dcgan'), sample: true, limit: 32, batch: 4, epochs: 1, width: 2, noise: 8, seed: 3, logEvery: 2, snapshotEvery: 4 }, real, { log: () => {} }))
    ;({ server: realServer, url: realUrl } = await serve(real))
    const { chromium } = await import('playwright-core')
    context = await chromium.launchPersistentContext(mkdtempSync(join(root, 'profile-')), { executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 120_000 })
  })
  test.after(async () => {
    await context?.close()
    if (server) await new Promise((resolve) => server!.close(resolve))
    if (realServer) await new Promise((resolve) => realServer!.close(resolve))
    rmSync(root, { recursive: true, force: true })
  })

  // Everything that went wrong on a page: console errors, uncaught exceptions, failed or 4xx/5xx requests.
  async function openPage() {
    const page = await context.newPage()
    const problems: string[] = []
    const loads: string[] = []
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`))
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`))
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`))
    page.on('load', () => loads.push(new Date().toISOString()))
    return { page, problems, loads }
  }

  test('every image loads, nothing fails, and no "undefined" or "null" is on screen', async () => {
    const { page, problems } = await openPage()
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 })
    const images = await page.$$eval('img', (imgs) => imgs.map((img) => ({ src: img.getAttribute('src'), complete: img.complete, width: img.naturalWidth })))
    assert.ok(images.length >= 8, `expected the pictures and the snapshot strip, got ${images.length} images`)
    for (const im of images) assert.ok(im.complete && im.width > 0, `image ${im.src} did not load`)
    assert.ok(images.some((im) => im.src === 'snapshots/step-0000080.png?v=80'), 'the newest snapshot is shown')
    const text = await page.innerText('body')
    assert.not.match(text, /undefined|null/)
    assert.match(text, /Training: epoch 2 of 3, step 40 of 40 \(step 80 overall\)/)
    assert.equal(problems, [])
    if (process.env.GENKATA_SCREENSHOT) await page.screenshot({ path: process.env.GENKATA_SCREENSHOT, fullPage: true })
    await page.close()
  })

  test('a running page reloads itself, shows the newest state, and stops reloading once done', async () => {
    const settings = { model: 'dcgan', limit: undefined }
    const images = [{ file: 'samples.png', caption: 'samples' }]
    writeRunPage(dir, { title: 'live', settings, images, state: 'running', epoch: 2, epochs: 3, step: 40, steps: 40, globalStep: 80, refreshSeconds: 1 })
    const { page, problems, loads } = await openPage()
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 })
    writeRunPage(dir, { title: 'live', settings, images, state: 'running', epoch: 3, epochs: 3, step: 20, steps: 40, globalStep: 100, refreshSeconds: 1 })
    await page.waitForSelector('text=step 100 overall', { timeout: 30_000 })
    assert.ok(loads.length >= 2, 'the page reloaded by itself')
    writeRunPage(dir, { title: 'live', settings, images, state: 'done', epoch: 3, epochs: 3, globalStep: 120, refreshSeconds: 1 })
    await page.waitForSelector('#status[data-state="done"]', { timeout: 30_000 })
    assert.match(await page.innerText('#status'), /^Done: 3 epochs, 120 steps\./)
    const after = loads.length
    await page.waitForTimeout(3000) // three refresh periods
    assert.is(loads.length, after, 'a done page does not reload')
    assert.is(await page.$eval('img', (img) => img.getAttribute('src')), 'samples.png?v=120')
    assert.equal(problems, [])
    await page.close()
  })

  test('a running page not rewritten for staleSeconds says the process stopped, and stops reloading', async () => {
    const settings = { model: 'dcgan' }
    const images = [{ file: 'samples.png', caption: 'samples' }]
    // Written an hour ago by a run that was killed (Ctrl-C never reaches a synchronous training loop).
    const hourAgo = () => new Date(Date.now() - 3600_000)
    writeRunPage(dir, { title: 'killed', settings, images, state: 'running', epoch: 2, epochs: 3, step: 7, steps: 40, globalStep: 47, refreshSeconds: 1, staleSeconds: 600, now: hourAgo })
    const { page, problems, loads } = await openPage()
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 })
    await page.waitForSelector('#status[data-state="stale"]', { timeout: 30_000 })
    const text = await page.innerText('#status')
    assert.match(text, /^Stopped\? Training: epoch 2 of 3, step 7 of 40 \(step 47 overall\)\..* No update for 60 min: the training process ended without finishing \(interrupted or killed\) or hangs\./)
    assert.not.match(text, /reloads every/)
    await page.waitForTimeout(3000) // three refresh periods
    assert.is(loads.length, 1, 'a stale page does not reload')
    assert.equal(problems, [])
    await page.close()
  })

  test("a real tiny DCGAN run's page: every image loads, nothing fails, no \"undefined\" or \"null\"", async () => {
    const { page, problems } = await openPage()
    await page.goto(realUrl, { waitUntil: 'load', timeout: 60_000 })
    const images = await page.$$eval('img', (imgs) => imgs.map((img) => ({ src: img.getAttribute('src'), complete: img.complete, width: img.naturalWidth })))
    const srcs = images.map((im) => im.src)
    for (const file of ['samples.png', 'progress.png', 'losses-steps.png', 'outputs-steps.png', 'losses.png', 'outputs.png', 'snapshots/step-0000000.png', 'snapshots/step-0000004.png', 'snapshots/step-0000008.png']) {
      assert.ok(srcs.includes(`${file}?v=8`), `the page shows ${file}: ${srcs.join(', ')}`)
    }
    for (const im of images) assert.ok(im.complete && im.width > 0, `image ${im.src} did not load`)
    const text = await page.innerText('body')
    assert.not.match(text, /undefined|null/)
    assert.match(await page.innerText('#status'), /^Done: 1 epoch, 8 steps\./)
    assert.equal(problems, [])
    await page.close()
  })
}

test.run()
