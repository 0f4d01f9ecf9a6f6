// What backward(), noGrad, detach and zeroGrad promise: accumulation, no recording, stopping
// gradients, sums over every use, clear errors for a bad root, seed or freed graph, and leaf
// gradients that are contiguous, of the leaf's dtype and owned by that leaf alone.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fromArray, isGradEnabled, noGrad, ones, tensor } from '../../src/index.ts'
import { tensorCaseArb } from '../helpers/arbitraries.ts'
import * as ref from '../helpers/reference.ts'
import { assertClose } from '../helpers/reference.ts'
import { needsFloat64 } from '../helpers/float64.ts'
const test64 = needsFloat64(test)

test('gradients accumulate across two backward() calls until zeroGrad()', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true })
  x.square().sum().backward()
  assert.equal(x.grad!.toArray(), [2, 4, 6])
  x.mul(3).sum().backward()
  assert.equal(x.grad!.toArray(), [5, 7, 9], 'the second backward adds to .grad')
  x.zeroGrad()
  assert.is(x.grad, null)
  x.mul(3).sum().backward()
  assert.equal(x.grad!.toArray(), [3, 3, 3], 'after zeroGrad it starts from zero')
})

test('accumulation holds for random non-contiguous leaves: two backward calls give twice the gradient', () => {
  fc.assert(
    fc.property(tensorCaseArb({ maxElements: 60 }, { min: 0.5, max: 2 }), (c) => {
      const x = c.make({ requiresGrad: true })
      x.log().sum().backward()
      const once = ref.fromTensor(x.grad!)
      x.log().sum().backward()
      assertClose(x.grad!, ref.map(once, (g) => 2 * g), 1e-6, c.layout)
      assertClose(once, ref.map(c.values, (v) => 1 / v), 1e-6)
    }),
    { numRuns: 40 },
  )
})

test('noGrad(fn) records nothing: results do not require grad and have no gradFn; the mode is restored, even after a throw', () => {
  const x = tensor([1, 2], { requiresGrad: true })
  assert.ok(isGradEnabled())
  const y = noGrad(() => {
    assert.not.ok(isGradEnabled())
    return x.exp().mul(x).sum()
  })
  assert.not.ok(y.requiresGrad)
  assert.is(y.gradFn, null)
  assert.ok(isGradEnabled())
  assert.throws(() => noGrad(() => { throw new Error('boom') }), /boom/)
  assert.ok(isGradEnabled(), 'grad mode is back on after an exception inside noGrad')
  assert.is(noGrad(() => noGrad(() => 5)), 5)
  assert.ok(isGradEnabled())
  assert.throws(() => y.backward(), /does not require grad/)
})

test('detach() stops gradients: x.detach() * x gives x, not 2x', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true })
  const d = x.detach()
  assert.not.ok(d.requiresGrad)
  assert.is(d.gradFn, null)
  assert.ok(d.data === x.data, 'detach shares storage')
  d.mul(x).sum().backward()
  assert.equal(x.grad!.toArray(), [1, 2, 3])
  assert.is(d.grad, null)
})

test('a tensor used twice gets the sum of both gradients (x * x, x + x, and along two branches)', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true })
  x.mul(x).sum().backward()
  assert.equal(x.grad!.toArray(), [2, 4, 6])
  x.zeroGrad()
  x.add(x).sum().backward()
  assert.equal(x.grad!.toArray(), [2, 2, 2])
  x.zeroGrad()
  const h = x.mul(2)
  h.exp().sum().add(h.sum()).backward() // d/dx [sum(e^{2x}) + sum(2x)] = 2 e^{2x} + 2
  assertClose(x.grad!, ref.nd([3], [1, 2, 3].map((v) => 2 * Math.exp(2 * v) + 2)), 1e-6)
})

test('intermediate tensors get no .grad; only leaves that require grad do', () => {
  const x = tensor([1, 2], { requiresGrad: true })
  const c = tensor([3, 4])
  const h = x.mul(c)
  h.sum().backward()
  assert.is(h.grad, null)
  assert.is(c.grad, null)
  assert.equal(x.grad!.toArray(), [3, 4])
})

test('backward on a non-scalar without a seed throws an error mentioning the shape', () => {
  const x = tensor([[1, 2], [3, 4]], { requiresGrad: true })
  assert.throws(() => x.exp().backward(), (e: Error) => /backward: the root has shape \[2, 2\]/.test(e.message) && /seed/.test(e.message))
  // a one-element tensor of any rank needs no seed
  x.sum(1, true).sum(0, true).backward()
  assert.equal(x.grad!.toArray(), [[1, 1], [1, 1]])
})

