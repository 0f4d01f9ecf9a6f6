// Exercise 2.1: the order backward() visits the graph in.
//
// A tensor's gradient is complete only once every op that used it has sent its share back, so
// each tensor must come after all the tensors computed from it. Depth-first search from the root,
// appending a tensor after its parents (post-order), then reversing, gives exactly that.
import type { Tensor } from '../../src/tensor/tensor.ts'

/**
 * Every tensor that `root` depends on through recorded ops (t.gradFn.parents), root included,
 * each exactly once, each before all of its parents: root first, leaves last. Tensors that do not
 * require grad are left out (no gradient flows to them).
 */
export function topologicalSort(root: Tensor): Tensor[] {
  // BEGIN SOLUTION hint: depth-first search with a visited Set; push a tensor after visiting its gradFn's parents, then reverse the list
  const visited = new Set<Tensor>()
  const postOrder: Tensor[] = []
  // An explicit stack instead of recursion, so a deep graph (a long training loop) cannot overflow.
  const stack: [Tensor, boolean][] = [[root, false]]
  while (stack.length > 0) {
    const [tensor, parentsDone] = stack.pop()!
    if (parentsDone) {
      postOrder.push(tensor)
      continue
    }
    if (visited.has(tensor) || !tensor.requiresGrad) continue
    visited.add(tensor)
    stack.push([tensor, true])
    for (const parent of tensor.gradFn?.parents ?? []) {
      if (!visited.has(parent)) stack.push([parent, false])
    }
  }
  return postOrder.reverse()
  // END SOLUTION
}
