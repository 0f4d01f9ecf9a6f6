// The WAT assembler behind the cpu backend's kernels: small modules whose results are checked by
// running them (so a wrong opcode or encoding shows up as a wrong answer), each error it reports,
// and the kernels themselves assembling the same bytes every time, with and without relaxed SIMD.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { assemble, instructionNames, WatError } from '../../src/backend/cpu/wat.ts'
import { kernelSource, relaxedSimdAvailable } from '../../src/backend/cpu/wasm.ts'

type Fn = (...args: number[]) => number

function load(source: string, relaxedSimd = true): { exports: Record<string, Fn>; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true })
  const bytes = assemble(source, { relaxedSimd })
  assert.ok(WebAssembly.validate(bytes), 'the module validates')
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } })
  return { exports: instance.exports as Record<string, Fn>, memory }
}

test('integer and float arithmetic, constants in every spelling, folded and flat forms', () => {
  const { exports: e } = load(`
    (module
      (import "env" "memory" (memory $m 1 4 shared))
      ;; folded
      (func (export "mix") (param $a i32) (param $b i32) (result i32)
        (i32.xor (i32.add (i32.mul (local.get $a) (i32.const 3)) (i32.shl (local.get $b) (i32.const 2)))
          (i32.or (i32.and (local.get $a) (i32.const 0xff_00)) (i32.shr_u (local.get $b) (i32.const 1)))))
      (; a block comment ;)
      (func (export "divs") (param i32 i32) (result i32)
        (i32.add (i32.mul (i32.div_s (local.get 0) (local.get 1)) (i32.const 1000))
          (i32.add (i32.rem_s (local.get 0) (local.get 1)) (i32.sub (i32.div_u (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1))))))
      ;; flat
      (func (export "flat") (param $a i32) (param $b i32) (result i32)
        local.get $a
        local.get $b
        i32.sub
        i32.const -0x10
        i32.add)
      (func (export "consts") (result i32) (i32.add (i32.const 0xffffffff) (i32.const 2147483647)))
      (func (export "compare") (param $a i32) (param $b i32) (result i32)
        (i32.add (i32.add (i32.add (i32.lt_s (local.get $a) (local.get $b)) (i32.shl (i32.lt_u (local.get $a) (local.get $b)) (i32.const 1)))
          (i32.add (i32.shl (i32.gt_s (local.get $a) (local.get $b)) (i32.const 2)) (i32.shl (i32.ge_u (local.get $a) (local.get $b)) (i32.const 3))))
          (i32.add (i32.shl (i32.eqz (local.get $a)) (i32.const 4)) (i32.shl (i32.ne (local.get $a) (local.get $b)) (i32.const 5)))))
      (func (export "floats") (param $x f32) (param $y f64) (result f64)
        (f64.add (f64.promote_f32 (f32.sqrt (f32.mul (local.get $x) (f32.const 4))))
          (f64.div (f64.sub (local.get $y) (f64.const 0.5)) (f64.max (f64.const -inf) (f64.const 2)))))
      (func (export "demote") (param $y f64) (result f32) (f32.demote_f64 (local.get $y)))
      (func (export "convert") (param $a i32) (result f32) (f32.convert_i32_s (local.get $a)))
      (func (export "nan") (result f32) (f32.add (f32.const nan) (f32.const 1)))
      (func (export "i64") (result i32) (drop (i64.const -9007199254740993)) (i32.const 7)))
  `)
  assert.is(e.mix!(5, 7), ((5 * 3 + (7 << 2)) ^ ((5 & 0xff00) | (7 >>> 1))))
  assert.is(e.divs!(-17, 5), -3 * 1000 + -2 + ((Math.floor(((-17) >>> 0) / 5) | 0) - (((-17) >>> 0) % 5)))
  assert.is(e.flat!(50, 8), 50 - 8 - 16)
  assert.is(e.consts!(), (-1 + 2147483647) | 0)
  assert.is(e.compare!(-1, 2), 1 + 0 + 0 + 8 + 0 + 32)
  assert.is(e.compare!(0, 0), 0 + 0 + 0 + 8 + 16 + 0)
  assert.is(e.floats!(2.25, 4.5), Math.sqrt(9) + 4 / 2)
  assert.is(e.demote!(1 / 3), Math.fround(1 / 3))
  assert.is(e.convert!(-12), -12)
  assert.ok(Number.isNaN(e.nan!()))
  assert.is(e.i64!(), 7)
})

