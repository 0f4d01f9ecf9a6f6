// Module: naming of parameters, buffers and children; the state dict and its errors.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { randn, tensor, zeros, type Tensor } from '../../src/index.ts'
import { Module } from '../../src/nn/module.ts'
import { Linear } from '../../src/nn/linear.ts'
import { Sequential } from '../../src/nn/sequential.ts'
import { BatchNorm1d } from '../../src/nn/batchnorm.ts'
import { ReLU } from '../../src/nn/activations.ts'

class Block extends Module {
  fc: Linear
  scale: Tensor
  cache: Tensor // a plain tensor field: neither a parameter nor a buffer
  declare count: Tensor
  constructor(seed: number) {
    super()
    this.fc = new Linear({ inFeatures: 2, outFeatures: 3, seed })
    this.scale = tensor([1, 1, 1], { requiresGrad: true })
    this.cache = zeros([3])
    this.registerBuffer('count', zeros([1]))
  }
  forward(x: Tensor): Tensor {
    return this.fc.forward(x).mul(this.scale)
  }
}

class Net extends Module {
  blocks: Block[]
  head: Sequential
  constructor(seed = 1) {
    super()
    this.blocks = [new Block(seed), new Block(seed + 1)]
    this.head = new Sequential(new Linear({ inFeatures: 3, outFeatures: 2, seed: seed + 2 }), new ReLU(), new BatchNorm1d({ numFeatures: 2 }))
  }
  forward(x: Tensor): Tensor {
    return this.head.forward(this.blocks[1]!.forward(x).add(this.blocks[0]!.forward(x)))
  }
}

test('parameters and buffers get dotted names in field order; arrays and Sequential children are numbered', () => {
  const net = new Net()
  assert.equal(net.namedParameters().map(([n]) => n), [
    'blocks.0.fc.weight', 'blocks.0.fc.bias', 'blocks.0.scale',
    'blocks.1.fc.weight', 'blocks.1.fc.bias', 'blocks.1.scale',
    'head.0.weight', 'head.0.bias', 'head.2.weight', 'head.2.bias',
  ])
  assert.equal(net.namedBuffers().map(([n]) => n), ['blocks.0.count', 'blocks.1.count', 'head.2.runningMean', 'head.2.runningVar', 'head.2.numBatchesTracked'])
  assert.equal(Object.keys(net.stateDict()), [
    'blocks.0.fc.weight', 'blocks.0.fc.bias', 'blocks.0.scale', 'blocks.0.count',
    'blocks.1.fc.weight', 'blocks.1.fc.bias', 'blocks.1.scale', 'blocks.1.count',
    'head.0.weight', 'head.0.bias', 'head.2.weight', 'head.2.bias', 'head.2.runningMean', 'head.2.runningVar', 'head.2.numBatchesTracked',
  ])
  assert.equal(net.namedChildren().map(([n]) => n), ['blocks.0', 'blocks.1', 'head'])
  assert.is(net.modules().length, 1 + 2 * 2 + 1 + 3)
  assert.is(net.parameters().length, 10)
  assert.is(net.buffers().length, 5)
  assert.equal(new Linear({ inFeatures: 2, outFeatures: 2, seed: 0 }).namedParameters('enc').map(([n]) => n), ['enc.weight', 'enc.bias'])
})

test('a parameter shared by two layers is listed (and so optimised) once, but saved under both names', () => {
  const a = new Linear({ inFeatures: 2, outFeatures: 2, seed: 0 })
  const b = new Linear({ inFeatures: 2, outFeatures: 2, seed: 1 })
  b.weight = a.weight
  const tied = new Sequential(a, b)
  assert.equal(tied.namedParameters().map(([n]) => n), ['0.weight', '0.bias', '1.bias'])
  assert.equal(Object.keys(tied.stateDict()), ['0.weight', '0.bias', '1.weight', '1.bias'])
  const twice = new Sequential(a, a)
  assert.is(twice.modules().length, 2)
})

test('train() and eval() reach every sub-module; zeroGrad clears every gradient', () => {
  const net = new Net()
  net.eval()
  assert.ok(net.modules().every((m) => !m.training))
  net.train()
  assert.ok(net.modules().every((m) => m.training))
  net.forward(randn([4, 2], { seed: 1 })).sum().backward()
  assert.ok(net.parameters().every((p) => p.grad !== null))
  net.zeroGrad()
  assert.ok(net.parameters().every((p) => p.grad === null))
})

