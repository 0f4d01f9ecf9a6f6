// The Backend interface on gpu.js kernels: the same code for gpu.js's cpu, webasm and webgpu
// backends, which differ only in the KernelRunner that compiles and runs the kernels.
//
// The host side here does the bookkeeping a kernel should not: it merges axes the operands walk
// together (so most ops need one or two axes), hands each kernel only the slice of storage it
// reads, and loops over leading axes when more remain than a kernel takes (4 for zip,
// 1 batch axis for matmul).
//
// map has no indexing kernel of its own: a view that is not already contiguous in out's order is
// gathered by the zip kernel (exercise 3.2) as x * 1, which is exact for every float32 (-0,
// infinities and NaN included), and the unary op then runs over the contiguous result.
//
// On webgpu, outputs stay on the device (allocateOutput hands out DeviceBuffers): a resident operand
// is passed to the kernel by id, a host one is uploaded, and results are read back only when the
// host reads a tensor's data. Every other runner computes from and into host arrays as before.
//
// gpu.js computes in float32. A float64 tensor (gradcheck's) is refused with an error rather than
// computed on a float32 copy: a gradient check that silently ran in float32 would report noise.
import type { Backend } from '../backend.ts'
import { DeviceBuffer } from '../device_buffer.ts'
import type { Conv2dGeometry } from '../../tensor/conv_geometry.ts'
import type { DType, Strided } from '../../tensor/strided.ts'
import { dtypeOf, formatShape, sizeOf } from '../../tensor/strided.ts'
import type { BinaryOp, ReduceOp, UnaryOp } from '../../tensor/scalar_ops.ts'
import { binaryCodes, reduceCodes, unaryCodes } from './ops.ts'
import { broadcastStrides, coalesce, forEachBlock, MAX_INDEX, operandData, operandSpan, padLeft } from './layout.ts'
import { contiguousStrides } from '#kata/tensor/strides'
import type { GpujsMode, KernelArg, KernelRunner, Launch } from './runner.ts'

export interface GpujsBackend extends Backend {
  readonly mode: GpujsMode
  readonly runner: KernelRunner
  /** Always false: gpu.js kernels compute in float32, and float64 inputs are refused. */
  readonly supportsFloat64: false
  /**
   * False on webgpu: WGSL lets an implementation assume no value is NaN, and Dawn's compiler
   * drops the NaN cases of relu, clamp, maximum and minimum (seen over llvmpipe), so NaN
   * propagation is not guaranteed there. The tests that need it say so and skip.
   */
  readonly propagatesNaN: boolean
}

/** Ops whose parameters p0, p1 matter; the others are compiled with 0 so they share kernels. */
const PARAMETRIC = new Set<UnaryOp>(['leakyRelu', 'clamp'])

/** Thrown for float64 tensors: gpu.js computes in float32 only. */
export class Float64UnsupportedError extends Error {
  constructor(backend: string, op: string, shape: readonly number[]) {
    super(
      `${backend}: ${op} got a float64 tensor of shape ${formatShape(shape)}, but gpu.js computes in float32 only. ` +
        `This backend refuses float64 rather than round it silently; run float64 work (gradcheck) on the 'reference' backend.`,
    )
    this.name = 'Float64UnsupportedError'
  }
}