test('control flow: block, loop, if/else with results, br, br_if, br_table, return and calls', () => {
  const { exports: e } = load(`
    (module
      (func $square (param $x i32) (result i32) (i32.mul (local.get $x) (local.get $x)))
      (func (export "sumSquares") (param $n i32) (result i32) (local $i i32) (local $s i32)
        (block $done (loop $next
          (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
          (local.set $s (i32.add (local.get $s) (call $square (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
        (local.get $s))
      (func (export "sign") (param $x i32) (result i32)
        (if (result i32) (i32.lt_s (local.get $x) (i32.const 0))
          (then (i32.const -1))
          (else (if (result i32) (local.get $x) (then (i32.const 1)) (else (i32.const 0))))))
      (func (export "pick") (param $k i32) (result i32) (local $r i32)
        (block $end
          (block $two (block $one (block $zero
            (br_table $zero $one $two $end (local.get $k)))
            (local.set $r (i32.const 10)) (br $end))
            (local.set $r (i32.const 11)) (br $end))
            (local.set $r (i32.const 12)))
        (if (i32.eq (local.get $r) (i32.const 12)) (then (return (i32.const 99))))
        (local.get $r))
      (func (export "tee") (param $x i32) (result i32) (local $y i32)
        (i32.add (local.tee $y (i32.add (local.get $x) (i32.const 1))) (select (local.get $y) (i32.const 0) (local.get $x))))
      (func (export "unreachable") (unreachable)))
  `)
  assert.is(e.sumSquares!(10), 285)
  assert.equal([e.sign!(-5), e.sign!(0), e.sign!(3)], [-1, 0, 1])
  assert.equal([0, 1, 2, 3, 7].map((k) => e.pick!(k)), [10, 11, 99, 0, 0])
  assert.is(e.tee!(4), 10)
  assert.is(e.tee!(0), 1)
  assert.throws(() => e.unreachable!(), /unreachable/)
})

test('memory: loads and stores with offsets, memory.size/grow/fill/copy, and SIMD lanes', () => {
  const { exports: e, memory } = load(`
    (module
      (import "env" "memory" (memory 1 4 shared))
      (func (export "copyf") (param $from i32) (param $to i32)
        (f32.store offset=4 (local.get $to) (f32.load offset=8 (local.get $from)))
        (f64.store (i32.const 64) (f64.load (i32.const 0)))
        (i32.store (i32.const 80) (i32.load (i32.const 4)))
        (i64.store (i32.const 88) (i64.load (i32.const 8))))
      (func (export "pages") (result i32) (drop (memory.grow (i32.const 1))) (memory.size))
      (func (export "fillcopy")
        (memory.fill (i32.const 200) (i32.const 7) (i32.const 16))
        (memory.copy (i32.const 300) (i32.const 200) (i32.const 8)))
      (func (export "simd")
        ;; lanes: (1, 2, 3, 4) + splat(10) = (11, 12, 13, 14); reversed by a shuffle
        (v128.store (i32.const 400)
          (i8x16.shuffle 12 13 14 15 8 9 10 11 4 5 6 7 0 1 2 3
            (f32x4.add (v128.const f32x4 1 2 3 4) (f32x4.splat (f32.const 10)))
            (v128.const i32x4 0 0 0 0)))
        (v128.store offset=16 (i32.const 400) (v128.load32_splat (i32.const 400)))
        (v128.store offset=32 (i32.const 400) (f32x4.replace_lane 2 (v128.load64_splat (i32.const 400)) (f32.const -1)))
        (f32.store (i32.const 448) (f32x4.extract_lane 1 (v128.load (i32.const 400))))
        (i32.store (i32.const 452) (i32x4.extract_lane 3 (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (i32.const 5)))))
        (f64.store (i32.const 456) (f64x2.extract_lane 1 (f64x2.mul (v128.const f64x2 1.5 2.5) (f64x2.splat (f64.const 2)))))
        (v128.store (i32.const 464) (v128.load32_zero (i32.const 400)))
        (v128.store (i32.const 480) (v128.load64_zero (i32.const 400)))))
  `)
  const f = new Float32Array(memory.buffer)
  f.set([1, 2, 3, 4])
  e.copyf!(0, 32)
  assert.is(new Float32Array(memory.buffer)[9], 3)
  assert.is(new Uint32Array(memory.buffer)[20], new Uint32Array(memory.buffer)[1])
  assert.is(e.pages!(), 2)
  e.fillcopy!()
  assert.equal(Array.from(new Uint8Array(memory.buffer, 296, 16)), [0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 7, 7, 0, 0, 0, 0])
  e.simd!()
  const g = new Float32Array(memory.buffer, 400, 24)
  assert.equal(Array.from(g.subarray(0, 4)), [14, 13, 12, 11])
  assert.equal(Array.from(g.subarray(4, 8)), [14, 14, 14, 14])
  assert.equal(Array.from(g.subarray(8, 12)), [14, 13, -1, 13])
  assert.is(g[12], 13)
  assert.is(new Int32Array(memory.buffer, 452, 1)[0], 9)
  assert.is(new Float64Array(memory.buffer, 456, 1)[0], 5)
  assert.equal(Array.from(g.subarray(16, 20)), [14, 0, 0, 0])
  assert.equal(Array.from(g.subarray(20, 24)), [14, 13, 0, 0])
})

