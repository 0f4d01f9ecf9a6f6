// npm run bench:peers's machinery, in seconds and without PyTorch: --quick trains a few steps of
// each workload on the embedded sample; pointed at a python that does not exist, it says PyTorch
// was skipped and why, and still prints and writes genkata's figures. No speed is asserted.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { isOptimisedBlas } from '../../scripts/bench/peer_pytorch.ts'
import { FLOPS_PER_IMAGE, WASM_LIMIT_GFLOPS, conv, convTranspose, linear, trainFlops } from '../../scripts/bench/flops.ts'

const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench_peers.ts', ...args], { encoding: 'utf8', timeout: 180_000 })

test('bench:peers --quick without PyTorch: a clear message, genkata\'s rows, and peers.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genkata-peers-'))
  const out = join(dir, 'peers.json')
  const python = join(dir, 'no-such-python3')
  const r = run(['--quick', '--python', python, '--out', out])
  assert.is(r.status, 0, r.stderr)
  assert.match(r.stdout, `PyTorch peer skipped: ${python} was not found`)
  assert.match(r.stdout, /apt-get install python3-torch/)
  assert.match(r.stdout, /genkata s\s+images\/s\s+GFLOP\/s\s+% wasm limit\s+pytorch s\s+images\/s\s+GFLOP\/s\s+genkata\/pytorch/)
  assert.match(r.stdout, /load average before\/after: /)
  const result = JSON.parse(readFileSync(out, 'utf8'))
  assert.is(result.quick, true)
  assert.is(result.wasmLimitGflops, WASM_LIMIT_GFLOPS)
  assert.equal(result.pytorch, { python, skipped: `${python} was not found` })
  assert.is(typeof result.machine.loadWarning, 'boolean')
  assert.is(result.machine.loadWarning, result.machine.loadAverage[0] > 0.5)
  assert.equal(result.rows.map((row: { workload: string }) => row.workload), ['fc', 'conv', 'dcgan'])
  const expected = { fc: [128, 3], conv: [32, 2], dcgan: [16, 2] } as Record<string, [number, number]>
  for (const row of result.rows) {
    const [batch, steps] = expected[row.workload]!
    const g = row.genkata
    assert.is(row.batch, batch, row.workload)
    assert.is(g.steps, steps, row.workload)
    assert.is(g.images, batch * steps, row.workload)
    assert.ok(g.seconds > 0 && g.cpuSeconds > 0, row.workload)
    assert.ok(Math.abs(g.imagesPerSecond - g.images / g.seconds) < 1e-6 * g.imagesPerSecond, row.workload)
    assert.ok(Math.abs(g.gflops - (row.flopsPerImage * g.images) / g.seconds / 1e9) < 1e-9 * g.gflops, row.workload)
    assert.ok(Math.abs(g.percentOfWasmLimit - (100 * g.gflops) / WASM_LIMIT_GFLOPS) < 1e-9 * g.percentOfWasmLimit, row.workload)
    assert.is(row.pytorch, null)
    assert.is(row.ratio, null)
  }
})

test('bench:peers refuses an unknown workload and an unknown option, naming them', () => {
  const bad = run(['--quick', '--only', 'fc,resnet'])
  assert.is.not(bad.status, 0)
  assert.match(bad.stderr, /--only: unknown workload\(s\) resnet; choose from fc, conv, dcgan/)
  const option = run(['--fast'])
  assert.is.not(option.status, 0)
  assert.match(option.stderr, /unknown option --fast/)
})

test('FLOPs per image: the layers as counted by hand', () => {
  // FC VAE: 784*400 + 2*400*20 + 20*400 + 400*784 = 651,200 multiply-adds; forward 2x, backward
  // 4x except the first layer's input gradient (784*400 multiply-adds not done).
  const macs = 784 * 400 + 2 * 400 * 20 + 20 * 400 + 400 * 784
  assert.is(FLOPS_PER_IMAGE.fc, 6 * macs - 2 * 784 * 400)
  assert.is(trainFlops([linear(3, 5)]), 6 * 15)
  assert.is(conv(1, 32, 4, 14, 14).macs, 32 * 14 * 14 * 16)
  assert.is(convTranspose(64, 32, 4, 7, 7).macs, 64 * 49 * 32 * 16)
  // The two convolutions of the ConvVAE are each other's transposes: the same multiply-adds.
  assert.is(conv(32, 64, 4, 7, 7).macs, convTranspose(64, 32, 4, 7, 7).macs)
  assert.ok(FLOPS_PER_IMAGE.conv > 20e6 && FLOPS_PER_IMAGE.conv < 25e6)
})

test('the BLAS check: OpenBLAS, MKL and BLIS pass; Debian\'s reference libblas is flagged', () => {
  assert.ok(isOptimisedBlas('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3'))
  assert.ok(isOptimisedBlas('/opt/intel/mkl/lib/libmkl_rt.so'))
  assert.not.ok(isOptimisedBlas('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'))
  assert.not.ok(isOptimisedBlas('unknown'))
})

test.run()
