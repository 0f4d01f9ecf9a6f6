import { test } from 'uvu'
import { tensor } from '../../src/index.ts'
import type { Tensor } from '../../src/index.ts'
import { topologicalSort } from '#kata/autograd/toposort'
import { assertEqual, assertTrue, gradedFile } from './support.ts'

gradedFile('2.1', '#kata/autograd/toposort')

/** A readable name for a tensor in a failure message. */
function label(t: Tensor, names: Map<Tensor, string>): string {
  return names.get(t) ?? (t.gradFn ? `the result of '${t.gradFn.name}'` : `a leaf of shape [${t.shape.join(', ')}]`)
}

/** Every tensor comes before all of its parents that require grad, and none is missing. */
function assertOrdered(order: Tensor[], names = new Map<Tensor, string>()): void {
  const position = new Map(order.map((t, i) => [t, i]))
  for (const t of order) {
    for (const parent of t.gradFn?.parents ?? []) {
      if (!parent.requiresGrad) continue
      assertTrue(position.has(parent), `${label(parent, names)} (an input of ${label(t, names)}, requires grad) is missing from the order`)
      assertTrue(
        position.get(parent)! > position.get(t)!,
        `${label(t, names)} is at position ${position.get(t)} but its input ${label(parent, names)} is at ${position.get(parent)}: a tensor must come before its inputs`,
      )
    }
  }
}

test('a chain comes out root first, leaf last [x3]', () => {
  const x = tensor([1, 2], { requiresGrad: true })
  const a = x.exp()
  const b = a.mul(2)
  const c = b.sum()
  const names = new Map([[x, 'x'], [a, 'a'], [b, 'b'], [c, 'c']])
  const order = topologicalSort(c)
  assertEqual(order.map((t) => names.get(t) ?? '?'), ['c', 'b', 'a', 'x'], 'the order of c = sum(b), b = 2a, a = exp(x)')
})

test('a diamond visits the shared tensor once, after both users [x3]', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true })
  const shared = x.mul(3)
  const left = shared.exp()
  const right = shared.sigmoid()
  const root = left.add(right).sum()
  const names = new Map([[x, 'x'], [shared, 'shared'], [left, 'left'], [right, 'right'], [root, 'root']])
  const order = topologicalSort(root)
  const shown = order.map((t) => label(t, names))
  assertEqual(order.length, 6, `the number of tensors in the order ${JSON.stringify(shown)} (root, the add, left, right, shared, x)`)
  assertEqual(new Set(order).size, 6, `the number of distinct tensors in ${JSON.stringify(shown)}`)
  assertTrue(order[0] === root, `the order must start at the root, got ${JSON.stringify(shown)}`)
  assertOrdered(order, names)
})

test('tensors that do not require grad are left out [x2]', () => {
  const w = tensor([1, 2], { requiresGrad: true })
  const constant = tensor([5, 6])
  const root = w.mul(constant).sum()
  const order = topologicalSort(root)
  assertTrue(!order.includes(constant), 'a constant (requiresGrad false) is in the order')
  assertTrue(order.includes(w), 'the weight w (requiresGrad true) is missing from the order')
  assertEqual(order.length, 3, 'the number of tensors in the order of sum(w * constant)')
})

test('a wide, deep graph is ordered and complete', () => {
  const leaves = Array.from({ length: 5 }, (_, i) => tensor([i], { requiresGrad: true }))
  let acc = leaves[0]!
  for (let step = 0; step < 200; step++) acc = acc.add(leaves[step % 5]!).mul(0.5)
  const order = topologicalSort(acc.sum())
  assertOrdered(order)
  leaves.forEach((leaf, i) => assertTrue(order.includes(leaf), `leaf ${i} is missing from the order`))
  assertEqual(order.length, 1 + 400 + 5, 'the number of tensors (sum, 400 ops, 5 leaves)')
})

test('backward() uses the order: x*x + x has gradient 2x + 1 [x2]', () => {
  const x = tensor([1, -2, 3], { requiresGrad: true })
  x.mul(x).add(x).sum().backward()
  assertEqual(Array.from(x.grad!.toTypedArray()), [3, -3, 7], 'the gradient of sum(x*x + x) at x = [1, -2, 3]')
})

test.run()
