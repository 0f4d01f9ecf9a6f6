// Tensor storage in wasm memory (src/backend/cpu/resident.ts): outputs of float32 ops are blocks of
// the backend's memory, read back once when JavaScript reads them, freed by dispose() and tidy(),
// reused by the next output of their size; past the limit outputs are ordinary arrays. Adam's m and
// v live there too, and a run with them there ends bit for bit where one with ordinary arrays does.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { conv2d, fromArray, getBackend, Rng, randn, setBackend, tidy, type Tensor } from '../../src/index.ts'
import { Adam, bce, Linear, mse, ReLU, Sequential } from '../../src/nn/index.ts'
import { cpuBackend } from '../../src/backend/cpu/index.ts'
import { residentInfo, residentTuning, wasmOwner } from '../../src/backend/cpu/resident.ts'
import { addressOf } from '../../src/backend/cpu/wasm.ts'
import { ClassifierCnn } from '../../src/models/classifier_cnn.ts'
import { extractFeatures } from '../../src/eval/fid.ts'

let before = ''
test.before(() => {
  before = getBackend().name
  setBackend('cpu')

})
test.after(() => {
  setBackend(before)
})

const isResident = (t: Tensor) => t.device?.owner === wasmOwner

test('a float32 op of 512 values or more writes a resident block; reading data copies it out once and frees the block', () => {
  const x = randn([32, 32], { seed: 1 })
  const y = x.exp()
  assert.ok(isResident(y), 'exp of [32, 32] lives in wasm memory')
  assert.not.ok(isResident(randn([4, 4], { seed: 1 }).exp()), 'small outputs stay ordinary arrays')
  const blocks = residentInfo().blocks
  const values = y.data
  assert.is(residentInfo().blocks, blocks - 1, 'the download frees the block')
  assert.is(y.data, values, 'and later reads use the host copy')
  const expected = x.toTypedArray().map(Math.exp)
  for (let i = 0; i < expected.length; i++) if (Math.abs(values[i]! - expected[i]!) > 1e-6 * Math.abs(expected[i]!)) assert.unreachable(`exp at ${i}: got ${values[i]}, expected ${expected[i]}`)
})

test('ops chain from block to block without a download, and views of a block read through their strides', () => {
  const a = randn([48, 40], { seed: 2 })
  const b = a.mul(2) // resident
  const c = b.transpose().matmul(b).add(1).relu() // a transposed view of a block into the GEMM, then element-wise
  assert.ok(isResident(c))
  const host = a.toTypedArray()
  const at = (i: number, j: number) => host[i * 40 + j]! * 2
  const got = c.toTypedArray()
  for (const [i, j] of [[0, 0], [3, 17], [39, 39]] as const) {
    let s = 0
    for (let k = 0; k < 48; k++) s += at(k, i) * at(k, j)
    const want = Math.max(0, s + 1)
    if (Math.abs(got[i * 40 + j]! - want) > 1e-4 * (Math.abs(want) + 1)) assert.unreachable(`(b^T b + 1).relu at [${i}, ${j}]: got ${got[i * 40 + j]}, expected ${want}`)
  }
})

test('tidy frees every block made inside but what it returns, and the next output of that size reuses a freed block', () => {
  const x = randn([64, 64], { seed: 3 })
  const start = residentInfo()
  const kept = tidy(() => {
    const h = x.mul(3).exp().sub(x)
    return h.neg()
  })
  const after = residentInfo()
  assert.is(after.blocks, start.blocks + 1, `only the returned tensor's block is left: ${JSON.stringify({ start, after })}`)
  const claimed = after.claimedBytes
  for (let i = 0; i < 20; i++) tidy(() => {
    x.mul(i).exp()
  })
  assert.is(residentInfo().claimedBytes, claimed, 'twenty more steps with outputs of that size claimed no new memory')
  assert.ok(isResident(kept))
  kept.dispose()
  assert.is(residentInfo().blocks, start.blocks)
})

test('past the limit, outputs are ordinary arrays (counted), with the same values', () => {
  const saved = residentTuning.maxBytes
  const x = randn([40, 40], { seed: 4 })
  const expected = x.square().toTypedArray()
  const fallbacks = residentInfo().fallbacks
  residentTuning.maxBytes = 0
  try {
    // Held, so no freed block is there to reuse: each needs a new claim, which the limit refuses.
    const held = Array.from({ length: 3 }, () => x.square())
    assert.ok(held.some((t) => !isResident(t)), 'a claim past the limit gives an ordinary array')
    assert.ok(residentInfo().fallbacks > fallbacks)
    for (const t of held) assert.equal(Array.from(t.toTypedArray()), Array.from(expected))
  } finally {
    residentTuning.maxBytes = saved
  }
})

test('a resident tensor is read back correctly by another backend, and float64 never goes resident', () => {
  const y = randn([30, 30], { seed: 5 }).add(1)
  assert.ok(isResident(y))
  const expected = y.toTypedArray()
  setBackend('reference')
  try {
    assert.equal(Array.from(y.mul(2).toTypedArray()), Array.from(expected, (v) => Math.fround(v * 2)))
  } finally {
    setBackend('cpu')
  }
  assert.not.ok(isResident(randn([30, 30], { seed: 5, dtype: 'float64' }).add(1)))
})

test('freeing a block twice is an error that names it', () => {
  const y = randn([30, 30], { seed: 6 }).add(1)
  const id = y.device!.id
  y.dispose()
  assert.throws(() => wasmOwner.release(id), new RegExp(`resident block at ${id} freed twice`))
})

