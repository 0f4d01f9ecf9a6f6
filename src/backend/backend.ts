// The backend interface: every element-wise op, reduction and matrix product in genkata goes
// through these four primitives (MiniTorch's map, zip, reduce and matmul). Autograd never sees a
// backend; a new backend (gpu.js, WebAssembly) plugs in here and nowhere else. Convolution is
// the one exception to the four: through im2col it is a matmul (see convolutionByMatmul in
// reference.ts), but a backend may run its own kernels for it, so it has its own three entries.
//
// Contract shared by all kernels: inputs are any Strided views (transposed, sliced, broadcast
// with stride 0); `out` is freshly allocated, contiguous, offset 0, and of the result dtype.
//
// Device residency (optional): a backend with allocateOutput gets to place outputs on its device
// (a DeviceBuffer instead of a typed array). It must then accept those as inputs through
// Strided.device without reading `data` (which downloads), and write such outputs on the device.
// A backend without it sees only host storage, as `data` downloads any resident operand.
import type { DType, Storage, Strided } from '../tensor/strided.ts'
import type { DeviceBuffer } from './device_buffer.ts'
import type { BinaryOp, ReduceOp, UnaryOp } from '../tensor/scalar_ops.ts'
import type { Conv2dGeometry } from '../tensor/conv_geometry.ts'

/** Adam's hyperparameters as the reference rule names them (AdamHyper), and its step t (1 first), for Backend.adam. */
export type FusedAdamHyper = Record<'lr' | 'beta1' | 'beta2' | 'eps' | 'weightDecay' | 'step', number> & { decoupled: boolean }

export interface Backend {
  readonly name: string
  /** out = op(a), a broadcast to out's shape; p0, p1 are the op's parameters (leakyRelu slope, clamp bounds). */
  map(op: UnaryOp, a: Strided, out: Strided, p0: number, p1: number): void
  /** out = op(a, b), both broadcast to out's shape. */
  zip(op: BinaryOp, a: Strided, b: Strided, out: Strided): void
  /** out has a's shape with the reduced axes set to 1. */
  reduce(op: ReduceOp, a: Strided, out: Strided): void
  /** a [...batch, n, k] times b [...batch, k, m] into out [...batch, n, m]; batch axes broadcast. */
  matmul(a: Strided, b: Strided, out: Strided): void
  /** x [N, C, H, W] (any strides), w [O, C, kh, kw] -> out [N, O, outH, outW] (contiguous, fresh). No bias. */
  conv2d(x: Strided, w: Strided, geom: Conv2dGeometry, out: Strided): void
  /** The gradient of conv2d with respect to x: gy [N, O, outH, outW], w -> gx [N, C, H, W] (fresh, contiguous, to be fully written). */
  conv2dInputGrad(gy: Strided, w: Strided, geom: Conv2dGeometry, gx: Strided): void
  /** The gradient with respect to w: x, gy -> gw [O, C, kh, kw] (fresh, contiguous, to be fully written). */
  conv2dWeightGrad(x: Strided, gy: Strided, geom: Conv2dGeometry, gw: Strided): void
  /**
   * Optional: Adam's update of one parameter in place, exactly as the reference rule computes it
   * (solutions/nn/optim/adam.ts), in one pass. Returns false when it cannot take these arrays; the
   * optimizer then runs the rule itself. Used only while that rule is the reference solution.
   */
  adam?(param: Storage, grad: Strided, m: Storage, v: Storage, hyper: FusedAdamHyper): boolean
  /**
   * Optional: zeroed storage for an optimizer's state (Adam's m and v) placed where `adam` reads and
   * writes it without copies; undefined for ordinary storage.
   */
  allocateState?(dtype: DType, size: number): Storage | undefined
  /** Storage for an output of `size` values on the device; undefined for host storage. */
  allocateOutput?(dtype: DType, size: number): DeviceBuffer | undefined
  /** Device buffers allocated and not yet released (dispose, tidy, or the garbage collector). */
  liveHandles?(): number
  /** Device-to-host transfers so far. */
  readbacks?(): number
}
