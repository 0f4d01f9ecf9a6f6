// The optimizers against a float64 re-implementation of PyTorch's update rules (written the way
// torch/optim/*.py writes them: whole-tensor in-place ops in the same order), over several steps
// with random parameters, gradients and hyperparameters; then clipping, checks and state dicts.
import fc from 'fast-check'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fromArray, tensor, type Tensor } from '../../src/index.ts'
import { Adam, AdamW, clipGradNorm, clipGradValue, type Optimizer, RMSprop, SGD } from '../../src/nn/optim/index.ts'

// ---- the reference: PyTorch's single-tensor code paths, on number[] ----------------------------

type Vec = number[]
const mulS = (a: Vec, s: number) => a.map((x) => x * s)
const add = (a: Vec, b: Vec, alpha = 1) => a.map((x, i) => x + alpha * b[i]!)
const addcmul = (a: Vec, b: Vec, c: Vec, value = 1) => a.map((x, i) => x + value * b[i]! * c[i]!)
const addcdiv = (a: Vec, b: Vec, c: Vec, value = 1) => a.map((x, i) => x + (value * b[i]!) / c[i]!)
const lerp = (a: Vec, b: Vec, w: number) => a.map((x, i) => x + w * (b[i]! - x))
const sqrt = (a: Vec) => a.map(Math.sqrt)
const addS = (a: Vec, s: number) => a.map((x) => x + s)
const divS = (a: Vec, s: number) => a.map((x) => x / s)

interface RefSgd { lr: number; momentum: number; dampening: number; nesterov: boolean; weightDecay: number }
function refSgd(p0: Vec, grads: Vec[], o: RefSgd): Vec {
  let p = [...p0]
  let buf: Vec | null = null
  for (const g of grads) {
    let d = o.weightDecay !== 0 ? add(g, p, o.weightDecay) : g
    if (o.momentum !== 0) {
      buf = buf === null ? [...d] : add(mulS(buf, o.momentum), d, 1 - o.dampening)
      d = o.nesterov ? add(d, buf, o.momentum) : buf
    }
    p = add(p, d, -o.lr)
  }
  return p
}

interface RefAdam { lr: number; betas: [number, number]; eps: number; weightDecay: number; decoupled: boolean }
function refAdam(p0: Vec, grads: Vec[], o: RefAdam): Vec {
  let p = [...p0]
  let m = p.map(() => 0)
  let v = p.map(() => 0)
  const [b1, b2] = o.betas
  grads.forEach((g0, k) => {
    const step = k + 1
    let g = g0
    if (o.decoupled) p = mulS(p, 1 - o.lr * o.weightDecay)
    else if (o.weightDecay !== 0) g = add(g, p, o.weightDecay)
    m = lerp(m, g, 1 - b1)
    v = addcmul(mulS(v, b2), g, g, 1 - b2)
    const bc1 = 1 - b1 ** step
    const bc2 = 1 - b2 ** step
    const denom = addS(divS(sqrt(v), Math.sqrt(bc2)), o.eps)
    p = addcdiv(p, m, denom, -o.lr / bc1)
  })
  return p
}

interface RefRms { lr: number; alpha: number; eps: number; weightDecay: number; momentum: number; centered: boolean }
function refRmsprop(p0: Vec, grads: Vec[], o: RefRms): Vec {
  let p = [...p0]
  let sq = p.map(() => 0)
  let ga = p.map(() => 0)
  let buf = p.map(() => 0)
  for (const g0 of grads) {
    const g = o.weightDecay !== 0 ? add(g0, p, o.weightDecay) : g0
    sq = addcmul(mulS(sq, o.alpha), g, g, 1 - o.alpha)
    let avg: Vec
    if (o.centered) {
      ga = lerp(ga, g, 1 - o.alpha)
      avg = addS(sqrt(addcmul(sq, ga, ga, -1)), o.eps)
    } else {
      avg = addS(sqrt(sq), o.eps)
    }
    if (o.momentum > 0) {
      buf = addcdiv(mulS(buf, o.momentum), g, avg)
      p = add(p, buf, -o.lr)
    } else {
      p = addcdiv(p, g, avg, -o.lr)
    }
  }
  return p
}

// ---- running ours on the same inputs ---------------------------------------------------------

