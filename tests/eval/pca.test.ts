// PCA: the principal axis of a stretched Gaussian, the variances along the axes, the sign rule.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Rng } from '../../src/index.ts'
import { pca } from '../../src/eval/pca.ts'

// A Gaussian in 5-D stretched 10x (std) along the unit vector `axis`, 2x along `second`, and offset.
function stretched(count: number, axis: number[], second: number[], rng: Rng): Float64Array {
  const out = new Float64Array(count * 5)
  for (let i = 0; i < count; i++) {
    const [a, b] = [10 * rng.normal(), 2 * rng.normal()]
    for (let j = 0; j < 5; j++) out[i * 5 + j] = 3 + a * axis[j]! + b * second[j]! + 0.5 * rng.normal()
  }
  return out
}

const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v))

test('PCA recovers the principal axis and the second one, and the variance along each', () => {
  const axis = unit([1, 2, 0, -1, 1])
  const second = unit([2, -1, 1, 0, 0])
  const rows = stretched(4000, axis, second, new Rng(1))
  const r = pca(rows, 4000, 5, 2)
  const dot = (c: number, v: number[]) => v.reduce((s, x, j) => s + x * r.components[c * 5 + j]!, 0)
  assert.ok(Math.abs(dot(0, axis)) > 0.999, `|cos| between PC1 and the axis: ${Math.abs(dot(0, axis))}`)
  assert.ok(Math.abs(dot(1, second)) > 0.99, `|cos| between PC2 and the second axis: ${Math.abs(dot(1, second))}`)
  // variance 100 + 0.25 along the axis, 4 + 0.25 along the second
  assert.ok(Math.abs(r.variance[0]! - 100.25) < 6, `variance ${r.variance[0]}`)
  assert.ok(Math.abs(r.variance[1]! - 4.25) < 0.4, `variance ${r.variance[1]}`)
  assert.ok(r.varianceRatio[0]! > 0.9 && r.varianceRatio[0]! < 1)
  for (let j = 0; j < 5; j++) assert.ok(Math.abs(r.mean[j]! - 3) < 0.5)
})

test('the projection is the centred data times the components: its columns have the variances', () => {
  const rows = stretched(500, unit([0, 1, 0, 0, 0]), unit([0, 0, 0, 1, 0]), new Rng(2))
  const r = pca(rows, 500, 5, 2)
  for (let c = 0; c < 2; c++) {
    let [mean, square] = [0, 0]
    for (let i = 0; i < 500; i++) mean += r.projection[i * 2 + c]! / 500
    for (let i = 0; i < 500; i++) square += (r.projection[i * 2 + c]! - mean) ** 2 / 499
    assert.ok(Math.abs(mean) < 1e-9, 'centred')
    assert.ok(Math.abs(square - r.variance[c]!) < 1e-8 * r.variance[0]!, `column ${c}`)
  }
})

test('each component has its largest coordinate positive, so the picture does not flip between runs', () => {
  const r = pca(stretched(300, unit([-1, -3, 0, 0, 0]), unit([0, 0, 0, 0, -1]), new Rng(3)), 300, 5, 2)
  assert.ok(r.components[1]! > 0.9, `PC1 = ${Array.from(r.components.slice(0, 5))}`)
  assert.ok(r.components[5 + 4]! > 0.9)
})

test('k must fit the data', () => {
  assert.throws(() => pca([1, 2, 3, 4], 2, 2, 3), /k must be an integer in 1..2 \(the data's dimension\), got 3/)
})

test.run()
