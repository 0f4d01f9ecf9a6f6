// Plausible student bugs for chapter 4 (convolution): each must lose a fair share of its exercise's points.
import type { Mutant } from './types.ts'

export const mutants: Mutant[] = [
  {
    exercise: '4.1',
    bug: 'forgets to subtract the padding',
    find: 'const h = oh * strideH - padH + i\n              const w = ow * strideW - padW + j\n              const inside',
    replace: 'const h = oh * strideH + i\n              const w = ow * strideW + j\n              const inside',
  },
  {
    exercise: '4.1',
    bug: 'off-by-one bounds test (<= height, <= width)',
    find: 'h < height && w >= 0 && w < width',
    replace: 'h <= height && w >= 0 && w <= width',
  },
  {
    exercise: '4.1',
    bug: "reads x as if contiguous, ignoring its strides and offset",
    find: 'x.data[x.offset + n * sN + c * sC + h * sH + w * sW]!',
    replace: 'x.data[((n * inChannels + c) * height + h) * width + w]!',
  },
  {
    exercise: '4.1',
    bug: 'ignores the stride (windows one pixel apart)',
    find: 'const h = oh * strideH - padH + i\n              const w = ow * strideW - padW + j\n              const inside',
    replace: 'const h = oh - padH + i\n              const w = ow - padW + j\n              const inside',
  },
  {
    exercise: '4.2',
    bug: 'assigns instead of adding overlapping contributions',
    find: ']! += cols.data',
    replace: '] = cols.data',
  },
  {
    exercise: '4.2',
    bug: 'never clears out to 0 first',
    find: '  out.data.fill(0, out.offset, out.offset + batch * inChannels * height * width)\n',
    replace: '',
  },
  {
    exercise: '4.2',
    bug: 'forgets to subtract the padding',
    find: 'const h = oh * strideH - padH + i\n              const w = ow * strideW - padW + j\n              if',
    replace: 'const h = oh * strideH + i\n              const w = ow * strideW + j\n              if',
  },
  {
    exercise: '4.2',
    bug: 'swaps the kernel row and column in the row index',
    find: 'const r = (c * kernelH + i) * kernelW + j',
    replace: 'const r = (c * kernelW + j) * kernelH + i',
  },
  {
    exercise: '4.3',
    bug: 'bias gradient averages instead of summing',
    find: 'conv2dWeightGrad(x, grad, g), grad.sum([0, 2, 3])',
    replace: 'conv2dWeightGrad(x, grad, g), grad.mean([0, 2, 3])',
  },
  {
    exercise: '4.3',
    bug: "conv2d's input gradient is conv2d again",
    find: 'return [conv2dInputGrad(grad, w, g)',
    replace: 'return [conv2d(grad, w, g)',
  },
  {
    exercise: '4.3',
    bug: "convTranspose2d's weight gradient has the roles of x and grad unswapped",
    find: 'conv2dWeightGrad(grad, x, g)',
    replace: 'conv2dWeightGrad(x, grad, g)',
  },
  {
    exercise: '4.3',
    bug: "convTranspose2d's input gradient is conv2dInputGrad again",
    find: 'return [conv2d(grad, w, g)',
    replace: 'return [conv2dInputGrad(grad, w, g)',
  },
  {
    exercise: '4.4',
    bug: 'forgets to transpose the weight',
    find: 'x.matmul(weight.transpose())',
    replace: 'x.matmul(weight)',
  },
  {
    exercise: '4.4',
    bug: 'ignores the bias',
    find: 'return bias ? y.add(bias) : y',
    replace: 'return y',
  },
  {
    exercise: '4.4',
    bug: 'adds the bias as a column (y = Wx + b thinking)',
    find: 'return bias ? y.add(bias) : y',
    replace: 'return bias ? y.add(bias.reshape(-1, 1)) : y',
  },
]