test('f32x4 and integer vector ops, checked lane by lane against JavaScript', () => {
  const unary = ['f32x4.abs', 'f32x4.neg', 'f32x4.sqrt', 'f32x4.ceil', 'f32x4.floor', 'f32x4.trunc', 'f32x4.nearest', 'v128.not']
  const binary = ['f32x4.add', 'f32x4.sub', 'f32x4.mul', 'f32x4.div', 'f32x4.min', 'f32x4.max', 'f32x4.pmin', 'f32x4.pmax', 'f32x4.eq', 'f32x4.ne', 'f32x4.lt', 'f32x4.gt', 'f32x4.le', 'f32x4.ge', 'v128.and', 'v128.andnot', 'v128.or', 'v128.xor', 'i32x4.add', 'i32x4.sub', 'i32x4.mul', 'i32x4.eq', 'i32x4.ne', 'i32x4.lt_s', 'i32x4.gt_s', 'i32x4.min_s', 'i32x4.max_s']
  const x = [2.5, -0.5, 9, -3.5]
  const y = [1.5, -0.5, -2, 4]
  const funcs = [
    ...unary.map((op, i) => `(func (export "u${i}") (v128.store (i32.const 32) (${op} (v128.load (i32.const 0)))))`),
    ...binary.map((op, i) => `(func (export "b${i}") (v128.store (i32.const 32) (${op} (v128.load (i32.const 0)) (v128.load (i32.const 16)))))`),
    '(func (export "conv") (v128.store (i32.const 32) (f32x4.convert_i32x4_s (i32x4.trunc_sat_f32x4_s (v128.load (i32.const 0))))))',
    '(func (export "shifts") (v128.store (i32.const 32) (i32x4.shr_s (i32x4.shl (v128.const i32x4 1 -2 3 -4) (i32.const 4)) (i32.const 2))) (v128.store (i32.const 48) (i32x4.shr_u (v128.const i32x4 -1 -1 8 8) (i32.const 28))))',
    '(func (export "sel") (result i32) (v128.store (i32.const 32) (v128.bitselect (v128.const i32x4 1 1 1 1) (v128.const i32x4 2 2 2 2) (v128.const i32x4 -1 0 -1 0))) (v128.any_true (v128.const i32x4 0 0 0 0)))',
    '(func (export "wide") (v128.store (i32.const 32) (f64x2.promote_low_f32x4 (v128.load (i32.const 0)))) (v128.store (i32.const 48) (f32x4.demote_f64x2_zero (v128.const f64x2 0.1 -2))))',
    '(func (export "f64ops") (v128.store (i32.const 32) (f64x2.sqrt (f64x2.abs (f64x2.neg (f64x2.min (f64x2.max (f64x2.add (f64x2.sub (f64x2.div (v128.const f64x2 16 9) (v128.const f64x2 1 1)) (v128.const f64x2 0 0)) (v128.const f64x2 0 0)) (v128.const f64x2 0 0)) (v128.const f64x2 100 100)))))))',
  ]
  const { exports: e, memory } = load(`(module (import "env" "memory" (memory 1 4 shared)) ${funcs.join('\n')})`)
  const f = new Float32Array(memory.buffer)
  const i = new Int32Array(memory.buffer)
  const u = new Uint32Array(memory.buffer)
  const run = (name: string, a: number[], b: number[]) => {
    f.set(a, 0)
    f.set(b, 4)
    e[name]!()
    return { f: Array.from(f.subarray(8, 12)), i: Array.from(i.subarray(8, 12)), u: Array.from(u.subarray(8, 12)) }
  }
  const bits = (v: number[]) => Array.from(new Int32Array(Float32Array.from(v).buffer))
  const mask = (c: boolean[]) => c.map((t) => (t ? -1 : 0))
  const lanes = (fn: (a: number, b: number) => number) => x.map((a, k) => Math.fround(fn(a, y[k]!)))
  assert.equal(run('u0', x, y).f, x.map(Math.abs))
  assert.equal(run('u1', x, y).f, x.map((v) => -v))
  assert.equal(run('u2', [4, 9, 0.25, 2], y).f, [2, 3, 0.5, Math.fround(Math.SQRT2)])
  assert.equal(run('u3', x, y).f, x.map(Math.ceil))
  assert.equal(run('u4', x, y).f, x.map(Math.floor))
  assert.equal(run('u5', x, y).f, x.map(Math.trunc))
  assert.equal(run('u6', x, y).f, [2, -0, 9, -4]) // ties to even
  assert.equal(run('u7', x, y).i, bits(x).map((v) => ~v))
  const expectations: Record<string, number[]> = {
    'f32x4.add': lanes((a, b) => a + b), 'f32x4.sub': lanes((a, b) => a - b), 'f32x4.mul': lanes((a, b) => a * b), 'f32x4.div': lanes((a, b) => a / b),
    'f32x4.min': lanes(Math.min), 'f32x4.max': lanes(Math.max), 'f32x4.pmin': lanes((a, b) => (b < a ? b : a)), 'f32x4.pmax': lanes((a, b) => (a < b ? b : a)),
  }
  const compares: Record<string, (a: number, b: number) => boolean> = {
    'f32x4.eq': (a, b) => a === b, 'f32x4.ne': (a, b) => a !== b, 'f32x4.lt': (a, b) => a < b, 'f32x4.gt': (a, b) => a > b, 'f32x4.le': (a, b) => a <= b, 'f32x4.ge': (a, b) => a >= b,
  }
  const ints: Record<string, (a: number, b: number) => number> = {
    'v128.and': (a, b) => a & b, 'v128.andnot': (a, b) => a & ~b, 'v128.or': (a, b) => a | b, 'v128.xor': (a, b) => a ^ b,
    'i32x4.add': (a, b) => (a + b) | 0, 'i32x4.sub': (a, b) => (a - b) | 0, 'i32x4.mul': (a, b) => Math.imul(a, b),
    'i32x4.eq': (a, b) => (a === b ? -1 : 0), 'i32x4.ne': (a, b) => (a !== b ? -1 : 0), 'i32x4.lt_s': (a, b) => (a < b ? -1 : 0), 'i32x4.gt_s': (a, b) => (a > b ? -1 : 0),
    'i32x4.min_s': Math.min, 'i32x4.max_s': Math.max,
  }
  binary.forEach((op, k) => {
    const out = run(`b${k}`, x, y)
    if (expectations[op]) assert.equal(out.f, expectations[op], op)
    else if (compares[op]) assert.equal(out.i, mask(x.map((a, j) => compares[op]!(a, y[j]!))), op)
    else assert.equal(out.i, bits(x).map((a, j) => ints[op]!(a, bits(y)[j]!)), op)
  })
  assert.equal(run('conv', x, y).f, x.map(Math.trunc))
  e.shifts!()
  assert.equal(Array.from(i.subarray(8, 12)), [4, -8, 12, -16])
  assert.equal(Array.from(u.subarray(12, 16)), [15, 15, 0, 0])
  assert.is(e.sel!(), 0)
  assert.equal(Array.from(i.subarray(8, 12)), [1, 2, 1, 2])
  f.set(x, 0)
  e.wide!()
  assert.equal(Array.from(new Float64Array(memory.buffer, 32, 2)), [2.5, -0.5])
  assert.equal(Array.from(f.subarray(12, 16)), [Math.fround(0.1), -2, 0, 0])
  e.f64ops!()
  assert.equal(Array.from(new Float64Array(memory.buffer, 32, 2)), [4, 3])
})

