// Errors a user can act on: a shape mismatch names the op and both shapes; bad axes, ranges and
// permutations say what was given and what the tensor is.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ShapeError, arange, concat, ones, stack, tensor, zeros } from '../../src/index.ts'
import { shapeArb } from '../helpers/arbitraries.ts'
import * as ref from '../helpers/reference.ts'

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`

/** Assert that fn throws a ShapeError whose message contains every one of `parts`. */
function throwsShapeError(fn: () => unknown, ...parts: string[]): void {
  let error: unknown = null
  try {
    fn()
  } catch (e) {
    error = e
  }
  assert.ok(error instanceof ShapeError, `expected a ShapeError, got ${error === null ? 'no error' : String(error)}`)
  for (const part of parts) assert.ok((error as Error).message.includes(part), `the message "${(error as Error).message}" should mention ${part}`)
}

for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const) {
  test(`${op} of shapes that do not broadcast throws a ShapeError naming '${op}' and both shapes`, () => {
    throwsShapeError(() => ones([2, 3])[op](ones([4])), `${op}:`, '[2, 3]', '[4]', 'axis 1 has sizes 3 and 4')
    throwsShapeError(() => ones([5, 1, 2])[op](ones([3, 3, 1])), `${op}:`, '[5, 1, 2]', '[3, 3, 1]')
  })
}

test('for random shape pairs, add succeeds exactly when the shapes broadcast, else names both shapes', () => {
  fc.assert(
    fc.property(shapeArb({ maxSize: 3 }), shapeArb({ maxSize: 3 }), (sa, sb) => {
      let expected: number[] | null = null
      try {
        expected = ref.broadcastShape(sa, sb)
      } catch {
        expected = null
      }
      if (expected) assert.equal(ones(sa).add(ones(sb)).shape, expected)
      else throwsShapeError(() => ones(sa).add(ones(sb)), 'add:', fmt(sa), fmt(sb))
    }),
    { numRuns: 200 },
  )
})

test('matmul errors name the op and both shapes: inner dimensions, batch dimensions, too few dimensions', () => {
  throwsShapeError(() => ones([2, 3]).matmul(ones([4, 5])), 'matmul:', 'inner dimensions differ', '[2, 3]', '[4, 5]', '3 vs 4')
  throwsShapeError(() => ones([2, 3, 4]).matmul(ones([3, 4, 5])), 'matmul', '[2, 3, 4]', '[3, 4, 5]', 'batch')
  throwsShapeError(() => ones([3]).matmul(ones([3, 2])), 'matmul:', 'at least 2 dimensions', '[3]', '[3, 2]')
})

test('reshape errors name the op, the shape and the requested shape', () => {
  throwsShapeError(() => ones([2, 3]).reshape(4), 'reshape:', 'cannot reshape [2, 3] (6 elements) to [4]')
  throwsShapeError(() => ones([2, 3]).reshape(-1, 4), 'reshape:', '[2, 3]', '[-1, 4]')
  throwsShapeError(() => ones([2, 3]).reshape(-1, -1), 'reshape:', 'invalid target shape [-1, -1]')
  throwsShapeError(() => ones([2, 3]).reshape(2, 1.5, 2), 'reshape:', 'invalid target shape')
})

test('concat errors name the op and every shape; stack of different shapes fails too', () => {
  throwsShapeError(() => concat([ones([2, 3]), ones([2, 4])], 0), 'concat:', '[2, 3]', '[2, 4]', 'differ off axis 0')
  throwsShapeError(() => concat([ones([2, 3]), ones([2, 3, 1])], 1), 'concat:', '[2, 3]', '[2, 3, 1]')
  throwsShapeError(() => concat([], 0), 'concat:', 'needs at least one tensor')
  throwsShapeError(() => concat([ones([2])], 1), 'concat:', 'axis 1 is out of range')
  throwsShapeError(() => stack([ones([2]), ones([3])]), 'concat:', '[1, 2]', '[1, 3]')
})

test('expand errors name the op, the shape and the target', () => {
  throwsShapeError(() => ones([3]).expand(4), 'expand:', '[3]', '[4]')
  throwsShapeError(() => ones([2, 1]).expand(1, 3), 'expand:', 'cannot expand [2, 1] to [1, 3]')
  throwsShapeError(() => ones([2, 3]).expand(3), 'expand:', '[2, 3]', '[3]')
})

test('permute errors name the op, the dims and the shape', () => {
  throwsShapeError(() => ones([2, 3]).permute(0, 0), 'permute:', '[0, 0] is not a permutation of the 2 axes of [2, 3]')
  throwsShapeError(() => ones([2, 3]).permute(0), 'permute:', '[0]', '[2, 3]')
  throwsShapeError(() => ones([2, 3]).permute(0, 1, 2), 'permute:', '[0, 1, 2]', '[2, 3]')
  throwsShapeError(() => ones([2, 3]).transpose(0, 2), 'transpose:', 'axis 2 is out of range for a tensor with 2 dimensions')
})

test('reductions reject out-of-range and repeated axes, and a max over an empty axis', () => {
  throwsShapeError(() => ones([2, 3]).sum(2), 'sum:', 'axis 2 is out of range for a tensor with 2 dimensions')
  throwsShapeError(() => ones([2, 3]).mean(-3), 'mean:', 'axis -3')
  throwsShapeError(() => ones([2, 3]).max([0, -2]), 'max:', 'axis listed twice')
  throwsShapeError(() => ones([2, 3]).logSumExp(5), 'logSumExp:', 'axis 5')
  throwsShapeError(() => zeros([2, 0]).max(1), 'max:', 'empty axis', '[2, 0]')
  throwsShapeError(() => ones([2]).sum(0.5), 'sum:', 'axis 0.5')
})

test('slice rejects non-positive steps and too many ranges; narrow and squeeze check their axis', () => {
  throwsShapeError(() => arange(5).slice([0, 5, 0]), 'slice:', 'step must be a positive integer, got 0 on axis 0')
  throwsShapeError(() => arange(5).slice([4, 0, -1]), 'slice:', 'got -1')
  throwsShapeError(() => arange(5).slice(null, null), 'slice:', '2 ranges for a tensor of shape [5]')
  throwsShapeError(() => arange(5).narrow(1, 0, 1), 'narrow:', 'axis 1')
  throwsShapeError(() => arange(5).unsqueeze(3), 'unsqueeze:', 'axis 3')
  throwsShapeError(() => arange(5).squeeze(1), 'squeeze:', 'axis 1')
})

test('clamp with min above max, and requireGrad on a non-leaf, say what is wrong', () => {
  assert.throws(() => ones([2]).clamp(1, 0), /clamp: min 1 is greater than max 0/)
  const x = tensor([1, 2], { requiresGrad: true })
  assert.throws(() => x.exp().requireGrad(), /requireGrad: only leaf tensors can be marked; call detach\(\) first/)
  assert.ok(x.exp().detach().requireGrad().requiresGrad)
})

test.run()
