// GENERATED from solutions/models/condition.ts by `npm run kata:generate`: do not edit
// this file in the genkata repository (edit the solution, then regenerate).
// Students: this file is yours. Replace each `throw new NotImplementedError(...)` with your code.

// Exercise 7.4: the conditional VAE (CVAE). Give the label to both the encoder and the decoder,
// and q(z|x, y) and p(x|z, y) become per-class: z is left to encode style, the label the class.
import type { Tensor } from '../../src/tensor/tensor.ts'
import { concat } from '../../src/autograd/ops.ts'
import { oneHot } from '../../src/nn/losses.ts'
import { NotImplementedError } from '../../src/kata/not_implemented.ts'

/**
 * 7.4 Conditioning (the CVAE): append the one-hot label to a batch of features, [N, F] ->
 * [N, F + classes]. The encoder sees (x, y) and the decoder (z, y), so q and p are per class.
 */
export function condition(features: Tensor, labels: ArrayLike<number>, classes: number): Tensor {
  // TODO(7.4): conditioning by concatenation: the label as a one-hot vector appended to each row of features
  throw new NotImplementedError('7.4', 'conditioning by concatenation: the label as a one-hot vector appended to each row of features')
}
