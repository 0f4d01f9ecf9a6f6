// Checkpoints: round trips, every corruption error, the atomic write, and a resumed training run
// that is bit-identical to an uninterrupted one.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randn, Rng, tensor, zeros, type Tensor } from '../../src/index.ts'
import { CHECKPOINT_MAGIC, CHECKPOINT_VERSION, CheckpointError, checkpointWarnings, decodeCheckpoint, encodeCheckpoint, loadCheckpoint, readCheckpoint, saveCheckpoint } from '../../src/nn/checkpoint.ts'
import { Linear } from '../../src/nn/linear.ts'
import { Sequential } from '../../src/nn/sequential.ts'
import { BatchNorm1d } from '../../src/nn/batchnorm.ts'
import { ReLU } from '../../src/nn/activations.ts'
import { crossEntropy } from '../../src/nn/losses.ts'
import { Adam, type Optimizer, type OptimizerStateDict, RMSprop, SGD } from '../../src/nn/optim/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'genkata-checkpoint-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))

function model(seed: number) {
  return new Sequential(
    new Linear({ inFeatures: 6, outFeatures: 8, seed }),
    new BatchNorm1d({ numFeatures: 8 }),
    new ReLU(),
    new Linear({ inFeatures: 8, outFeatures: 3, seed: seed + 1 }),
  )
}

function bits(t: Tensor): number[] {
  return [...new Uint8Array(t.toTypedArray().buffer)]
}

test('a module round-trips bit for bit: parameters, float32 buffers and the float64 batch count', () => {
  const net = model(1)
  net.forward(randn([4, 6], { seed: 2 })) // move the running statistics
  const path = join(dir, 'net.gkt')
  saveCheckpoint(path, net)
  const other = model(9)
  assert.is(loadCheckpoint(path, other), null, 'no extra was saved')
  for (const [name, t] of Object.entries(net.stateDict())) {
    const loaded = other.stateDict()[name]!
    assert.is(loaded.dtype, t.dtype, name)
    assert.equal(bits(loaded), bits(t), name)
  }
  const { tensors, version } = readCheckpoint(path)
  assert.is(version, 2)
  assert.equal(Object.keys(tensors), Object.keys(net.stateDict()))
  assert.is(tensors['1.numBatchesTracked']!.dtype, 'float64')
  assert.is(tensors['1.numBatchesTracked']!.item(), 1)
})

test('extra: JSON values and tensors anywhere inside, non-finite numbers included', () => {
  const path = join(dir, 'extra.gkt')
  const extra = {
    epoch: 3,
    name: 'run "a"',
    flags: [true, false, null, undefined],
    nested: { t: tensor([[1.5, -2]], { dtype: 'float64' }), list: [tensor([7]), { deeper: tensor([]) }] },
    limits: [Infinity, -Infinity, NaN],
    skipped: undefined,
  }
  saveCheckpoint(path, { w: tensor([1, 2, 3]) }, extra)
  const back = readCheckpoint(path)
  assert.equal(back.tensors.w!.toArray(), [1, 2, 3])
  const e = back.extra!
  assert.is(e.epoch, 3)
  assert.is(e.name, 'run "a"')
  assert.equal(e.flags, [true, false, null, null])
  assert.equal(e.nested.t.toArray(), [[1.5, -2]])
  assert.is(e.nested.t.dtype, 'float64')
  assert.equal(e.nested.list[0].toArray(), [7])
  assert.equal(e.nested.list[1].deeper.shape, [0])
  assert.equal(e.limits, [Infinity, -Infinity, NaN])
  assert.not.ok('skipped' in e)
})

test('extra refuses what it cannot store, naming where it is', () => {
  const w = { w: tensor([1]) }
  assert.throws(() => encodeCheckpoint(w, { a: { b: new Float32Array(2) } }), /saveCheckpoint: extra.a.b is a Float32Array; extra may hold JSON values and Tensors only/)
  assert.throws(() => encodeCheckpoint(w, { f: () => 1 }), /extra.f is a function/)
  assert.throws(() => encodeCheckpoint(w, { big: 1n }), /extra.big is a bigint/)
  assert.throws(() => encodeCheckpoint(w, { d: new Date(0) }), /extra.d is a Date/)
  assert.throws(() => encodeCheckpoint(w, { x: [{ $tensor: 0 }] }), /extra.x\[0\]: the key '\$tensor' is reserved/)
})