test('f32x4.relaxed_madd is emitted where the engine has relaxed SIMD and lowered to mul + add otherwise', () => {
  const source = `(module (import "env" "memory" (memory 1 4 shared))
    (func (export "madd") (v128.store (i32.const 48) (f32x4.relaxed_madd (v128.load (i32.const 0)) (v128.load (i32.const 16)) (v128.load (i32.const 32))))))`
  const lowered = assemble(source, { relaxedSimd: false })
  assert.ok(WebAssembly.validate(lowered))
  // lane 3: a*b = 1 + 2^-11 + 2^-24 exactly, which float32 rounds to 1 + 2^-11 (a tie, to even)
  const a = [1.5, -2, 3, 1 + 2 ** -12]
  const b = [2, 0.25, -1, 1 + 2 ** -12]
  const c = [0.5, 1, 7, -(1 + 2 ** -11)]
  const modes = relaxedSimdAvailable() ? [false, true] : [false]
  for (const relaxed of modes) {
    const { exports: e, memory } = load(source, relaxed)
    const f = new Float32Array(memory.buffer)
    f.set([...a, ...b, ...c])
    e.madd!()
    // exact in float32 except the last lane, where a fused multiply-add keeps the 2^-24
    assert.equal(Array.from(f.subarray(12, 15)), [3.5, 0.5, 4])
    assert.ok([0, 2 ** -24].includes(f[15]!), `lane 3 is ${f[15]}`)
    if (!relaxed) assert.is(f[15], 0)
  }
  assert.throws(() => assemble('(module (func (f32x4.relaxed_madd (v128.const i32x4 0 0 0 0))))', { relaxedSimd: false }), /three folded operands/)
  assert.throws(() => assemble('(module (func f32x4.relaxed_madd))', { relaxedSimd: false }), /only be lowered in folded form/)
})

