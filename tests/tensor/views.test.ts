// Strides and views: transpose, permute, slice and expand are views over the same storage (no
// copy); reshape copies only when it must; toArray, get and toTypedArray read views correctly.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { arange, fromArray, tensor } from '../../src/index.ts'
import { permutationArb, shapeArb, stridedTensorArb, tensorCaseArb } from '../helpers/arbitraries.ts'
import * as ref from '../helpers/reference.ts'

test('toArray of a permuted / sliced / expanded view equals the reference values computed without strides', () => {
  fc.assert(
    fc.property(tensorCaseArb(), (c) => {
      const t = c.make()
      assert.equal(t.shape, c.shape)
      assert.equal(t.toArray(), ref.toNested(c.values), c.layout)
    }),
    { numRuns: 150 },
  )
})

test('a chain of views shares the storage of its base: no element is copied', () => {
  fc.assert(
    fc.property(tensorCaseArb(), (c) => {
      const base = c.base()
      const view = c.view(base)
      assert.ok(view.data === base.data, `${c.layout} copied its storage`)
    }),
    { numRuns: 100 },
  )
})

test('transpose, permute, slice and expand return views of the same storage', () => {
  const base = arange(24).reshape(2, 3, 4)
  for (const [name, view] of [
    ['transpose', base.transpose()],
    ['transpose(0, 2)', base.transpose(0, 2)],
    ['permute(2, 0, 1)', base.permute(2, 0, 1)],
    ['slice', base.slice(null, [1, 3], [0, 4, 2])],
    ['narrow', base.narrow(2, 1, 2)],
    ['expand', base.slice(null, null, [0, 1]).expand(5, 2, 3, 4)],
  ] as const) {
    assert.ok(view.data === base.data, `${name} copied its storage`)
  }
})

test('writing into the base shows through every view (the storage really is shared)', () => {
  const base = arange(6).reshape(2, 3)
  const t = base.transpose()
  const s = base.slice(null, [1, 3])
  const e = base.slice([1, 2]).expand(4, 3)
  base.data[5] = 100 // element [1, 2]
  assert.is(t.get(2, 1), 100)
  assert.is(s.get(1, 1), 100)
  assert.is(e.get(3, 2), 100)
})

test('strides: contiguous tensors are row-major; transpose swaps strides; expand uses stride 0; slice moves the offset', () => {
  const t = arange(24).reshape(2, 3, 4)
  assert.equal(t.strides, [12, 4, 1])
  assert.ok(t.isContiguous())
  const tt = t.transpose(0, 2)
  assert.equal(tt.shape, [4, 3, 2])
  assert.equal(tt.strides, [1, 4, 12])
  assert.not.ok(tt.isContiguous())
  const e = fromArray([1, 2, 3], [3, 1]).expand(2, 3, 4)
  assert.equal(e.strides, [0, 1, 0])
  assert.not.ok(e.isContiguous())
  const s = t.slice([1, 2], [1, 3], [0, 4, 2])
  assert.equal(s.shape, [1, 2, 2])
  assert.is(s.offset, 12 + 4)
  assert.equal(s.strides.slice(1), [4, 2])
  assert.equal(s.toArray(), [[[16, 18], [20, 22]]])
})

test('slice follows Python: negative indices, steps, out-of-range ends clamp, empty ranges', () => {
  const t = arange(10)
  assert.equal(t.slice([-3]).toArray(), [7, 8, 9])
  assert.equal(t.slice([1, -1, 3]).toArray(), [1, 4, 7])
  assert.equal(t.slice([0, 100, 4]).toArray(), [0, 4, 8])
  assert.equal(t.slice([-100, 2]).toArray(), [0, 1])
  assert.equal(t.slice([5, 2]).shape, [0])
  assert.equal(t.slice([5, 2]).toArray(), [])
})

test('slice with random Python-style ranges (steps, negative indices) matches the reference', () => {
  const range = (size: number) =>
    fc.oneof(
      fc.constant(null),
      fc.tuple(fc.integer({ min: -size - 1, max: size + 1 }), fc.integer({ min: -size - 1, max: size + 1 }), fc.integer({ min: 1, max: 3 })),
    )
  fc.assert(
    fc.property(
      shapeArb({ minDims: 1 }).chain((shape) => fc.tuple(stridedTensorArb(shape), fc.tuple(...shape.map(range)))),
      ([c, ranges]) => {
        const t = c.make().slice(...ranges)
        assert.equal(t.toArray(), ref.toNested(ref.slice(c.values, ranges)), `${c.layout} sliced by ${JSON.stringify(ranges)}`)
      },
    ),
    { numRuns: 100 },
  )
})

