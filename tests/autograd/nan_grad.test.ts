// Gradients around a NaN stay consistent with the forward values (issue 12): where maximum or
// minimum returns NaN, neither side receives a finite gradient as if the other had won; relu,
// leakyRelu and clamp of NaN pass NaN on, so a loss over a NaN weight is NaN and so is its gradient.
import { test } from 'uvu'
import { needsNaN } from '../helpers/nan.ts'
import * as assert from 'uvu/assert'
import { tensor } from '../../src/index.ts'

const testNaN = needsNaN(test)

const nanAt = (values: ArrayLike<number>) => Array.from(values, (v) => Number.isNaN(v))

testNaN('maximum and minimum with a NaN: NaN out, and no finite gradient to either side there', () => {
  for (const op of ['maximum', 'minimum'] as const) {
    const a = tensor([NaN, 1, 2, 5], { requiresGrad: true })
    const b = tensor([0, NaN, 2, 3], { requiresGrad: true })
    const out = a[op](b)
    assert.equal(nanAt(out.toTypedArray()), [true, true, false, false], `${op} forward`)
    out.backward(tensor([1, 1, 1, 1]))
    const [ga, gb] = [Array.from(a.grad!.toTypedArray()), Array.from(b.grad!.toTypedArray())]
    for (const i of [0, 1]) assert.ok(!Number.isFinite(ga[i]!) && !Number.isFinite(gb[i]!), `${op}: at ${i} a NaN went in; gradients ${ga[i]}, ${gb[i]}`)
    // Elsewhere unchanged: a tie splits the gradient, the winner takes it.
    assert.equal(ga.slice(2), [0.5, op === 'maximum' ? 1 : 0], `${op} a`)
    assert.equal(gb.slice(2), [0.5, op === 'maximum' ? 0 : 1], `${op} b`)
  }
})

testNaN('a NaN weight through relu, leakyRelu or clamp makes the loss NaN and its gradient non-finite', () => {
  const ops = {
    relu: (t: ReturnType<typeof tensor>) => t.relu(),
    leakyRelu: (t: ReturnType<typeof tensor>) => t.leakyRelu(0.2),
    clamp: (t: ReturnType<typeof tensor>) => t.clamp(-1, 1),
    'maximum with 0': (t: ReturnType<typeof tensor>) => t.maximum(0),
  }
  for (const [name, f] of Object.entries(ops)) {
    const w = tensor([0.5, NaN, -0.5], { requiresGrad: true })
    const x = tensor([1, 1, 1], { requiresGrad: true })
    const loss = f(w.mul(x)).sum()
    assert.ok(Number.isNaN(loss.item()), `${name}: the loss over a NaN weight is NaN, got ${loss.item()}`)
    loss.backward()
    // The finite weights still get their ordinary gradients.
    const gw = Array.from(w.grad!.toTypedArray())
    assert.is(gw[0], 1, `${name}: d/dw at 0.5`)
    assert.is(gw[2], name === 'leakyRelu' ? Math.fround(0.2) : name === 'clamp' ? 1 : 0, `${name}: d/dw at -0.5`)
  }
})

test.run()
