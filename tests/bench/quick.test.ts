// The benchmark's machinery on tiny sizes, so it cannot rot: every row runs on every side (genkata
// cpu and reference, tfjs-wasm and tfjs-cpu), the table prints, and the JSON has the medians,
// repeat counts, ratios, targets and the machine. Run in a child process, as `npm run bench` is.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'

test('npm run bench -- --tiny: every row on every side, a table, and results.json', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'genkata-bench-')), 'results.json')
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--tiny', '--out', out], { encoding: 'utf8', timeout: 120_000 })
  assert.is(run.status, 0, run.stderr)
  const result = JSON.parse(readFileSync(out, 'utf8'))
  const ids = result.rows.map((r: { id: string }) => r.id)
  assert.equal(ids, [
    'matmul-x-w', 'matmul-h-w', 'matmul-512', 'matmul-xT-dy', 'matmul-dy-wT',
    'conv-1-32-forward', 'conv-1-32-inputGrad', 'conv-1-32-weightGrad',
    'conv-32-64-forward', 'conv-32-64-inputGrad', 'conv-32-64-weightGrad',
    'fc-vae-step', 'conv-vae-step',
  ])
  for (const row of result.rows) {
    for (const side of ['cpu', 'reference', 'tfjs-wasm', 'tfjs-cpu']) {
      const s = row.sides[side]
      assert.ok(s && !s.error, `${row.id} on ${side}: ${s?.error}`)
      assert.ok(s.medianMs > 0 && s.repeats >= 2 && s.timesMs.length === s.repeats, `${row.id} on ${side}`)
    }
    assert.ok(row.ratios['cpu/tfjs-wasm'] > 0 && row.ratios['cpu/tfjs-cpu'] > 0, row.id)
  }
  const targets = result.rows.filter((r: { target?: unknown }) => r.target).map((r: { id: string; target: { max: number } }) => [r.id, r.target.max])
  assert.equal(targets, [['matmul-512', 1], ['fc-vae-step', 0.25], ['conv-vae-step', 1]])
  assert.is(result.machine.node, process.version)
  assert.ok(result.machine.cores >= 1 && typeof result.machine.cpu === 'string')
  assert.is(result.machine.tfjs.wasmThreads, 1)
  assert.is(typeof result.machine.tfjs.wasmSimd, 'boolean')
  assert.match(run.stdout, /cpu\/tfjs-wasm/)
  assert.match(run.stdout, /conv VAE latent 4 step, batch 4/)
  assert.match(run.stdout, new RegExp(`results written to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
})

test('npm run bench refuses an unknown gpu.js backend, naming the registered ones', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--tiny', '--gpujs', 'gpu.js-nope'], { encoding: 'utf8', timeout: 60_000 })
  assert.is.not(run.status, 0)
  assert.match(run.stderr, /--gpujs: unknown backend\(s\) gpu\.js-nope; registered: /)
})

test.run()