test('permute by a random permutation matches the reference and shares storage', () => {
  fc.assert(
    fc.property(
      shapeArb().chain((shape) => fc.tuple(stridedTensorArb(shape), permutationArb(shape.length))),
      ([c, dims]) => {
        const t = c.make()
        const p = t.permute(...dims)
        assert.ok(p.data === t.data)
        assert.equal(p.toArray(), ref.toNested(ref.permute(c.values, dims)), c.layout)
      },
    ),
    { numRuns: 100 },
  )
})

test('reshape of a non-contiguous tensor copies into fresh contiguous storage with the row-major values', () => {
  fc.assert(
    fc.property(tensorCaseArb({ minDims: 1 }), (c) => {
      const t = c.make()
      const flat = t.reshape(-1)
      assert.ok(flat.isContiguous())
      assert.equal(Array.from(flat.toTypedArray()), Array.from(c.values.data), c.layout)
      if (t.isContiguous()) assert.ok(flat.data === t.data, 'a contiguous reshape should be a view')
      else assert.ok(flat.data !== t.data, `reshape of a non-contiguous tensor (${c.layout}) must copy`)
    }),
    { numRuns: 150 },
  )
})

test('reshape to a random factorization keeps the row-major order, and -1 is inferred', () => {
  const t = arange(24).transpose(0, 0).reshape(4, 6).transpose() // [6, 4], not contiguous
  const expected = ref.transpose(ref.nd([4, 6], Array.from({ length: 24 }, (_, i) => i)))
  for (const shape of [[24], [2, 12], [3, -1], [2, 3, 4], [-1, 2, 2], [1, 24, 1]]) {
    const r = t.reshape(shape)
    assert.equal(Array.from(r.toTypedArray()), Array.from(expected.data), `reshape to [${shape}]`)
    assert.equal(r.size, 24)
  }
  assert.equal(t.reshape(3, -1).shape, [3, 8])
})

test('toTypedArray and get read views in row-major order', () => {
  fc.assert(
    fc.property(tensorCaseArb(), (c) => {
      const t = c.make()
      assert.equal(Array.from(t.toTypedArray()), Array.from(c.values.data))
      for (let i = 0; i < Math.min(t.size, 8); i++) {
        const index = ref.unravel(i, c.shape)
        assert.is(t.get(...index), c.values.data[i], `get(${index}) of ${c.layout}`)
      }
    }),
    { numRuns: 80 },
  )
})

test('contiguous() returns the tensor itself when already contiguous and a contiguous copy otherwise; clone always copies', () => {
  const t = arange(6).reshape(2, 3)
  assert.ok(t.contiguous() === t)
  const tt = t.transpose()
  const c = tt.contiguous()
  assert.ok(c.isContiguous())
  assert.ok(c.data !== t.data)
  assert.equal(c.toArray(), tt.toArray())
  const k = t.clone()
  assert.ok(k.data !== t.data)
  assert.equal(k.toArray(), t.toArray())
})

test('unsqueeze, squeeze, flatten and narrow give the expected shapes and values', () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]])
  assert.equal(t.unsqueeze(0).shape, [1, 2, 3])
  assert.equal(t.unsqueeze(-1).shape, [2, 3, 1])
  assert.equal(t.unsqueeze(1).shape, [2, 1, 3])
  assert.equal(t.unsqueeze(0).unsqueeze(3).squeeze().shape, [2, 3])
  assert.equal(t.unsqueeze(1).squeeze(1).shape, [2, 3])
  assert.equal(t.squeeze(0).shape, [2, 3], 'squeeze of a non-size-1 axis is a no-op')
  assert.equal(t.transpose().flatten().toArray(), [1, 4, 2, 5, 3, 6])
  assert.equal(arange(24).reshape(2, 3, 4).flatten(1).shape, [2, 12])
  assert.equal(arange(24).reshape(2, 3, 4).flatten(0, 1).shape, [6, 4])
  assert.equal(t.narrow(1, 1, 2).toArray(), [[2, 3], [5, 6]])
  assert.equal(t.narrow(-2, 1, 1).toArray(), [[4, 5, 6]])
})

test('item reads a one-element view at its offset; get rejects out-of-bounds indices', () => {
  const t = arange(6).reshape(2, 3)
  assert.is(t.slice([1, 2], [2, 3]).item(), 5)
  assert.throws(() => t.item(), /item: needs a tensor with one element, got shape \[2, 3\]/)
  assert.throws(() => t.get(2, 0), /out of bounds for shape \[2, 3\]/)
  assert.throws(() => t.get(0), /out of bounds/)
})

test('toNdarray is a view with the same shape, strides and values', () => {
  const t = arange(12).reshape(3, 4).transpose().slice([1, 4, 2])
  const a = t.toNdarray()
  assert.ok(a.data === t.data)
  assert.equal(a.shape, [...t.shape])
  for (let i = 0; i < t.shape[0]!; i++) for (let j = 0; j < t.shape[1]!; j++) assert.is(a.get(i, j), t.get(i, j))
})

test.run()
