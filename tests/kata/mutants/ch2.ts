// Plausible student bugs for chapter 2 (autodiff): each must lose a fair share of its exercise's points.
import type { Mutant } from './types.ts'

export const mutants: Mutant[] = [
  {
    exercise: '2.1',
    bug: 'forgets to reverse the post-order (leaves first)',
    find: 'return postOrder.reverse()',
    replace: 'return postOrder',
  },
  {
    exercise: '2.1',
    bug: 'pre-order: records a tensor before its parents',
    find: '    for (const parent of tensor.gradFn?.parents ?? []) visit(parent)\n    postOrder.push(tensor)',
    replace: '    postOrder.push(tensor)\n    for (const parent of tensor.gradFn?.parents ?? []) visit(parent)',
  },
  {
    exercise: '2.1',
    bug: 'no visited set: a shared tensor is listed once per path',
    find: 'if (visited.has(tensor) || !tensor.requiresGrad) return',
    replace: 'if (!tensor.requiresGrad) return',
  },
  {
    exercise: '2.1',
    bug: 'keeps tensors that do not require grad',
    find: 'if (visited.has(tensor) || !tensor.requiresGrad) return',
    replace: 'if (visited.has(tensor)) return',
  },
  {
    exercise: '2.2',
    bug: 'unbroadcast forgets the leading axes broadcasting added',
    find: 'if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i)',
    replace: 'if (shape[i - lead] === 1 && grad.shape[i] !== 1) axes.push(i)',
  },
  {
    exercise: '2.2',
    bug: 'unbroadcast forgets the size-1 axes',
    find: 'if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i)',
    replace: 'if (i < lead) axes.push(i)',
  },
  {
    exercise: '2.2',
    bug: 'addBackward forgets to unbroadcast',
    find: 'return [unbroadcast(grad, a.shape), unbroadcast(grad, b.shape)]',
    replace: 'return [grad, grad]',
  },
  {
    exercise: '2.2',
    bug: 'mulBackward multiplies each input by itself',
    find: 'unbroadcast(grad.mul(b), a.shape), unbroadcast(grad.mul(a), b.shape)',
    replace: 'unbroadcast(grad.mul(a), a.shape), unbroadcast(grad.mul(b), b.shape)',
  },
  {
    exercise: '2.2',
    bug: "divBackward drops the minus sign of b's gradient",
    find: '.div(b.mul(b)).neg()',
    replace: '.div(b.mul(b))',
  },
  {
    exercise: '2.3',
    bug: "sigmoid's backward uses x instead of out",
    find: 'grad.mul(out).mul(out.neg().add(1))',
    replace: 'grad.mul(x).mul(x.neg().add(1))',
  },
  {
    exercise: '2.3',
    bug: "tanh's backward uses x instead of out",
    find: 'grad.mul(out.mul(out).neg().add(1))',
    replace: 'grad.mul(x.mul(x).neg().add(1))',
  },
  {
    exercise: '2.3',
    bug: "relu's gradient is 1 at exactly 0",
    find: 'grad.mul(x.gt(0))',
    replace: 'grad.mul(x.ge(0))',
  },
  {
    exercise: '2.3',
    bug: "log's backward divides by out instead of x",
    find: 'return grad.div(x)',
    replace: 'return grad.div(out)',
  },
  {
    exercise: '2.4',
    bug: "forgets to unbroadcast a's gradient (a broadcast batch axis)",
    find: 'unbroadcast(grad.matmul(b.transpose()), a.shape)',
    replace: 'grad.matmul(b.transpose())',
  },
  {
    exercise: '2.4',
    bug: "b's gradient multiplies in the wrong order (grad^T @ a)",
    find: 'a.transpose().matmul(grad)',
    replace: 'grad.transpose().matmul(a)',
  },
  {
    exercise: '2.4',
    bug: 'ignores needs: computes both products always',
    find: 'const ga = needs[0] ?',
    replace: 'const ga = true ?',
  },
  {
    exercise: '2.4',
    bug: 'transposes a instead of b for the first gradient',
    find: 'grad.matmul(b.transpose())',
    replace: 'grad.matmul(b).transpose()',
  },
  {
    exercise: '2.5',
    bug: 'meanBackward divides by every element of x',
    find: 'const count = x.size / keptShape.reduce((p, d) => p * d, 1)',
    replace: 'const count = x.size',
  },
  {
    exercise: '2.5',
    bug: 'meanBackward forgets to divide',
    find: 'return grad.reshape(keptShape).expand(x.shape).div(count)',
    replace: 'return grad.reshape(keptShape).expand(x.shape)',
  },
  {
    exercise: '2.5',
    bug: 'sumBackward expands without reshaping to keptShape first',
    find: 'return grad.reshape(keptShape).expand(x.shape)\n',
    replace: 'return grad.expand(x.shape)\n',
  },
  {
    exercise: '2.6',
    bug: 'permuteBackward applies dims again instead of its inverse',
    find: 'return grad.permute(...inverse)',
    replace: 'return grad.permute(...dims)',
  },
  {
    exercise: '2.6',
    bug: 'permuteBackward treats every permute as a transpose',
    find: 'return grad.permute(...inverse)',
    replace: 'return grad.transpose()',
  },
  {
    exercise: '2.6',
    bug: 'reshapeBackward returns grad in the output shape',
    find: 'return grad.reshape(x.shape)',
    replace: 'return grad',
  },
]