test('backward twice through a freed graph throws an error mentioning retainGraph; { retainGraph: true } allows it', () => {
  const x = tensor([1, 2], { requiresGrad: true })
  const y = x.exp().sum()
  y.backward()
  assert.throws(() => y.backward(), (e: Error) => /retainGraph/.test(e.message) && /freed/.test(e.message))

  x.zeroGrad()
  const z = x.square().sum()
  z.backward(undefined, { retainGraph: true })
  z.backward(undefined, { retainGraph: true })
  z.backward()
  assert.equal(x.grad!.toArray(), [6, 12], 'three passes through the retained graph')
  assert.throws(() => z.backward(), /retainGraph/)
})

test('a seed of the wrong shape throws, naming both shapes; a seed of the right shape scales the gradient', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true })
  const y = x.mul(2)
  assert.throws(() => y.backward(ones([2])), /backward: the seed has shape \[2\] but the root has shape \[3\]/)
  assert.throws(() => y.backward(ones([3, 1])), /\[3, 1\]/)
  y.backward(tensor([1, 10, 100]))
  assert.equal(x.grad!.toArray(), [2, 20, 200])
})

test('backward on a tensor that does not require grad throws', () => {
  assert.throws(() => tensor([1, 2]).sum().backward(), /backward: this tensor does not require grad/)
  assert.throws(() => tensor(3).backward(), /does not require grad/)
})

test('requiresGrad propagates to results of any input that requires it, and gradFn names the op', () => {
  const x = tensor([1, 2], { requiresGrad: true })
  const c = tensor([1, 1])
  assert.ok(c.add(x).requiresGrad)
  assert.not.ok(c.add(c).requiresGrad)
  assert.is(x.exp().gradFn!.name, 'map(exp)')
  assert.is(x.add(c).gradFn!.name, 'zip(add)')
  assert.is(x.sum().gradFn!.name, 'reduce(sum)')
  assert.is(x.reshape(2, 1).gradFn!.name, 'reshape')
  assert.equal(x.exp().gradFn!.parents.length, 1)
  assert.ok(x.exp().gradFn!.parents[0] === x)
  assert.is(x.gradFn, null, 'a leaf has no gradFn')
})

test64('leaf .grad is contiguous, of the leaf dtype, and not shared between two leaves', () => {
  // a + b seeded directly: add passes the same seed on to both inputs; each leaf must own a copy
  for (const seed of [undefined, ones([3])]) {
    const a = tensor([1, 2, 3], { requiresGrad: true })
    const b = tensor([4, 5, 6], { requiresGrad: true })
    const out = a.add(b)
    if (seed) out.backward(seed)
    else out.sum().backward()
    assert.ok(a.grad!.data !== b.grad!.data, 'a.grad and b.grad share storage')
    a.grad!.data[0] = 100
    assert.is(b.grad!.get(0), 1)
  }

  // a float64 leaf mixed with a float32 leaf: each gradient in its own leaf's dtype
  const d = fromArray([1, 2], [2], { dtype: 'float64', requiresGrad: true })
  const f = fromArray([3, 4], [2], { requiresGrad: true })
  d.mul(f).sum().backward()
  assert.is(d.grad!.dtype, 'float64')
  assert.is(f.grad!.dtype, 'float32')
  assert.equal(f.grad!.toArray(), [1, 2])

  // non-contiguous leaves (a transposed and an expanded view) still get contiguous gradients
  const t = fromArray([1, 2, 3, 4, 5, 6], [2, 3]).transpose().requireGrad()
  const e = fromArray([1, 2], [2, 1]).expand(2, 3).requireGrad()
  assert.not.ok(t.isContiguous())
  t.matmul(e).sum().backward()
  assert.ok(t.grad!.isContiguous() && e.grad!.isContiguous())
  assert.equal(t.grad!.shape, [3, 2])
  assert.equal(e.grad!.shape, [2, 3])
  assert.ok(t.grad!.data !== t.data && e.grad!.data !== e.data)
})

test('the seed passed to backward is not aliased into .grad', () => {
  const x = tensor([1, 2], { requiresGrad: true })
  const seed = tensor([5, 6])
  x.backward(seed)
  assert.equal(x.grad!.toArray(), [5, 6])
  seed.data[0] = 0
  assert.is(x.grad!.get(0), 5)
})

// 5000, not more: the reference toposort (exercise 2.1) is the chapter's recursive depth-first
// search, and Node's default stack holds about 10,000 of its frames.
test('backward through a long chain does not overflow the stack', () => {
  const x = tensor([1], { requiresGrad: true })
  let y = x
  for (let i = 0; i < 5000; i++) y = y.add(0)
  y.sum().backward()
  assert.equal(x.grad!.toArray(), [1])
})

test('backward of a leaf root sets its own gradient to the seed', () => {
  const x = tensor(3, { requiresGrad: true })
  x.backward()
  assert.is(x.grad!.item(), 1)
})

test.run()