test('each mistake in the source is reported with its line', () => {
  const cases: [string, RegExp][] = [
    ['(module (func (i32.bogus)))', /line 1: unknown instruction i32.bogus/],
    ['(module\n (func (local.get $nope)))', /line 2: unknown local \$nope/],
    ['(module (func (br $nowhere)))', /unknown label \$nowhere/],
    ['(module (func (call $missing)))', /unknown function \$missing/],
    ['(module (func (local i33)))', /expected a value type.*got i33/],
    ['(module (func (i32.const 1.5)))', /expected an integer, got 1.5/],
    ['(module (func (i32.const)))', /expected an integer/],
    ['(module (func (f32.const banana)))', /expected a number, got banana/],
    ['(module (func (f32.const)))', /expected a number/],
    ['(module (func (drop (i32.const 1 2))))', /too many immediates for i32.const/],
    ['(module (func (drop (v128.const i16x8 1 2 3 4 5 6 7 8))))', /v128.const needs f32x4, i32x4 or f64x2, got i16x8/],
    ['(module (func (if (i32.const 1) (else))))', /needs a \(then \.\.\.\)/],
    ['(module (func (br_table (i32.const 0))))', /br_table needs at least a default label/],
    ['(module (func ((i32.const 1))))', /expected an instruction name/],
    ['(module (func (block $b (br $b) i32.const)))', /expected an integer/],
    ['(module (func (drop (i32.add (i32.const 1) i32.const 2))))', /too many immediates|expected an integer/],
    ['(module (global i32))', /unsupported module field \(global\)/],
    ['(module (import "env" "f" (func)))', /only memory imports are supported/],
    ['(module (func)', /missing '\)'/],
    ['(module (func)))', /unexpected '\)'/],
    ['(func)', /expected one \(module \.\.\.\)/],
    ['', /expected one \(module \.\.\.\)/],
    ['(module (func (local.get x)))', /expected an instruction name|expected an integer/],
  ]
  for (const [source, pattern] of cases) {
    assert.throws(() => assemble(source), (e: Error) => e instanceof WatError && pattern.test(e.message), source)
  }
  assert.throws(() => assemble('(module (func (local.get)))'), /expected an integer/)
  assert.throws(() => assemble('(module (func i32.const))'), /expected an integer/)
  assert.throws(() => assemble('(module (func (if x (then))))'), /expected an expression, got x/)
  assert.throws(() => assemble('(module (func (drop x)))'), /too many immediates for drop/)
})

test('the kernels assemble to the same valid bytes every time, with and without relaxed SIMD', () => {
  const source = kernelSource()
  const lowered = assemble(source, { relaxedSimd: false })
  assert.ok(WebAssembly.validate(lowered))
  assert.equal(Array.from(assemble(source, { relaxedSimd: false })), Array.from(lowered))
  assert.ok(!lowered.some((_, i) => lowered[i] === 0xfd && lowered[i + 1] === 0x85 && lowered[i + 2] === 0x02), 'no relaxed_madd left after lowering')
  if (relaxedSimdAvailable()) assert.ok(WebAssembly.validate(assemble(source)))
  const exported = WebAssembly.Module.exports(new WebAssembly.Module(lowered)).map((e) => e.name)
  assert.equal(exported, ['pack_a', 'pack_b', 'gemm', 'im2col', 'im2col_quads', 'col2im', 'swap_outer', 'map_range', 'zip', 'zip_rows', 'reduce_rows', 'reduce_middle', 'reduce_columns', 'copy2d', 'adam'])
  assert.ok(instructionNames.includes('f32x4.relaxed_madd') && instructionNames.length > 150)
})

test.run()
