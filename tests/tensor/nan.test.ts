// NaN propagates through relu, leakyRelu, maximum, minimum and clamp on every backend, as in
// PyTorch: relu(NaN) = NaN and maximum(NaN, 0) = NaN, so a diverged weight shows up as NaN
// downstream instead of vanishing into a 0 (issue 12). Sizes small and large reach both the
// TypeScript loops and the cpu backend's WebAssembly kernels; contiguous, strided and broadcast
// operands reach each kernel's addressing modes.
import { test } from 'uvu'
import { needsNaN } from '../helpers/nan.ts'
import * as assert from 'uvu/assert'
import { fromArray, tensor, type Tensor } from '../../src/index.ts'

const testNaN = needsNaN(test)

const SIZES = [7, 4099]

/** n values cycling through NaN, -2, -0, 0, 3, +-Infinity. */
function values(n: number): number[] {
  const cycle = [NaN, -2, -0, 0, 3, Infinity, -Infinity, 0.5]
  return Array.from({ length: n }, (_, i) => cycle[i % cycle.length]!)
}

/** The same values, shape [n, 1], contiguous and as a strided view (column 0 of a [n, 2]). */
function layouts(xs: number[]): [string, Tensor][] {
  const doubled = fromArray(xs.flatMap((x) => [x, 42]), [xs.length, 2])
  return [['contiguous', fromArray(xs, [xs.length, 1])], ['strided', doubled.narrow(1, 0, 1)]]
}

function assertSame(actual: Tensor, expected: number[], what: string): void {
  const got = Array.from(actual.toTypedArray() as Float32Array)
  assert.is(got.length, expected.length, what)
  for (let i = 0; i < expected.length; i++) {
    const [g, e] = [got[i]!, Math.fround(expected[i]!)]
    if (!(Object.is(g, e) || (g === 0 && e === 0))) assert.unreachable(`${what}: at ${i} (input ${expected[i]}) got ${g}, expected ${e}`)
  }
}

const pytorch = {
  relu: (x: number) => (Number.isNaN(x) ? NaN : x > 0 ? x : 0),
  leakyRelu: (x: number) => (Number.isNaN(x) ? NaN : x > 0 ? x : 0.1 * x),
  clamp: (x: number) => (Number.isNaN(x) ? NaN : Math.min(Math.max(x, -1), 1)),
  maximum: (x: number, y: number) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y)),
  minimum: (x: number, y: number) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y)),
}

testNaN('relu(NaN), leakyRelu(NaN) and clamp(NaN) are NaN; the other values as before', () => {
  assert.ok(Number.isNaN(tensor([NaN]).relu().item()), 'relu(NaN)')
  for (const n of SIZES) {
    const xs = values(n)
    for (const [layout, x] of layouts(xs)) {
      assertSame(x.relu(), xs.map(pytorch.relu), `relu, ${n} ${layout}`)
      assertSame(x.leakyRelu(0.1), xs.map(pytorch.leakyRelu), `leakyRelu, ${n} ${layout}`)
      assertSame(x.clamp(-1, 1), xs.map(pytorch.clamp), `clamp, ${n} ${layout}`)
    }
  }
})

testNaN('maximum and minimum return NaN when either side is NaN: tensors, scalars and broadcasts', () => {
  assert.ok(Number.isNaN(tensor([NaN]).maximum(0).item()), 'maximum(NaN, 0)')
  assert.ok(Number.isNaN(tensor([0]).maximum(NaN).item()), 'maximum(0, NaN)')
  assert.ok(Number.isNaN(tensor([NaN]).minimum(0).item()), 'minimum(NaN, 0)')
  for (const n of SIZES) {
    const xs = values(n)
    const ys = values(n + 3).slice(3) // a shifted cycle: NaN meets numbers on both sides
    for (const [layout, x] of layouts(xs)) {
      for (const [layoutY, y] of layouts(ys)) {
        const what = `${n}, ${layout} with ${layoutY}`
        assertSame(x.maximum(y), xs.map((v, i) => pytorch.maximum(v, ys[i]!)), `maximum, ${what}`)
        assertSame(x.minimum(y), xs.map((v, i) => pytorch.minimum(v, ys[i]!)), `minimum, ${what}`)
      }
      assertSame(x.maximum(0), xs.map((v) => pytorch.maximum(v, 0)), `maximum with 0, ${n} ${layout}`)
      assertSame(x.minimum(0), xs.map((v) => pytorch.minimum(v, 0)), `minimum with 0, ${n} ${layout}`)
      assertSame(tensor([0]).maximum(x), xs.map((v) => pytorch.maximum(0, v)), `0 broadcast against, ${n} ${layout}`)
      assertSame(tensor([NaN]).minimum(x), xs.map(() => NaN), `NaN broadcast against, ${n} ${layout}`)
    }
  }
})

test.run()
