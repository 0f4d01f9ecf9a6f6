// backward(): reverse-mode autodiff. Visit the graph from the root in topological order (every
// tensor after all the tensors computed from it), so that when a tensor is reached its gradient
// is complete; hand it to the op that made the tensor, and pass the results on to that op's inputs.
import type { BackwardOptions, Tensor } from '../tensor/tensor.ts'
import { cast } from '../tensor/raw/ops.ts'
import { onesLike } from '../tensor/creation.ts'
import { formatShape, sameShape } from '../tensor/strided.ts'
import { noGrad } from './grad_mode.ts'
import { Node } from './node.ts'
import { topologicalSort } from '#kata/autograd/toposort'

export function backward(root: Tensor, seed: Tensor | undefined, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new Error('backward: this tensor does not require grad (none of its inputs had requiresGrad, or it was computed under noGrad)')
  }
  if (seed === undefined && root.size !== 1) {
    throw new Error(
      `backward: the root has shape ${formatShape(root.shape)}; without a seed gradient backward() needs a scalar ` +
        '(reduce it with .sum() or .mean(), or pass a seed of the same shape)',
    )
  }
  if (seed !== undefined && !sameShape(seed.shape, root.shape)) {
    throw new Error(`backward: the seed has shape ${formatShape(seed.shape)} but the root has shape ${formatShape(root.shape)}`)
  }

  const grads = new Map<Tensor, Tensor>([[root, seed ?? onesLike(root)]])
  // Storage already owned by someone: the caller's seed, and each gradient given to a leaf.
  const owned = new Set<unknown>(seed ? [seed.storage] : [])
  noGrad(() => {
    for (const tensor of topologicalSort(root)) {
      const grad = grads.get(tensor)
      if (!grad) continue
      grads.delete(tensor) // free it as soon as it has been passed on
      const node = tensor.gradFn
      if (!(node instanceof Node)) {
        // A leaf: accumulate into .grad in the leaf's own dtype and storage (never a shared view).
        // A gradient that already is a whole, unshared, contiguous buffer is kept as it is: copying
        // every weight gradient costs a pass over all the parameters per step.
        const whole = grad.offset === 0 && grad.storageSize === grad.size && grad.isContiguous() && !owned.has(grad.storage)
        const own = grad.dtype !== tensor.dtype ? cast(grad, tensor.dtype) : whole ? grad : grad.clone()
        owned.add(own.storage)
        tensor.grad = tensor.grad ? tensor.grad.add(own) : own
        continue
      }
      const inputGrads = node.backward(grad)
      node.parents.forEach((input, i) => {
        const g = inputGrads[i]
        if (!input.requiresGrad || !g) return
        if (!sameShape(g.shape, input.shape)) {
          throw new Error(
            `backward of '${node.name}' returned a gradient of shape ${formatShape(g.shape)} ` +
              `for input ${i} of shape ${formatShape(input.shape)}`,
          )
        }
        const previous = grads.get(input)
        grads.set(input, previous ? previous.add(g) : g)
      })
      if (!options.retainGraph) node.free()
    }
  })
}
