// Plausible student bugs for chapter 3 (gpu.js kernels): each must lose a fair share of its exercise's points.
import type { Mutant } from './types.ts'

export const mutants: Mutant[] = [
  {
    exercise: '3.1',
    bug: 'swaps thread.x and thread.y (row and column)',
    find: 'this.thread.y * this.constants.aRow\n  const bStart = this.thread.z * this.constants.bBatch + this.thread.x * this.constants.bCol',
    replace: 'this.thread.x * this.constants.aRow\n  const bStart = this.thread.z * this.constants.bBatch + this.thread.y * this.constants.bCol',
  },
  {
    exercise: '3.1',
    bug: "ignores a's column stride (assumes contiguous rows)",
    find: 'a[aStart + p * this.constants.aCol]',
    replace: 'a[aStart + p]',
  },
  {
    exercise: '3.1',
    bug: 'ignores the batch (thread.z)',
    find: 'const aStart = this.thread.z * this.constants.aBatch + this.thread.y * this.constants.aRow\n  const bStart = this.thread.z * this.constants.bBatch + ',
    replace: 'const aStart = this.thread.y * this.constants.aRow\n  const bStart = ',
  },
  {
    exercise: '3.2',
    bug: 'reads b at the offset computed for a',
    find: 'applyBinary(this.constants.op, a[aAt], b[bAt])',
    replace: 'applyBinary(this.constants.op, a[aAt], b[aAt])',
  },
  {
    exercise: '3.2',
    bug: "a size-1 axis of a still moves with the output index (trusts its stride)",
    find: 'if (this.constants.a3 > 1) aAt += i3 * this.constants.as3',
    replace: 'aAt += i3 * this.constants.as3',
  },
  {
    exercise: '3.2',
    bug: 'unravels the index with the first axis fastest',
    find: 'const i3 = x % this.constants.o3\n  const r3 = (x - i3) / this.constants.o3\n  const i2 = r3 % this.constants.o2\n  const r2 = (r3 - i2) / this.constants.o2\n  const i1 = r2 % this.constants.o1\n  const i0 = (r2 - i1) / this.constants.o1',
    replace: 'const i0 = x % this.constants.o0\n  const r0 = (x - i0) / this.constants.o0\n  const i1 = r0 % this.constants.o1\n  const r1 = (r0 - i1) / this.constants.o1\n  const i2 = r1 % this.constants.o2\n  const i3 = (r1 - i2) / this.constants.o2',
  },
  {
    exercise: '3.3',
    bug: 'starts the fold from 0 instead of the first element',
    find: 'let acc = a[start]\n  for (let p = 1;',
    replace: 'let acc = 0\n  for (let p = 0;',
  },
  {
    exercise: '3.3',
    bug: 'ignores step (assumes contiguous rows)',
    find: 'a[start + p * this.constants.step]',
    replace: 'a[start + p]',
  },
  {
    exercise: '3.3',
    bug: 'counts the first element twice (loop starts at 0)',
    find: 'for (let p = 1; p < this.constants.len; p++)',
    replace: 'for (let p = 0; p < this.constants.len; p++)',
  },
]