/** Step `make(params)` through the gradient sequences; params is a list of float64 tensors. */
function runOurs(p0: Vec[], grads: Vec[][], make: (ps: Tensor[]) => Optimizer): Vec[] {
  const params = p0.map((v) => fromArray(v, [v.length], { dtype: 'float64', requiresGrad: true }))
  const opt = make(params)
  for (const step of grads) {
    params.forEach((p, i) => (p.grad = fromArray(step[i]!, [step[i]!.length], { dtype: 'float64' })))
    opt.step()
  }
  return params.map((p) => [...p.toTypedArray()])
}

function assertVecsClose(ours: Vec[], ref: Vec[], label: string): void {
  ours.forEach((v, i) =>
    v.forEach((x, j) => {
      const r = ref[i]![j]!
      assert.ok(Math.abs(x - r) <= 1e-10 * Math.max(1, Math.abs(r)), `${label}: parameter ${i}[${j}]: ours ${x}, reference ${r}`)
    }),
  )
}

/** Two parameters of sizes 1..4 and 1..3, and 1..6 steps of gradients for both. */
const problemArb = fc
  .record({ a: fc.integer({ min: 1, max: 4 }), b: fc.integer({ min: 1, max: 3 }), steps: fc.integer({ min: 1, max: 6 }) })
  .chain(({ a, b, steps }) => {
    const vec = (n: number) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n })
    return fc.record({ p0: fc.tuple(vec(a), vec(b)), grads: fc.array(fc.tuple(vec(a), vec(b)), { minLength: steps, maxLength: steps }) })
  })

const unit = (max = 0.99) => fc.double({ min: 0, max, noNaN: true })

test('SGD matches PyTorch rule (momentum, dampening, nesterov, weight decay) over several steps', () => {
  const hyperArb = fc
    .record({ lr: unit(1), momentum: fc.oneof(fc.constant(0), unit()), dampening: fc.oneof(fc.constant(0), unit(1)), nesterov: fc.boolean(), weightDecay: fc.oneof(fc.constant(0), unit(0.5)) })
    .map((h) => (h.nesterov ? { ...h, momentum: h.momentum || 0.5, dampening: 0 } : h))
  fc.assert(
    fc.property(problemArb, hyperArb, ({ p0, grads }, h) => {
      const ours = runOurs(p0, grads, (ps) => new SGD(ps, h))
      assertVecsClose(ours, p0.map((p, i) => refSgd(p, grads.map((g) => g[i]!), h)), `SGD ${JSON.stringify(h)}`)
    }),
    { numRuns: 100 },
  )
})

test('Adam and AdamW match PyTorch rule over several steps', () => {
  const hyperArb = fc.record({
    lr: unit(1),
    betas: fc.tuple(unit(), fc.double({ min: 0.5, max: 0.9999, noNaN: true })),
    eps: fc.constantFrom(1e-8, 1e-6, 0.1),
    weightDecay: fc.oneof(fc.constant(0), unit(0.5)),
    decoupled: fc.boolean(),
  })
  fc.assert(
    fc.property(problemArb, hyperArb, ({ p0, grads }, h) => {
      const ours = runOurs(p0, grads, (ps) => (h.decoupled ? new AdamW(ps, h) : new Adam(ps, h)))
      assertVecsClose(ours, p0.map((p, i) => refAdam(p, grads.map((g) => g[i]!), h)), `Adam ${JSON.stringify(h)}`)
    }),
    { numRuns: 100 },
  )
})

test('RMSprop matches PyTorch rule (centered, momentum, weight decay) over several steps', () => {
  const hyperArb = fc.record({
    lr: unit(0.5),
    alpha: fc.double({ min: 0.5, max: 0.999, noNaN: true }),
    eps: fc.constantFrom(1e-8, 1e-3, 0.1),
    weightDecay: fc.oneof(fc.constant(0), unit(0.5)),
    momentum: fc.oneof(fc.constant(0), unit()),
    centered: fc.boolean(),
  })
  fc.assert(
    fc.property(problemArb, hyperArb, ({ p0, grads }, h) => {
      // The centered variance s - a^2 can round to a hair below 0 in either implementation.
      const ours = runOurs(p0, grads, (ps) => new RMSprop(ps, h))
      const ref = p0.map((p, i) => refRmsprop(p, grads.map((g) => g[i]!), h))
      fc.pre(ref.flat().every(Number.isFinite))
      assertVecsClose(ours, ref, `RMSprop ${JSON.stringify(h)}`)
    }),
    { numRuns: 100 },
  )
})

