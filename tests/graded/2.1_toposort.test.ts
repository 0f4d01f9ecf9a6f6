import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { tensor } from '../../src/index.ts'
import type { Tensor } from '../../src/index.ts'
import { topologicalSort } from '#kata/autograd/toposort'

/** Every tensor comes before all of its parents. */
function assertOrdered(order: Tensor[]): void {
  const position = new Map(order.map((t, i) => [t, i]))
  for (const t of order) {
    for (const parent of t.gradFn?.parents ?? []) {
      if (!parent.requiresGrad) continue
      assert.ok(position.has(parent), 'a parent that requires grad is missing from the order')
      assert.ok(position.get(parent)! > position.get(t)!, `'${t.gradFn?.name}' must come before its inputs`)
    }
  }
}

test('a chain comes out root first, leaf last', () => {
  const x = tensor([1, 2], { requiresGrad: true })
  const a = x.exp()
  const b = a.mul(2)
  const c = b.sum()
  const order = topologicalSort(c)
  assert.equal(order, [c, b, a, x])
})

test('a diamond visits the shared tensor once, after both users', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true })
  const shared = x.mul(3)
  const left = shared.exp()
  const right = shared.sigmoid()
  const root = left.add(right).sum()
  const order = topologicalSort(root)
  assert.is(order.length, 6)
  assert.is(new Set(order).size, 6, 'each tensor appears once')
  assert.is(order[0], root)
  assertOrdered(order)
  assert.ok(order.indexOf(shared) > order.indexOf(left) && order.indexOf(shared) > order.indexOf(right))
})

test('tensors that do not require grad are left out', () => {
  const w = tensor([1, 2], { requiresGrad: true })
  const constant = tensor([5, 6])
  const root = w.mul(constant).sum()
  const order = topologicalSort(root)
  assert.not.ok(order.includes(constant))
  assert.ok(order.includes(w))
  assert.is(order.length, 3)
})

test('a wide, deep graph is ordered and complete', () => {
  const leaves = Array.from({ length: 5 }, (_, i) => tensor([i], { requiresGrad: true }))
  let acc = leaves[0]!
  for (let step = 0; step < 200; step++) acc = acc.add(leaves[step % 5]!).mul(0.5)
  const order = topologicalSort(acc.sum())
  assertOrdered(order)
  for (const leaf of leaves) assert.ok(order.includes(leaf))
  assert.is(order.length, 1 + 1 + 400 + 5 - 1 + 0) // sum, 400 ops, 5 leaves (leaves[0] is the start)
})

test('backward() uses the order: x*x + x has gradient 2x + 1', () => {
  const x = tensor([1, -2, 3], { requiresGrad: true })
  x.mul(x).add(x).sum().backward()
  assert.equal(Array.from(x.grad!.toTypedArray()), [3, -3, 7])
})

test.run()