/** A valid checkpoint's bytes, to corrupt. */
function validBytes(): Buffer {
  return Buffer.concat(encodeCheckpoint(model(1).stateDict(), { epoch: 1 }))
}

/** Recompute a version-2 file's SHA-256 (bytes 16..47) after editing it, to reach the checks behind the checksum. */
function resign(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes)
  createHash('sha256').update(out.subarray(0, 16)).update(out.subarray(48)).digest().copy(out, 16)
  return out
}

function assertCorrupt(bytes: Uint8Array, pattern: RegExp): void {
  const path = join(dir, 'corrupt.gkt')
  writeFileSync(path, bytes)
  assert.throws(() => readCheckpoint(path), (e: Error) => e instanceof CheckpointError && e.message.includes(path) && pattern.test(e.message))
  assert.throws(() => loadCheckpoint(path, model(1)), (e: Error) => e instanceof CheckpointError && pattern.test(e.message))
}

test('a truncated file is refused wherever it was cut, with the sizes expected and found', () => {
  const bytes = validBytes()
  assertCorrupt(bytes.subarray(0, 0), /truncated: 0 bytes, where the fixed header alone needs 16/)
  assertCorrupt(bytes.subarray(0, 10), /truncated: 10 bytes/)
  assertCorrupt(bytes.subarray(0, 40), /truncated: 40 bytes, where the fixed header of version 2 alone needs 48/)
  assertCorrupt(bytes.subarray(0, 60), /truncated: the header needs bytes up to \d+, the file has 60/)
  assertCorrupt(bytes.subarray(0, bytes.length - 1), new RegExp(`truncated: expected ${bytes.length} bytes \\(\\d+ of tensor data\\), found ${bytes.length - 1}`))
  // Truncated on disk the way a crash would leave it.
  const path = join(dir, 'cut.gkt')
  writeFileSync(path, bytes)
  truncateSync(path, bytes.length - 100)
  assert.throws(() => readCheckpoint(path), /truncated: expected/)
})

