// GENERATED from solutions/autograd/toposort.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 2.1: the order backward() visits the graph in.
//
// A tensor's gradient is complete only once every op that used it has sent its share back, so
// each tensor must come after all the tensors computed from it. Depth-first search from the root,
// appending a tensor after its parents (post-order), then reversing, gives exactly that.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/**
 * Every tensor that `root` depends on through recorded ops (t.gradFn.parents), root included,
 * each exactly once, each before all of its parents: root first, leaves last. Tensors that do not
 * require grad are left out (no gradient flows to them).
 */
export function topologicalSort(root: Tensor): Tensor[] {
  // TODO(2.1): depth-first search from the root that remembers what it has visited, recording each tensor in post-order (after its parents), then reversing that list
  throw new NotImplementedError('2.1', 'depth-first search from the root that remembers what it has visited, recording each tensor in post-order (after its parents), then reversing that list')
}
