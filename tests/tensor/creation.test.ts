// Making tensors: from nested arrays and flat values, filled, ranges, dtypes, and the errors a bad
// shape, a ragged array or a size mismatch gives.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { arange, fromArray, full, ones, onesLike, tensor, zeros, zerosLike } from '../../src/index.ts'
import { shapeArb, valuesArb } from '../helpers/arbitraries.ts'
import * as ref from '../helpers/reference.ts'
import { needsFloat64 } from '../helpers/float64.ts'
const test64 = needsFloat64(test)

test('tensor(nested) round-trips through toArray for random shapes, with row-major contiguous strides', () => {
  fc.assert(
    fc.property(
      shapeArb().chain((shape) => fc.tuple(fc.constant(shape), valuesArb(ref.sizeOfShape(shape)))),
      ([shape, values]) => {
        const nested = ref.toNested(ref.nd(shape, values))
        const t = typeof nested === 'number' ? tensor(nested) : tensor(nested as unknown[])
        assert.equal(t.shape, shape)
        assert.ok(t.isContiguous())
        assert.is(t.offset, 0)
        assert.equal(t.toArray(), nested)
        const strides = shape.map((_, i) => ref.sizeOfShape(shape.slice(i + 1)))
        assert.equal(t.strides, strides)
        assert.equal(fromArray(values, shape).toArray(), nested)
      },
    ),
    { numRuns: 100 },
  )
})

test('creation defaults to float32 and honours dtype and requiresGrad', () => {
  const t = tensor([1, 2, 3])
  assert.is(t.dtype, 'float32')
  assert.ok(t.data instanceof Float32Array)
  assert.not.ok(t.requiresGrad)
  const d = fromArray([1, 2], [2], { dtype: 'float64', requiresGrad: true })
  assert.is(d.dtype, 'float64')
  assert.ok(d.data instanceof Float64Array)
  assert.ok(d.requiresGrad)
  assert.is(tensor(0.1).item(), Math.fround(0.1), 'float32 storage rounds')
  assert.is(tensor(0.1, { dtype: 'float64' }).item(), 0.1)
  assert.equal(tensor(5).shape, [])
  assert.equal(tensor([]).shape, [0])
})

test('zeros, ones, full, zerosLike, onesLike and arange', () => {
  assert.equal(zeros([2, 2]).toArray(), [[0, 0], [0, 0]])
  assert.equal(ones([3]).toArray(), [1, 1, 1])
  assert.equal(full([2], 7).toArray(), [7, 7])
  assert.equal(zeros([]).shape, [])
  assert.equal(zeros([0, 3]).size, 0)
  const d = ones([2], { dtype: 'float64' })
  assert.is(zerosLike(d).dtype, 'float64', 'zerosLike keeps the dtype')
  assert.equal(onesLike(tensor([[1, 2]])).toArray(), [[1, 1]])
  assert.equal(arange(4).toArray(), [0, 1, 2, 3])
  assert.equal(arange(1, 7, 2).toArray(), [1, 3, 5])
  assert.equal(arange(3, 0, -1).toArray(), [3, 2, 1])
  assert.equal(arange(2, 2).shape, [0])
  assert.throws(() => arange(0, 3, 0), /arange: step must not be 0/)
})

test('a bad shape is rejected with the op and the shape in the message', () => {
  assert.throws(() => zeros([-1]), (e: Error) => e instanceof RangeError && /zeros: .*non-negative integers.*\[-1\]/.test(e.message))
  assert.throws(() => ones([2, 1.5]), /non-negative integers, got \[2,1\.5\]/)
  assert.throws(() => fromArray([1], [Number.NaN]), /fromArray: a shape is a list of non-negative integers/)
  assert.throws(() => zeros('3' as unknown as number[]), /a shape is a list/)
})

test('ragged nested arrays are rejected, naming the depth', () => {
  assert.throws(() => tensor([[1, 2], [3]]), (e: Error) => e instanceof TypeError && /ragged nested array: expected 2 entries at depth 1/.test(e.message))
  assert.throws(() => tensor([[1, 2], 3]), /ragged nested array/)
  assert.throws(() => tensor([1, [2]]), /tensor: expected a number at depth 1/)
  assert.throws(() => tensor([[1, 'a']] as unknown as number[][]), /expected a number/)
})

test('fromArray rejects a value count that does not fill the shape, naming both sizes', () => {
  assert.throws(() => fromArray([1, 2, 3], [2, 2]), (e: Error) => e instanceof RangeError && /fromArray: 3 values do not fill shape \[2, 2\] \(4 elements\)/.test(e.message))
  assert.throws(() => fromArray([], [1]), /0 values do not fill shape \[1\]/)
})

test('fromArray copies its input: later changes to the source do not leak in', () => {
  const source = new Float32Array([1, 2, 3])
  const t = fromArray(source, [3])
  source[0] = 100
  assert.is(t.get(0), 1)
})

test('toString shows values, shape, dtype and the op that made it', () => {
  const t = tensor([[1, 2]], { requiresGrad: true })
  assert.is(t.toString(), 'Tensor([[1,2]], shape=[1, 2], dtype=float32)')
  assert.match(t.exp().toString(), /gradFn=map\(exp\)/)
  assert.match(zeros([100]).toString(), /100 values/)
})

test64('to(dtype) converts and keeps values; to the same dtype returns the tensor itself', () => {
  const t = tensor([0.5, 1.5]).transpose(0, 0)
  const d = t.to('float64')
  assert.is(d.dtype, 'float64')
  assert.equal(d.toArray(), [0.5, 1.5])
  assert.ok(t.to('float32') === t)
})

test.run()