export function createGpujsBackend(runner: KernelRunner): GpujsBackend {
  const name = `gpu.js-${runner.mode}`

  const device = runner.device

  /** The operand's buffer when it is resident on this runner's device (reading `data` would download it). */
  function resident(t: Strided): DeviceBuffer | null {
    const d = t.device
    return d && d.owner === device && d.resident ? d : null
  }

  function float32(op: string, ...tensors: Strided[]): void {
    for (const t of tensors) {
      const dtype = resident(t)?.dtype ?? dtypeOf(t.data)
      if (dtype !== 'float32') throw new Float64UnsupportedError(name, op, t.shape)
    }
  }

  /** What a kernel reads of `a` from `offset`: a device slice when resident, else a host subarray. */
  function operand(op: string, a: Strided, offset: number, shape: readonly number[], strides: readonly number[]): KernelArg {
    const d = resident(a)
    if (!d) return operandData(op, a, offset, shape, strides)
    return { id: d.id, offset, length: operandSpan(op, shape, strides) }
  }

  /** Run `launch` and put its output into `out` from `offset`: on the device when out is resident. */
  function launchInto(launch: Launch, out: Strided, offset: number): void {
    const d = resident(out)
    if (d) device!.runInto(launch, { id: d.id, offset, length: d.length })
    else out.data.set(runner.run(launch), offset)
  }

  /** Fill all of `out` with one value (the empty-sum cases). */
  function fill(out: Strided, value: number): void {
    const d = resident(out)
    if (d) device!.write(d.id, 0, d.length, new Float32Array(d.length).fill(value))
    else out.data.fill(value)
  }

  /** A contiguous float32 scratch of `size` values, on the device when there is one; free() it after use. */
  function scratch(size: number, shape: readonly number[]): Strided & { free(): void } {
    const strides = contiguousStrides(shape)
    if (!device) return { data: new Float32Array(size), shape, strides, offset: 0, free() {} }
    const buffer = new DeviceBuffer(device, device.allocate(size), 'float32', size)
    return { data: new Float32Array(0), device: buffer, shape, strides, offset: 0, free: () => buffer.free() }
  }

  function checkOutput(op: string, size: number): void {
    if (size > MAX_INDEX) throw new Error(`${name}: ${op} output has ${size} elements; gpu.js kernels index in float32, exact only below 2^24 = ${MAX_INDEX}`)
  }

  /** zip and the gather before map: one thread per element of `out`, each input broadcast to it. */
  function elementwise(op: string, inputs: Strided[], out: Strided, launch: (o: number[], shapes: number[][], strides: number[][], data: KernelArg[]) => Launch): void {
    const size = sizeOf(out.shape)
    if (size === 0) return
    checkOutput(op, size)
    const all = [contiguousStrides(out.shape), ...inputs.map((t) => broadcastStrides(t, out.shape))]
    let { shape, strides } = coalesce(out.shape, all)
    if (shape.length === 0) {
      shape = [1]
      strides = all.map(() => [0])
    }
    const tail = shape.slice(-4)
    forEachBlock(shape, strides, [0, ...inputs.map((t) => t.offset)], 4, (offsets) => {
      const own = strides.slice(1).map((s) => s.slice(-4))
      const shapes = own.map((s) => tail.map((d, i) => (s[i] === 0 ? 1 : d)))
      const data = inputs.map((t, k) => operand(`${name} ${op}`, t, offsets[k + 1]!, shapes[k]!, own[k]!))
      launchInto(launch(padLeft(tail, 4, 1), shapes.map((s) => padLeft(s, 4, 1)), own.map((s) => padLeft(s, 4, 0)), data), out, offsets[0]!)
    })
  }

  /** The zip kernel's launch for the binary op `code`, given what `elementwise` worked out. */
  function zipLaunch(code: number): (o: number[], shapes: number[][], strides: number[][], data: KernelArg[]) => Launch {
    return (o, [sa, sb], [ta, tb], args) => ({
      kernel: 'zip',
      constants: {
        op: code,
        o0: o[0]!, o1: o[1]!, o2: o[2]!, o3: o[3]!,
        a0: sa![0]!, a1: sa![1]!, a2: sa![2]!, a3: sa![3]!, as0: ta![0]!, as1: ta![1]!, as2: ta![2]!, as3: ta![3]!,
        b0: sb![0]!, b1: sb![1]!, b2: sb![2]!, b3: sb![3]!, bs0: tb![0]!, bs1: tb![1]!, bs2: tb![2]!, bs3: tb![3]!,
      },
      output: [o[0]! * o[1]! * o[2]! * o[3]!],
      args,
    })
  }

  /** out (contiguous) = a broadcast to out's shape, by the zip kernel as a * 1: exact for every float32. */
  function gather(op: string, a: Strided, out: Strided): void {
    elementwise(op, [a, ONE], out, zipLaunch(binaryCodes.mul))
  }

  /** Reduce `rows` rows of `len` values of `data` into out (contiguous, `rows` values). */
  function reduceRows(op: ReduceOp, data: KernelArg, rows: number, len: number, rowStride: number, step: number, out: Strided): void {
    // A GPU runs one thread per row: with few long rows, sum chunks of each row first, then the chunks.
    const chunks = runner.mode === 'webgpu' && rows < 256 && (rows === 1 || rowStride === len * step) ? chunkCount(len) : 1
    if (chunks > 1) {
      const partial = scratch(rows * chunks, [rows * chunks])
      try {
        reduceRows(op, data, rows * chunks, len / chunks, (len / chunks) * step, step, partial)
        reduceRows(op, operand(`${name} reduce '${op}'`, partial, 0, [rows * chunks], [1]), rows, chunks, chunks, 1, out)
      } finally {
        partial.free()
      }
      return
    }
    launchInto({ kernel: 'reduce', constants: { op: reduceCodes[op], len, rowStride, step }, output: [rows], args: [data] }, out, 0)
  }

  const backend: GpujsBackend = {
    name,
    mode: runner.mode,
    runner,
    supportsFloat64: false,
    propagatesNaN: runner.mode !== 'webgpu',
    ...(device && {
      // Outputs of float32 ops stay on the device; float64 gets host storage, which float32() refuses as before.
      allocateOutput: (dtype: DType, size: number): DeviceBuffer | undefined =>
        dtype === 'float32' ? new DeviceBuffer(device, device.allocate(size), dtype, size) : undefined,
      liveHandles: () => device.live(),
      readbacks: () => device.readbacks,
    }),

    map(op: UnaryOp, a: Strided, out: Strided, p0: number, p1: number): void {
      const what = `map '${op}'`
      float32(what, a, out)
      const size = sizeOf(out.shape)
      if (size === 0) return
      checkOutput(what, size)
      const [q0, q1] = PARAMETRIC.has(op) ? [p0, p1] : [0, 0]
      const unary = (input: KernelArg): Launch => ({ kernel: 'map', constants: { op: unaryCodes[op], p0: q0, p1: q1 }, output: [size], args: [input] })
      if (contiguousLike(a, out.shape)) {
        launchInto(unary(operand(`${name} ${what}`, a, a.offset, [size], [1])), out, 0)
      } else if (op === 'copy') {
        gather(what, a, out)
      } else {
        const gathered = scratch(size, out.shape)
        try {
          gather(what, a, gathered)
          launchInto(unary(operand(`${name} ${what}`, gathered, 0, [size], [1])), out, 0)
        } finally {
          gathered.free()
        }
      }
    },

    zip(op: BinaryOp, a: Strided, b: Strided, out: Strided): void {
      float32(`zip '${op}'`, a, b, out)
      elementwise(`zip '${op}'`, [a, b], out, zipLaunch(binaryCodes[op]))
    },

    reduce(op: ReduceOp, a: Strided, out: Strided): void {
      float32(`reduce '${op}'`, a, out)
      const rows = sizeOf(out.shape)
      if (rows === 0) return
      checkOutput(`reduce '${op}'`, rows)
      if (sizeOf(a.shape) === 0) {
        fill(out, op === 'sum' ? 0 : -Infinity)
        return
      }
      const reduced = a.shape.map((_, i) => i).filter((i) => out.shape[i] === 1 && a.shape[i] !== 1)
      const kept = a.shape.map((_, i) => i).filter((i) => !reduced.includes(i))
      // Reduce the axes in the order the storage walks them (any order gives the same sum up to rounding).
      reduced.sort((x, y) => a.strides[y]! - a.strides[x]!)
      const outStrides = contiguousStrides(out.shape)
      const k = coalesce(kept.map((i) => a.shape[i]!), [kept.map((i) => a.strides[i]!), kept.map((i) => outStrides[i]!)])
      const r = coalesce(reduced.map((i) => a.shape[i]!), [reduced.map((i) => a.strides[i]!)])
      const len = sizeOf(r.shape)
      if (k.shape.length <= 1 && r.shape.length <= 1) {
        const rowStride = k.strides[0]![0] ?? 0
        const step = r.strides[0]![0] ?? 1
        const data = operand(`${name} reduce '${op}'`, a, a.offset, [rows, len], [rowStride, step])
        reduceRows(op, data, rows, len, rowStride, step, out)
      } else {
        // Kept axes and reduced axes interleave in storage: gather a into [kept..., reduced...] first.
        const shape = [...k.shape, ...r.shape]
        const gathered = scratch(rows * len, shape)
        try {
          // A view of a's storage: resident stays resident (the getter reads data only off the device).
          const view: Strided = { get data() { return a.data }, device: a.device ?? null, shape, strides: [...k.strides[0]!, ...r.strides[0]!], offset: a.offset }
          backend.map('copy', view, gathered, 0, 0)
          reduceRows(op, operand(`${name} reduce '${op}'`, gathered, 0, [rows, len], [len, 1]), rows, len, len, 1, out)
        } finally {
          gathered.free()
        }
      }
    },

    matmul(a: Strided, b: Strided, out: Strided): void {
      float32('matmul', a, b, out)
      const nd = out.shape.length
      const [n, m] = out.shape.slice(-2) as [number, number]
      const kk = a.shape[a.shape.length - 1]!
      const size = sizeOf(out.shape)
      if (size === 0) return
      checkOutput('matmul', size)
      if (kk === 0) {
        fill(out, 0)
        return
      }
      const batchShape = out.shape.slice(0, nd - 2)
      const batchOf = (t: Strided): Strided => ({ ...t, shape: t.shape.slice(0, -2), strides: t.strides.slice(0, -2) })
      const all = [contiguousStrides(out.shape).slice(0, nd - 2), broadcastStrides(batchOf(a), batchShape), broadcastStrides(batchOf(b), batchShape)]
      let { shape, strides } = coalesce(batchShape, all)
      if (shape.length === 0) {
        shape = [1]
        strides = [[0], [0], [0]]
      }
      const [aRow, aCol] = a.strides.slice(-2) as [number, number]
      const [bRow, bCol] = b.strides.slice(-2) as [number, number]
      const nb = shape[shape.length - 1]!
      const [, aBatch, bBatch] = strides.map((s) => s[s.length - 1]!) as [number, number, number]
      forEachBlock(shape, strides, [0, a.offset, b.offset], 1, (offsets) => {
        const aData = operand(`${name} matmul`, a, offsets[1]!, [nb, n, kk], [aBatch, aRow, aCol])
        const bData = operand(`${name} matmul`, b, offsets[2]!, [nb, kk, m], [bBatch, bRow, bCol])
        launchInto({ kernel: 'matmul', constants: { k: kk, aBatch, aRow, aCol, bBatch, bRow, bCol }, output: [m, n, nb], args: [aData, bData] }, out, offsets[0]!)
      })
    },

    conv2d(x: Strided, w: Strided, geom: Conv2dGeometry, out: Strided): void {
      float32('conv2d', x, w, out)
      conv('conv2d', x, w, geom, out, [geom.outW, geom.outH, geom.batch * geom.outChannels])
    },

    conv2dInputGrad(gy: Strided, w: Strided, geom: Conv2dGeometry, gx: Strided): void {
      float32('conv2dInputGrad', gy, w, gx)
      conv('conv2dInputGrad', gy, w, geom, gx, [geom.width, geom.height, geom.batch * geom.inChannels])
    },

    conv2dWeightGrad(x: Strided, gy: Strided, geom: Conv2dGeometry, gw: Strided): void {
      float32('conv2dWeightGrad', x, gy, gw)
      conv('conv2dWeightGrad', x, gy, geom, gw, [geom.kernelW, geom.kernelH, geom.outChannels * geom.inChannels])
    },
  }

  /** The three convolution kernels: one thread per output value, the geometry as constants. */
  function conv(kernel: 'conv2d' | 'conv2dInputGrad' | 'conv2dWeightGrad', first: Strided, second: Strided, geom: Conv2dGeometry, out: Strided, output: [number, number, number]): void {
    const size = output[0] * output[1] * output[2]
    if (size === 0) return
    checkOutput(kernel, size)
    if (sizeOf(first.shape) === 0 || sizeOf(second.shape) === 0) {
      fill(out, 0) // a batch of 0: every sum is empty
      return
    }
    const [s0, s1, s2, s3] = first.strides as [number, number, number, number]
    const [t0, t1, t2, t3] = second.strides as [number, number, number, number]
    const args = [
      operand(`${name} ${kernel}`, first, first.offset, first.shape, first.strides),
      operand(`${name} ${kernel}`, second, second.offset, second.shape, second.strides),
    ]
    launchInto({ kernel, constants: { ...geom, s0, s1, s2, s3, t0, t1, t2, t3 }, output, args }, out, 0)
  }

  return backend
}

/** The one-element tensor holding 1 that `gather` multiplies by (host storage: one value uploaded per launch). */
const ONE: Strided = { data: Float32Array.of(1), shape: [], strides: [], offset: 0 }

/** Whether `a`, broadcast to `shape`, walks its storage as a contiguous tensor of that shape does. */
function contiguousLike(a: Strided, shape: readonly number[]): boolean {
  const { shape: merged, strides } = coalesce(shape, [contiguousStrides(shape), broadcastStrides(a, shape)])
  return merged.length === 0 || (merged.length === 1 && strides[1]![0] === 1)
}

/** A divisor of len near its square root (at least 16), or 1 when it has none worth splitting on. */
export function chunkCount(len: number): number {
  if (len < 4096) return 1
  for (let d = Math.floor(Math.sqrt(len)); d >= 16; d--) if (len % d === 0) return d
  return 1
}