test('float32 parameters keep float32 state and track the float64 reference closely', () => {
  const p0 = [0.5, -1.25, 2]
  const grads = [[0.1, -0.2, 0.3], [0.2, 0.1, -0.4], [-0.3, 0.5, 0.05]]
  const p = tensor(p0, { requiresGrad: true })
  const opt = new Adam([p], { lr: 0.05 })
  for (const g of grads) {
    p.grad = tensor(g)
    opt.step()
  }
  const ref = refAdam(p0, grads, { lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupled: false })
  ;[...p.toTypedArray()].forEach((x, i) => assert.ok(Math.abs(x - ref[i]!) < 1e-6, `${x} vs ${ref[i]}`))
  const state = opt.stateDict().state[0]!
  assert.is((state.expAvg as Tensor).dtype, 'float32')
  assert.is(state.step, 3)
})

test('parameters without a gradient are skipped: no update, no state, no step counted', () => {
  const a = tensor([1], { requiresGrad: true })
  const b = tensor([1], { requiresGrad: true })
  const opt = new Adam([a, b], { lr: 0.1 })
  a.grad = tensor([1])
  opt.step()
  opt.step()
  assert.equal(b.toArray(), [1])
  const sd = opt.stateDict()
  assert.is(sd.state[1], null)
  assert.is(sd.state[0]!.step, 2)
  opt.zeroGrad()
  assert.is(a.grad, null)
})

test('a gradient that is a non-contiguous view is read correctly', () => {
  const p = tensor([[0, 0], [0, 0]], { requiresGrad: true })
  const opt = new SGD([p], { lr: 1 })
  p.grad = tensor([[1, 2], [3, 4]]).transpose()
  opt.step()
  assert.equal(p.toArray(), [[-1, -3], [-2, -4]])
})