test('a convolution with a bias and a BCE loss keep their operands resident, and bce still names a value outside [0, 1]', () => {
  const x = randn([8, 3, 12, 12], { seed: 7 })
  const w = randn([4, 3, 3, 3], { seed: 8 })
  const b = fromArray([0.5, -1, 2, 0], [4])
  const y = conv2d(x, w, b, { padding: 1 })
  assert.ok(isResident(y), 'the biased output stays in wasm memory')
  const p = y.sigmoid()
  const loss = bce(p, 0.5)
  assert.ok(isResident(p), 'checking p did not download it')
  assert.ok(Number.isFinite(loss.item()))
  const bad = p.mul(1.5)
  const at = Array.from(bad.toTypedArray()).findIndex((v) => !(v <= 1))
  const fresh = p.mul(1.5)
  assert.throws(() => bce(fresh, 0.5), new RegExp(`got ${bad.toTypedArray()[at]} at flat index ${at} `))
})

test('an evaluation loop frees each batch: extracting features over many batches leaves no block behind', () => {
  const model = new ClassifierCnn({ classes: 10, channels: [4, 8], hidden: 16, dropout: 0, rng: new Rng(31) })
  const images = (start: number, n: number) => randn([n, 1, 28, 28], { seed: 32 + start })
  const before = residentInfo().blocks
  const set = extractFeatures(model, 96, images, 16)
  assert.is(residentInfo().blocks, before, 'six batches, nothing held after')
  assert.is(set.features.length, 96 * set.dim)
})

/** A small MLP trained a few steps with Adam, each step in tidy(); returns its weights and what was live after each step. */
function train(steps: number, stateInWasm: boolean): { weights: number[]; blocksAfter: number[]; stateAddresses: number[] } {
  const allocateState = cpuBackend.allocateState
  if (!stateInWasm) delete (cpuBackend as { allocateState?: unknown }).allocateState
  try {
    const rng = new Rng(11)
    const model = new Sequential(new Linear({ inFeatures: 64, outFeatures: 48, rng }), new ReLU(), new Linear({ inFeatures: 48, outFeatures: 32, rng }))
    const optimizer = new Adam(model.parameters(), { lr: 1e-2 })
    const x = randn([40, 64], { seed: 12 })
    const target = randn([40, 32], { seed: 13 })
    const blocksAfter: number[] = []
    for (let s = 0; s < steps; s++) {
      tidy(() => {
        optimizer.zeroGrad()
        mse(model.forward(x), target).backward()
        optimizer.step()
      })
      blocksAfter.push(residentInfo().blocks)
    }
    const state = (optimizer.stateDict().state[0] ?? {}) as Record<string, unknown>
    const internal = (optimizer as unknown as { state: { expAvg: Float32Array }[] }).state
    return {
      weights: model.parameters().flatMap((p) => Array.from(p.toTypedArray())),
      blocksAfter,
      stateAddresses: internal.map((s) => addressOf(s.expAvg)).concat(state.step === steps ? [] : [NaN]),
    }
  } finally {
    cpuBackend.allocateState = allocateState
  }
}

test("Adam's m and v live in wasm memory, a run ends bit for bit where one with ordinary arrays does, and a step in tidy leaks no block", () => {
  const inWasm = train(6, true)
  const ordinary = train(6, false)
  // The [64, 48] and [48, 32] weights have state of 512 values or more; the biases are smaller.
  assert.ok(inWasm.stateAddresses[0]! >= 0 && inWasm.stateAddresses[2]! >= 0, `weights' state in wasm memory: ${inWasm.stateAddresses}`)
  assert.ok(ordinary.stateAddresses.every((a) => a === -1), 'without allocateState, ordinary arrays')
  assert.equal(inWasm.weights, ordinary.weights)
  const [, second, ...rest] = inWasm.blocksAfter
  assert.ok(rest.every((b) => b === second), `live blocks after each step: ${inWasm.blocksAfter}`)
})

test('a state dict restored into a fresh Adam keeps its state in wasm memory and continues the run bit for bit', () => {
  const x = randn([16, 40], { seed: 22 })
  const target = randn([16, 30], { seed: 23 })
  const step = (layer: Linear, optimizer: Adam) => tidy(() => {
    optimizer.zeroGrad()
    mse(layer.forward(x), target).backward()
    optimizer.step()
  })
  const straight = new Linear({ inFeatures: 40, outFeatures: 30, rng: new Rng(21) })
  const straightAdam = new Adam(straight.parameters(), { lr: 1e-2 })
  step(straight, straightAdam)
  step(straight, straightAdam)
  const resumed = new Linear({ inFeatures: 40, outFeatures: 30, rng: new Rng(21) })
  const first = new Adam(resumed.parameters(), { lr: 1e-2 })
  step(resumed, first)
  const second = new Adam(resumed.parameters(), { lr: 1e-2 })
  second.loadStateDict(first.stateDict())
  const internal = (second as unknown as { state: { expAvg: Float32Array; expAvgSq: Float32Array }[] }).state
  assert.ok(addressOf(internal[0]!.expAvg) >= 0 && addressOf(internal[0]!.expAvgSq) >= 0, 'the restored m and v are in wasm memory')
  step(resumed, second)
  assert.equal(resumed.parameters().map((p) => Array.from(p.toTypedArray())), straight.parameters().map((p) => Array.from(p.toTypedArray())))
})

test.run()
