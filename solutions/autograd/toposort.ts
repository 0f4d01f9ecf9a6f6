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
  // BEGIN SOLUTION hint: depth-first search from the root that remembers what it has visited, recording each tensor in post-order (after its parents), then reversing that list
  // HINT 2: for x -> a = exp(x) -> b = 2a -> c = sum(b), post-order lists x, a, b, c (a tensor only after everything it was computed from); reversed, that is c, b, a, x. Mark a tensor visited before you visit its parents (t.gradFn?.parents), and skip tensors with requiresGrad false.
  const visited = new Set<Tensor>()
  const postOrder: Tensor[] = []
  const visit = (tensor: Tensor): void => {
    if (visited.has(tensor) || !tensor.requiresGrad) return
    visited.add(tensor)
    for (const parent of tensor.gradFn?.parents ?? []) visit(parent)
    postOrder.push(tensor)
  }
  // The recursion is as deep as the graph (about 10,000 levels fit in Node's stack). For deeper
  // graphs, the same walk runs on an explicit stack of [tensor, parentsDone] pairs: pop a pair;
  // if parentsDone, append the tensor; otherwise mark it, push [tensor, true], then [parent, false]
  // for each parent not yet visited.
  visit(root)
  return postOrder.reverse()
  // END SOLUTION
}