test('bad hyperparameters are refused with the optimizer, the name and the value', () => {
  const p = () => [tensor([1], { requiresGrad: true })]
  assert.throws(() => new SGD(p(), { lr: NaN }), /SGD: lr must be a finite number >= 0, got NaN/)
  assert.throws(() => new SGD(p(), { lr: -0.1 }), /SGD: lr must be a finite number >= 0, got -0.1/)
  assert.throws(() => new SGD(p(), {} as { lr: number }), /SGD: lr must be .* got undefined/)
  assert.throws(() => new SGD(p(), { lr: 0.1, momentum: -1 }), /SGD: momentum/)
  assert.throws(() => new SGD(p(), { lr: 0.1, nesterov: true }), /SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0/)
  assert.throws(() => new SGD(p(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), /dampening 0.1/)
  assert.throws(() => new SGD(p(), { lr: 0.1, nesterov: 1 as unknown as boolean }), /SGD: nesterov must be true or false, got 1/)
  assert.throws(() => new Adam(p(), { betas: [0.9, 1] }), /Adam: betas\[1\] must be a number in \[0, 1\), got 1/)
  assert.throws(() => new Adam(p(), { betas: [NaN, 0.9] }), /Adam: betas\[0\] .* got NaN/)
  assert.throws(() => new Adam(p(), { betas: [0.9] as unknown as [number, number] }), /Adam: betas must be two numbers/)
  assert.throws(() => new AdamW(p(), { eps: -1 }), /AdamW: eps must be a finite number >= 0, got -1/)
  assert.throws(() => new Adam(p(), { weightDecay: Infinity }), /Adam: weightDecay/)
  assert.throws(() => new RMSprop(p(), { alpha: -0.5 }), /RMSprop: alpha must be a finite number >= 0, got -0.5/)
  assert.throws(() => new RMSprop(p(), { centered: 'yes' as unknown as boolean }), /RMSprop: centered must be true or false/)
  // A schedule that sets a NaN rate is caught at the next step.
  const opt = new Adam(p())
  opt.options.lr = NaN
  assert.throws(() => opt.step(), /Adam: lr must be a finite number >= 0, got NaN/)
})

test('parameters must be distinct contiguous leaves that require grad; gradients must match their shape', () => {
  const a = tensor([1, 2], { requiresGrad: true })
  assert.throws(() => new SGD([a, a], { lr: 1 }), /SGD: parameter 1 appears twice/)
  assert.throws(() => new SGD([tensor([1])], { lr: 1 }), /SGD: parameter 0 must be a contiguous leaf tensor with requiresGrad/)
  assert.throws(() => new SGD([a.mul(2)], { lr: 1 }), /parameter 0 must be/)
  const opt = new SGD([a], { lr: 1 })
  a.grad = tensor([1, 2, 3])
  assert.throws(() => opt.step(), /SGD.step: parameter 0 has shape \[2\] but its gradient \[3\]/)
})

test('clipGradNorm returns the total norm, scales every gradient by maxNorm / (norm + 1e-6) when above, keeps the direction', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 5, maxLength: 5 }), fc.double({ min: 0.01, max: 10, noNaN: true }), (g, maxNorm) => {
      const a = fromArray(g.slice(0, 3), [3], { dtype: 'float64', requiresGrad: true })
      const b = fromArray(g.slice(3), [2], { dtype: 'float64', requiresGrad: true })
      const none = tensor([0], { requiresGrad: true }) // no gradient: ignored
      a.grad = fromArray(g.slice(0, 3), [3], { dtype: 'float64' })
      b.grad = fromArray(g.slice(3), [2], { dtype: 'float64' })
      const norm = Math.hypot(...g)
      const total = clipGradNorm([a, b, none], maxNorm)
      assert.ok(Math.abs(total - norm) <= 1e-12 * (1 + norm))
      const scale = maxNorm / (norm + 1e-6) < 1 ? maxNorm / (norm + 1e-6) : 1
      const after = [...a.grad!.toTypedArray(), ...b.grad!.toTypedArray()]
      after.forEach((x, i) => assert.ok(Math.abs(x - g[i]! * scale) <= 1e-12 * (1 + Math.abs(g[i]!))))
      assert.ok(Math.hypot(...after) <= maxNorm + 1e-9)
    }),
    { numRuns: 50 },
  )
})

test('clipGradNorm with the infinity norm, non-finite gradients, and bad arguments', () => {
  const a = tensor([3, -4], { requiresGrad: true })
  a.grad = tensor([3, -4])
  assert.is(clipGradNorm([a], 100, { normType: Infinity }), 4)
  assert.is(clipGradNorm([a], 100, { normType: 1 }), 7)
  a.grad = tensor([NaN, 1])
  assert.ok(Number.isNaN(clipGradNorm([a], 1)))
  assert.throws(() => clipGradNorm([a], 1, { errorIfNonfinite: true }), /clipGradNorm: the total norm of the gradients is NaN/)
  assert.throws(() => clipGradNorm([a], -1), /clipGradNorm: maxNorm must be a finite number >= 0, got -1/)
  assert.throws(() => clipGradNorm([a], 1, { normType: 0 }), /normType must be > 0/)
})

test('clipGradValue clamps each gradient element into [-value, value]', () => {
  const a = tensor([1, 2, 3], { requiresGrad: true })
  a.grad = tensor([-5, 0.5, 5])
  const b = tensor([1], { requiresGrad: true })
  clipGradValue([a, b], 1)
  assert.equal(a.grad!.toArray(), [-1, 0.5, 1])
  assert.is(b.grad, null)
  assert.throws(() => clipGradValue([a], NaN), /clipGradValue: value must be a finite number >= 0, got NaN/)
})

/** Train `steps` random steps of an optimizer from fixed gradients; returns params. */
function trainFrom(make: (ps: Tensor[]) => Optimizer, grads: number[][][], from?: ReturnType<Optimizer['stateDict']>, p0?: number[][]) {
  const params = (p0 ?? [[1, -2, 0.5], [3]]).map((v) => tensor(v, { requiresGrad: true }))
  const opt = make(params)
  if (from) opt.loadStateDict(from)
  for (const g of grads) {
    params.forEach((p, i) => (p.grad = tensor(g[i]!)))
    opt.step()
  }
  return { params, opt }
}