test('wrong magic, a newer version, trailing bytes and a broken header are each named', () => {
  const bytes = validBytes()
  const png = Buffer.from(bytes)
  png.write('\x89PNG\r\n\x1a\n', 0, 'latin1')
  assertCorrupt(png, /not a genkata checkpoint: expected the magic bytes 474b54434b505400 \("GKTCKPT\\0"\), found 89504e470d0a1a0a/)
  const newer = Buffer.from(bytes)
  newer.writeUInt32LE(3, 8)
  assertCorrupt(newer, /format version 3; this genkata reads versions 1 and 2/)
  assertCorrupt(Buffer.concat([bytes, Buffer.from([0, 0, 0])]), /3 unexpected bytes at the end/)
  const garbled = Buffer.from(bytes)
  garbled.write('}', 48, 'latin1')
  assertCorrupt(garbled, /checksum mismatch/)
  assertCorrupt(resign(garbled), /the header is not valid JSON/)
  const header = (patch: (h: Record<string, any>) => void): Buffer => {
    const length = bytes.readUInt32LE(12)
    const h = JSON.parse(bytes.subarray(48, 48 + length).toString('utf8'))
    patch(h)
    let json = JSON.stringify(h)
    json += ' '.repeat((8 - ((48 + json.length) % 8)) % 8)
    const prefix = Buffer.from(bytes.subarray(0, 48))
    prefix.writeUInt32LE(json.length, 12)
    return resign(Buffer.concat([prefix, Buffer.from(json), bytes.subarray(48 + length)]))
  }
  assertCorrupt(header((h) => delete h.tensors), /the header lacks its tensor lists or data length/)
  assertCorrupt(header((h) => (h.tensors[0].dtype = 'int8')), /the header's tensor 0 is malformed/)
  assertCorrupt(header((h) => (h.tensors[0].bytes = 4)), /'0.weight' \(float32 \[8,6\]\) should take 192 bytes, the header says 4/)
  assertCorrupt(header((h) => (h.tensors[1].offset = h.dataBytes)), /'0.bias' lies at bytes \d+..\d+ of a data section of \d+ bytes/)
  assertCorrupt(header((h) => (h.tensors[1].name = h.tensors[0].name)), /the tensor name '0.weight' appears twice/)
  assertCorrupt(header((h) => (h.extra = { a: { $tensor: 5 } })), /extra refers to tensor 5, the file has 0/)
  assert.throws(() => readCheckpoint(join(dir, 'nope.gkt')), /checkpoint .*nope.gkt: cannot read it/)
  assert.throws(() => decodeCheckpoint(Buffer.from(CHECKPOINT_MAGIC, 'latin1'), 'bytes'), /checkpoint bytes: truncated/)
})

// ---- damage, non-finite values, the old format (issue 12) -------------------------------------

/** Where the data section starts in a version-2 file. */
function dataStart(bytes: Buffer): number {
  return 48 + bytes.readUInt32LE(12)
}

test('64 flipped bytes of tensor data are caught on every read, naming the path and the checksum', () => {
  const bytes = validBytes()
  const damaged = Buffer.from(bytes)
  const at = dataStart(bytes) + 32
  for (let i = at; i < at + 64; i++) damaged[i] = damaged[i]! ^ 0xff
  assertCorrupt(damaged, /checksum mismatch: the file is damaged/)
  // One flipped bit in the header's padding or the version-2 digest itself is caught the same way.
  const bit = Buffer.from(bytes)
  bit[bytes.length - 1] = bit[bytes.length - 1]! ^ 1
  assertCorrupt(bit, /checksum mismatch/)
  const digest = Buffer.from(bytes)
  digest[20] = digest[20]! ^ 1
  assertCorrupt(digest, /checksum mismatch/)
})

test('NaN or infinite weights are refused on save and on load, naming the tensor', () => {
  const net = model(1)
  const weights = net.stateDict()
  const poisoned = { ...weights, '3.bias': tensor([0, NaN, 1]) }
  const path = join(dir, 'nan.gkt')
  assert.throws(() => saveCheckpoint(path, poisoned), (e: Error) => e instanceof CheckpointError && /saveCheckpoint: tensor '3.bias' holds NaN at flat index 1 of 3/.test(e.message))
  assert.throws(() => saveCheckpoint(path, weights, { optimizer: { m: [tensor([1, -Infinity])] } }), /tensor 'extra.optimizer.m\[0\]' holds -Infinity at flat index 1/)
  assert.throws(() => readFileSync(path), /ENOENT/, 'nothing was written')
  // A file whose data holds a NaN with a valid checksum (written by a genkata without the check).
  const bytes = validBytes()
  const nan = Buffer.from(bytes)
  nan.writeFloatLE(NaN, dataStart(bytes) + 4 * 5) // '0.weight' [8, 6], flat index 5
  assertCorrupt(resign(nan), /tensor '0.weight' holds NaN at flat index 5 of 48; non-finite values are refused/)
})

test('a version-1 checkpoint (written by the previous genkata) still loads, with a one-line warning', () => {
  const fixture = new URL('./fixtures/v1-model.gkt', import.meta.url).pathname
  const warnings: string[] = []
  const saved = checkpointWarnings.warn
  checkpointWarnings.warn = (line) => warnings.push(line)
  try {
    const target = model(9)
    const extra = loadCheckpoint(fixture, target)
    assert.equal(extra, { epoch: 1, note: 'written by genkata checkpoint format version 1' })
    for (const [name, t] of Object.entries(model(1).stateDict())) assert.equal(bits(target.stateDict()[name]!), bits(t), name)
    assert.is(warnings.length, 1)
    assert.not.match(warnings[0]!, /\n/)
    assert.match(warnings[0]!, new RegExp(`checkpoint ${fixture} is in the old format version 1`))
    assert.is(readCheckpoint(fixture).version, 1)
    // Saved again, it is version 2, and no longer warns.
    const path = join(dir, 'upgraded.gkt')
    saveCheckpoint(path, target, extra!)
    warnings.length = 0
    assert.is(readCheckpoint(path).version, CHECKPOINT_VERSION)
    assert.is(warnings.length, 0)
    // A version-1 file with a NaN weight is refused like any other.
    const v1 = readFileSync(fixture)
    v1.writeFloatLE(NaN, 16 + v1.readUInt32LE(12))
    assertCorrupt(v1, /tensor '0.weight' holds NaN at flat index 0/)
  } finally {
    checkpointWarnings.warn = saved
  }
})

test('a checkpoint of another architecture is refused with the path, what was expected and what was found', () => {
  const path = join(dir, 'small.gkt')
  saveCheckpoint(path, new Sequential(new Linear({ inFeatures: 6, outFeatures: 4, seed: 1 })))
  const target = model(1)
  const before = target.parameters().map((p) => p.toArray())
  assert.throws(
    () => loadCheckpoint(path, target),
    (e: Error) =>
      e instanceof CheckpointError &&
      e.message.startsWith(`checkpoint ${path}: loadStateDict: the state dict does not fit this Sequential`) &&
      /shape mismatch: '0.weight' is \[8, 6\] here, \[4, 6\] in the state dict/.test(e.message) &&
      /missing: '3.weight' \[3, 8\]/.test(e.message),
  )
  assert.equal(target.parameters().map((p) => p.toArray()), before, 'nothing was loaded')
})

test('the write is atomic: no temporary file stays behind, and a failed save leaves the old checkpoint intact', () => {
  const folder = join(dir, 'atomic')
  mkdirSync(folder)
  const path = join(folder, 'model.gkt')
  saveCheckpoint(path, model(1), { epoch: 1 })
  saveCheckpoint(path, model(2), { epoch: 2 })
  assert.equal(readdirSync(folder), ['model.gkt'])
  const good = readFileSync(path)
  // A failure while encoding: nothing is written at all.
  assert.throws(() => saveCheckpoint(path, model(3), { bad: Symbol('x') }), /extra.bad is a symbol/)
  // A failure at the rename (the target is a non-empty folder): the temporary file is removed.
  const blocked = join(folder, 'blocked')
  mkdirSync(blocked)
  writeFileSync(join(blocked, 'keep'), 'x')
  assert.throws(() => saveCheckpoint(blocked, model(3)))
  assert.equal(readdirSync(folder).sort(), ['blocked', 'model.gkt'])
  assert.equal(readFileSync(path), good)
  assert.is(readCheckpoint(path).extra!.epoch, 2)
  // A folder that does not exist: the open fails and nothing is left.
  assert.throws(() => saveCheckpoint(join(folder, 'missing', 'x.gkt'), model(1)), /ENOENT/)
})

// ---- resuming a training run exactly ----------------------------------------------------------

function batches(count: number) {
  const rng = new Rng(123)
  return Array.from({ length: count }, () => ({ x: randn([5, 6], { rng }), labels: Array.from({ length: 5 }, () => rng.int(3)) }))
}

function trainSteps(net: Sequential, opt: Optimizer, data: ReturnType<typeof batches>): void {
  for (const { x, labels } of data) {
    opt.zeroGrad()
    crossEntropy(net.forward(x), labels).backward()
    opt.step()
  }
}

test('train k steps, save, load into fresh objects, continue: bit-identical to an uninterrupted run', () => {
  const makers: [string, (ps: Tensor[]) => Optimizer][] = [
    ['Adam', (ps) => new Adam(ps, { lr: 0.01 })],
    ['SGD', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
    ['RMSprop', (ps) => new RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.5 })],
  ]
  const data = batches(6)
  for (const [name, make] of makers) {
    const straight = model(1)
    trainSteps(straight, make(straight.parameters()), data)

    const first = model(1)
    const opt = make(first.parameters())
    trainSteps(first, opt, data.slice(0, 3))
    const path = join(dir, `resume-${name}.gkt`)
    saveCheckpoint(path, first, { epoch: 3, optimizer: opt.stateDict() })

    const resumed = model(42) // different initial weights: everything must come from the file
    const resumedOpt = make(resumed.parameters())
    const extra = loadCheckpoint(path, resumed)!
    assert.is(extra.epoch, 3)
    resumedOpt.loadStateDict(extra.optimizer as OptimizerStateDict)
    trainSteps(resumed, resumedOpt, data.slice(3))

    for (const [key, t] of Object.entries(straight.stateDict())) {
      assert.equal(bits(resumed.stateDict()[key]!), bits(t), `${name}: ${key}`)
    }
  }
})

test('zero-size and float64 tensors survive a round trip', () => {
  const path = join(dir, 'odd.gkt')
  saveCheckpoint(path, { empty: zeros([0, 3]), wide: tensor([Math.PI, 1e-300], { dtype: 'float64' }), scalar: tensor(2.5) })
  const { tensors } = readCheckpoint(path)
  assert.equal(tensors.empty!.shape, [0, 3])
  assert.equal([...tensors.wide!.toTypedArray()], [Math.PI, 1e-300])
  assert.equal(tensors.scalar!.shape, [])
  assert.is(tensors.scalar!.item(), 2.5)
})

test.run()