test('stateDict shares storage with the module; loadStateDict copies values in', () => {
  const a = new Net(1)
  const b = new Net(7)
  const sd = a.stateDict()
  assert.is(sd['blocks.0.fc.weight']!.data, a.blocks[0]!.fc.weight.data)
  assert.is(sd['blocks.0.fc.weight']!.requiresGrad, false)
  a.blocks[0]!.count.data[0] = 5
  b.loadStateDict(sd)
  for (const [name, t] of Object.entries(b.stateDict())) assert.equal(t.toArray(), sd[name]!.toArray(), name)
  assert.is(b.blocks[0]!.count.item(), 5)
  assert.is.not(b.blocks[0]!.fc.weight.data, a.blocks[0]!.fc.weight.data)
  const x = randn([3, 2], { seed: 2 })
  a.eval()
  b.eval()
  assert.equal(b.forward(x).toArray(), a.forward(x).toArray())
})

test('loadStateDict reports every missing, unexpected and mis-shaped entry at once', () => {
  const net = new Net()
  const before = net.parameters().map((p) => p.toArray())
  const sd = { ...new Net(9).stateDict() }
  delete sd['blocks.1.scale']
  delete sd['head.2.runningVar']
  sd['extra.weight'] = zeros([2])
  sd['head.0.weight'] = zeros([3, 2])
  try {
    net.loadStateDict(sd)
    assert.unreachable('expected an error')
  } catch (error) {
    const message = (error as Error).message
    assert.match(message, /loadStateDict: the state dict does not fit this Net:/)
    assert.match(message, /missing: 'blocks.1.scale' \[3\]/)
    assert.match(message, /missing: 'head.2.runningVar' \[2\]/)
    assert.match(message, /unexpected: 'extra.weight' \[2\]/)
    assert.match(message, /shape mismatch: 'head.0.weight' is \[2, 3\] here, \[3, 2\] in the state dict/)
  }
  // Nothing was written: any problem stops the whole load before a value is copied.
  assert.equal(net.parameters().map((p) => p.toArray()), before)
  // Not strict: missing and unexpected entries are fine, a wrong shape is not.
  const loose = { ...net.stateDict() }
  delete loose['blocks.0.scale']
  loose['other'] = zeros([1])
  net.loadStateDict(loose, { strict: false })
  assert.throws(() => net.loadStateDict({ 'head.0.weight': zeros([1]) }, { strict: false }), /shape mismatch: 'head.0.weight'/)
  assert.throws(() => net.loadStateDict({ ...net.stateDict(), 'head.0.bias': [1, 2] as unknown as Tensor }), /'head.0.bias': expected a Tensor, got object/)
})

test('loadStateDict converts dtypes and refuses to write into a non-contiguous parameter', () => {
  const lin = new Linear({ inFeatures: 2, outFeatures: 2, seed: 0 })
  lin.loadStateDict({ weight: tensor([[1, 2], [3, 4]], { dtype: 'float64' }), bias: tensor([5, 6]).detach() })
  assert.equal(lin.weight.toArray(), [[1, 2], [3, 4]])
  assert.is(lin.weight.dtype, 'float32')
  lin.weight = tensor([[1, 2], [3, 4]]).transpose().requireGrad()
  assert.throws(() => lin.loadStateDict({ weight: zeros([2, 2]), bias: zeros([2]) }), /loadStateDict: 'weight' is not contiguous here/)
})

test('a buffer must not require grad', () => {
  class Bad extends Module {
    constructor() {
      super()
      this.registerBuffer('b', tensor([1], { requiresGrad: true }))
    }
    forward(x: Tensor) {
      return x
    }
  }
  assert.throws(() => new Bad(), /Bad.registerBuffer\('b'\): a buffer must not require grad/)
})

test('Sequential: children "0", "1", ..., forward composes them, at() and length', () => {
  const l1 = new Linear({ inFeatures: 3, outFeatures: 4, seed: 1 })
  const l2 = new Linear({ inFeatures: 4, outFeatures: 2, seed: 2 })
  const seq = new Sequential(l1, new ReLU(), l2)
  const x = randn([5, 3], { seed: 3 })
  assert.equal(seq.forward(x).toArray(), l2.forward(l1.forward(x).relu()).toArray())
  assert.is(seq.length, 3)
  assert.is(seq.at(-1), l2)
  assert.is(seq.at(0), l1)
  assert.throws(() => seq.at(3), /Sequential.at: index 3 is out of range for 3 layers/)
  assert.throws(() => new Sequential(l1, {} as Module), /Sequential: argument 1 is not a Module/)
  assert.equal(new Sequential().forward(x).toArray(), x.toArray())
})

test.run()