test('stateDict / loadStateDict: a fresh optimizer continues bit for bit (SGD, Adam, AdamW, RMSprop)', () => {
  const grads = [[[0.1, 0.2, -0.3], [1]], [[-0.5, 0.2, 0.3], [-1]], [[0.1, 0.1, 0.1], [0.5]], [[0.4, -0.2, 0.3], [2]], [[0, 0.2, 1], [-0.1]]]
  const makers: Record<string, (ps: Tensor[]) => Optimizer> = {
    SGD: (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true }),
    Adam: (ps) => new Adam(ps, { lr: 0.01, weightDecay: 0.1 }),
    AdamW: (ps) => new AdamW(ps, { lr: 0.01 }),
    RMSprop: (ps) => new RMSprop(ps, { lr: 0.01, momentum: 0.5, centered: true }),
  }
  for (const [name, make] of Object.entries(makers)) {
    const whole = trainFrom(make, grads)
    const first = trainFrom(make, grads.slice(0, 2))
    const saved = first.opt.stateDict()
    const p0 = first.params.map((p) => [...p.toTypedArray()])
    const resumed = trainFrom(make, grads.slice(2), saved, p0)
    resumed.params.forEach((p, i) => assert.equal([...p.toTypedArray()], [...whole.params[i]!.toTypedArray()], `${name} parameter ${i}`))
    // The saved state is a copy: training on did not change it.
    assert.is(saved.state[0]!.step, 2)
  }
})

test('loadStateDict restores the hyperparameters and refuses a state dict that does not fit, changing nothing', () => {
  const p = [tensor([1, 2], { requiresGrad: true })]
  const source = new RMSprop([tensor([1, 2], { requiresGrad: true })], { lr: 0.5, centered: true })
  source.params[0]!.grad = tensor([1, 1])
  source.step()
  const sd = source.stateDict()
  const target = new RMSprop(p, { lr: 0.1 })
  target.loadStateDict(sd)
  assert.is(target.options.lr, 0.5)
  assert.is(target.options.centered, true)

  const fresh = () => new RMSprop([tensor([1, 2], { requiresGrad: true })], { lr: 0.1 })
  assert.throws(() => new Adam(p).loadStateDict(sd), /Adam.loadStateDict: the state dict is for RMSprop, this optimizer is Adam/)
  assert.throws(() => fresh().loadStateDict({ ...sd, state: [] }), /has state for 0 parameters, this optimizer has 1/)
  assert.throws(() => fresh().loadStateDict({ ...sd, options: { ...sd.options, beta: 1 } }), /unknown hyperparameters beta/)
  assert.throws(() => fresh().loadStateDict({ ...sd, options: { ...sd.options, lr: -1 } }), /RMSprop: lr must be/)
  assert.throws(() => fresh().loadStateDict(null as never), /expected a state dict object/)
  const badShape = { ...sd, state: [{ ...sd.state[0]!, squareAvg: tensor([1, 2, 3]) }] }
  const victim = fresh()
  assert.throws(() => victim.loadStateDict(badShape), /parameter 0: 'squareAvg' must be a tensor of shape \[2\], got shape \[3\]/)
  assert.is(victim.options.lr, 0.1, 'a refused state dict leaves the hyperparameters as they were')
  assert.is(victim.options.centered, false)
  assert.throws(() => fresh().loadStateDict({ ...sd, state: [{ ...sd.state[0]!, step: -1 }] }), /step must be a non-negative integer, got -1/)
  assert.throws(() => fresh().loadStateDict({ ...sd, state: [{ step: 1 }] }), /expected state entries step, squareAvg, gradAvg, momentumBuffer, got step/)
  // Not centered: gradAvg must be null.
  const notCentered = { ...sd, options: { ...sd.options, centered: false } }
  assert.throws(() => fresh().loadStateDict(notCentered), /'gradAvg' is unused with these hyperparameters/)
  assert.throws(() => fresh().loadStateDict({ ...sd, state: [{ ...sd.state[0]!, squareAvg: 3 }] }), /'squareAvg' must be a tensor of shape \[2\], got 3/)
  const untouched = fresh()
  untouched.loadStateDict({ ...sd, state: [null] })
  assert.is(untouched.stateDict().state[0], null)
})

test.run()
