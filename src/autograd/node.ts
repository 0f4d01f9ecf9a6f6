// A recorded op: which definition ran, on which inputs, with which attributes. backward() walks
// these from the loss to the leaves.
import type { GradNode, Tensor } from '../tensor/tensor.ts'
import { isGradEnabled } from './grad_mode.ts'

/** One differentiable primitive: its forward computation and its vector-Jacobian product. */
export interface OpDefinition<Attrs> {
  readonly name: string
  forward(inputs: readonly Tensor[], attrs: Attrs): Tensor
  /**
   * Given dL/d(output), return dL/d(input) for each input (null where none flows). needs[i] says
   * whether input i wants a gradient at all (PyTorch's ctx.needs_input_grad): an op may skip the
   * work for the others, such as the gradient of a data batch or of a loss's target.
   */
  backward(grad: Tensor, inputs: readonly Tensor[], output: Tensor, attrs: Attrs, needs: readonly boolean[]): (Tensor | null)[]
}

export class Node<Attrs = unknown> implements GradNode {
  private inputs: readonly Tensor[] | null
  private output: Tensor | null

  constructor(
    readonly op: OpDefinition<Attrs>,
    inputs: readonly Tensor[],
    readonly attrs: Attrs,
    output: Tensor,
  ) {
    this.inputs = inputs
    this.output = output
  }

  /** Names the op and, for element-wise ops, which function: "map(exp)". */
  get name(): string {
    const detail = typeof this.attrs === 'object' && this.attrs !== null && 'op' in this.attrs ? `(${String(this.attrs.op)})` : ''
    return `${this.op.name}${detail}`
  }

  get parents(): readonly Tensor[] {
    return this.inputs ?? []
  }

  get freed(): boolean {
    return this.inputs === null
  }

  backward(grad: Tensor): (Tensor | null)[] {
    if (!this.inputs || !this.output) {
      throw new Error(
        `backward: the graph through '${this.name}' was freed by an earlier backward(); ` +
          'pass { retainGraph: true } to that call to go through the graph twice',
      )
    }
    return this.op.backward(grad, this.inputs, this.output, this.attrs, this.inputs.map((t) => t.requiresGrad))
  }

  /**
   * Recompute the forward value from (possibly perturbed) inputs: what gradcheck uses. Through
   * apply(), so the result is recorded when grad mode is on and gradcheck can run this op's backward.
   */
  recompute(inputs: readonly Tensor[]): Tensor {
    return apply(this.op, inputs, this.attrs)
  }

  /** Drop the saved tensors so their memory can go. */
  free(): void {
    this.inputs = null
    this.output = null
  }
}

/** Run an op and, when grad mode is on and any input wants a gradient, record it on the result. */
export function apply<Attrs>(op: OpDefinition<Attrs>, inputs: readonly Tensor[], attrs: Attrs): Tensor {
  const output = op.forward(inputs, attrs)
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    output.requiresGrad = true
    output.gradFn = new Node(op, inputs, attrs, output)
  }
  return output
}
