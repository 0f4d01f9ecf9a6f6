// Plausible student bugs for chapter 1 (tensors): each must lose a fair share of its exercise's points.
import type { Mutant } from './types.ts'

export const mutants: Mutant[] = [
  {
    exercise: '1.1',
    bug: 'each stride includes its own axis (off-by-one stride)',
    find: 'strides[axis] = step\n    step *= shape[axis]!',
    replace: 'step *= shape[axis]!\n    strides[axis] = step',
  },
  {
    exercise: '1.1',
    bug: 'indexToOffset ignores the offset',
    find: 'let position = offset',
    replace: 'let position = 0',
  },
  {
    exercise: '1.1',
    bug: 'ordinalToIndex peels the first axis first',
    find: 'for (let axis = shape.length - 1; axis >= 0; axis--) {\n    const size = shape[axis]!',
    replace: 'for (let axis = 0; axis < shape.length; axis++) {\n    const size = shape[axis]!',
  },
  {
    exercise: '1.1',
    bug: 'ordinalToIndex divides without flooring',
    find: 'rest = Math.floor(rest / size)',
    replace: 'rest = rest / size',
  },
  {
    exercise: '1.2',
    bug: 'broadcastShapes takes the max of the two sizes',
    find: 'out[ndim - i] = da === 1 ? db : da',
    replace: 'out[ndim - i] = Math.max(da, db)',
  },
  {
    exercise: '1.2',
    bug: 'broadcastShapes aligns the shapes on the left',
    find: '    const da = a.length - i >= 0 ? a[a.length - i]! : 1\n    const db = b.length - i >= 0 ? b[b.length - i]! : 1',
    replace: '    const da = a[ndim - i] ?? 1\n    const db = b[ndim - i] ?? 1',
  },
  {
    exercise: '1.2',
    bug: 'broadcastShapes throws whenever two sizes differ, 1 or not',
    find: 'if (da !== db && da !== 1 && db !== 1) {',
    replace: 'if (da !== db) {',
  },
  {
    exercise: '1.2',
    bug: 'broadcastIndex aligns the axes on the left',
    find: 'out[axis] = shape[axis] === 1 ? 0 : bigIndex[axis + lead]!',
    replace: 'out[axis] = shape[axis] === 1 ? 0 : bigIndex[axis]!',
  },
  {
    exercise: '1.2',
    bug: 'broadcastIndex forgets that a size-1 axis reads index 0',
    find: 'out[axis] = shape[axis] === 1 ? 0 : bigIndex[axis + lead]!',
    replace: 'out[axis] = bigIndex[axis + lead]!',
  },
  {
    exercise: '1.3',
    bug: "tensorMap writes out contiguously, ignoring out's strides and offset",
    find: 'out.data[indexToOffset(outIndex, out.strides, out.offset)] = fn(x)',
    replace: 'out.data[ordinal] = fn(x)',
  },
  {
    exercise: '1.3',
    bug: "tensorZip reads b at out's index without broadcasting it",
    find: 'const y = b.data[indexToOffset(bIndex, b.strides, b.offset)]!',
    replace: 'const y = b.data[indexToOffset(outIndex, b.strides, b.offset)]!',
  },
  {
    exercise: '1.3',
    bug: "tensorZip ignores a's offset",
    find: 'const x = a.data[indexToOffset(aIndex, a.strides, a.offset)]!\n    const y',
    replace: 'const x = a.data[indexToOffset(aIndex, a.strides)]!\n    const y',
  },
  {
    exercise: '1.3',
    bug: 'tensorReduce never fills out with init',
    find: '    out.data[indexToOffset(outIndex, out.strides, out.offset)] = init\n',
    replace: '',
  },
  {
    exercise: '1.3',
    bug: "tensorReduce reads a in storage order, ignoring a's strides",
    find: 'fn(out.data[at]!, a.data[indexToOffset(aIndex, a.strides, a.offset)]!)',
    replace: 'fn(out.data[at]!, a.data[ordinal]!)',
  },
]
