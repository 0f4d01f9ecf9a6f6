// Plausible student bugs for chapter 5 (losses): each must lose a fair share of its exercise's points.
import type { Mutant } from './types.ts'

export const mutants: Mutant[] = [
  {
    exercise: '5.1',
    bug: 'the naive formula x - xz + log(1 + e^-x), which overflows for negative logits',
    find: 'x.relu().sub(x.mul(z)).add(x.abs().neg().exp().log1p())',
    replace: 'x.sub(x.mul(z)).add(x.neg().exp().log1p())',
  },
  {
    exercise: '5.1',
    bug: 'adds x z instead of subtracting it',
    find: 'x.relu().sub(x.mul(z))',
    replace: 'x.relu().add(x.mul(z))',
  },
  {
    exercise: '5.1',
    bug: "the backward forgets the upstream grad for x",
    find: 'grad.mul(x.sigmoid().sub(z))',
    replace: 'x.sigmoid().sub(z)',
  },
  {
    exercise: '5.1',
    bug: "z's gradient is +x instead of -x",
    find: 'grad.mul(x).neg()',
    replace: 'grad.mul(x)',
  },
  {
    exercise: '5.2',
    bug: 'forward: no clamp on the logs',
    find: '  const logP = p.log().clamp(LOG_FLOOR)\n  const log1mP = p.neg().add(1).log().clamp(LOG_FLOOR)\n  // Regrouped',
    replace: '  const logP = p.log()\n  const log1mP = p.neg().add(1).log()\n  // Regrouped',
  },
  {
    exercise: '5.2',
    bug: 'backward: no floor under p (1 - p)',
    find: '.div(p.mul(p.neg().add(1)).clamp(GRAD_EPSILON))',
    replace: '.div(p.mul(p.neg().add(1)))',
  },
  {
    exercise: '5.2',
    bug: "backward: y's gradient forgets the upstream grad",
    find: 'return [dp, grad.mul(log1mP.sub(logP))]',
    replace: 'return [dp, log1mP.sub(logP)]',
  },
  {
    exercise: '5.2',
    bug: 'backward: the sign of dL/dp flipped (y - p)',
    find: 'grad.mul(p.sub(y))',
    replace: 'grad.mul(y.sub(p))',
  },
  {
    exercise: '5.3',
    bug: 'uses sigma instead of sigma^2 (exp(logvar / 2))',
    find: '.sub(logvar.exp())',
    replace: '.sub(logvar.mul(0.5).exp())',
  },
  {
    exercise: '5.3',
    bug: 'sums over the batch too (one number, not one per sample)',
    find: '.sum(latentAxes)',
    replace: '.sum()',
  },
  {
    exercise: '5.3',
    bug: 'the sign of the -1/2 factor flipped',
    find: '.mul(-0.5)',
    replace: '.mul(0.5)',
  },
  {
    exercise: '5.3',
    bug: 'mu not squared',
    find: '.sub(mu.square())',
    replace: '.sub(mu)',
  },
  {
    exercise: '5.4',
    bug: 'one-hot width from the largest label in the batch',
    find: 'oneHot(labels, logProbs.shape[1]!)',
    replace: 'oneHot(labels, Math.max(...Array.from(labels)) + 1)',
  },
  {
    exercise: '5.4',
    bug: 'nll forgets the minus sign',
    find: '.sum(1).neg()',
    replace: '.sum(1)',
  },
  {
    exercise: '5.4',
    bug: 'the log of a softmax instead of logSoftmax',
    find: 'nllPerSample(logits.logSoftmax(1), labels)',
    replace: 'nllPerSample(logits.softmax(1).log(), labels)',
  },
  {
    exercise: '5.4',
    bug: 'feeds the raw logits to nll',
    find: 'nllPerSample(logits.logSoftmax(1), labels)',
    replace: 'nllPerSample(logits, labels)',
  },
]
