// Plausible student bugs in chapter 6 (optimizers); each must cost a fair share of the exercise's points.
import type { Mutant } from './types.ts'

export const mutants: Mutant[] = [
  { exercise: '6.1', bug: 'dampening applied on the first step too', find: 'buf[i] = state.step === 1 ? d : h.momentum * buf[i]! + (1 - h.dampening) * d', replace: 'buf[i] = h.momentum * buf[i]! + (1 - h.dampening) * d' },
  { exercise: '6.1', bug: 'Nesterov ignored: always steps along the buffer', find: 'd = h.nesterov ? d + h.momentum * buf[i]! : buf[i]!', replace: 'd = buf[i]!' },
  { exercise: '6.1', bug: 'weight decay forgotten', find: 'let d = grad[i]! + h.weightDecay * param[i]!', replace: 'let d = grad[i]!' },
  { exercise: '6.1', bug: 'momentum buffer never used: plain SGD only', find: 'if (h.momentum !== 0) {', replace: 'if (h.momentum !== 0 && false) {' },
  { exercise: '6.2', bug: 'no bias correction of m', find: 'const mHat = m[i]! / correction1', replace: 'const mHat = m[i]!' },
  { exercise: '6.2', bug: 'no bias correction of v', find: 'const vHat = v[i]! / correction2', replace: 'const vHat = v[i]!' },
  { exercise: '6.2', bug: 'bias correction off by one step (t + 1)', find: 'const t = state.step', replace: 'const t = state.step + 1' },
  { exercise: '6.2', bug: 'eps inside the square root', find: '(Math.sqrt(vHat) + eps)', replace: 'Math.sqrt(vHat + eps)' },
  { exercise: '6.2', bug: 'v tracks g instead of g squared', find: 'v[i] = beta2 * v[i]! + (1 - beta2) * g * g', replace: 'v[i] = beta2 * v[i]! + (1 - beta2) * Math.abs(g)' },
  { exercise: '6.2', bug: 'AdamW decays through the gradient like Adam', find: 'if (decoupled) param[i]', replace: 'if (false) param[i]' },
  { exercise: '6.2', bug: 'AdamW shrinks by weightDecay without lr', find: 'param[i]! * (1 - lr * weightDecay)', replace: 'param[i]! * (1 - weightDecay)' },
  { exercise: '6.3', bug: 'eps inside the square root', find: 'avg = Math.sqrt(s[i]!) + h.eps', replace: 'avg = Math.sqrt(s[i]! + h.eps)' },
  { exercise: '6.3', bug: 'alpha and 1 - alpha swapped', find: 's[i] = h.alpha * s[i]! + (1 - h.alpha) * g * g', replace: 's[i] = (1 - h.alpha) * s[i]! + h.alpha * g * g' },
  { exercise: '6.3', bug: 'centered: sqrt(s) - a instead of sqrt(s - a^2)', find: 'avg = Math.sqrt(s[i]! - a![i]! * a![i]!) + h.eps', replace: 'avg = Math.sqrt(s[i]!) - a![i]! + h.eps' },
  { exercise: '6.3', bug: 'momentum buffer takes the raw gradient', find: 'buf![i] = h.momentum * buf![i]! + g / avg', replace: 'buf![i] = h.momentum * buf![i]! + g' },
  { exercise: '6.3', bug: 'weight decay forgotten', find: 'const g = grad[i]! + h.weightDecay * param[i]!', replace: 'const g = grad[i]!' },
]
