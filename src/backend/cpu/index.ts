// The cpu backend, "the fast CPU path": float32 matrix products and convolutions on a WebAssembly
// SIMD GEMM run on every core (gemm.ts, conv.ts, kernels.wat, pool.ts), element-wise ops and
// reductions as one specialised TypeScript loop per op (elementwise.ts), and Adam's update in one
// pass (optim.ts).
//
// float64 is computed in float64: any op with a float64 operand or result goes to the reference
// backend, which computes in float64 (gradcheck's path), so no precision is ever dropped.
import type { Backend } from '../backend.ts'
import type { Strided } from '../../tensor/strided.ts'
import { referenceBackend } from '../reference.ts'
import { mapF32, reduceF32, zipF32 } from './elementwise.ts'
import { matmulF32 } from './gemm.ts'
import { conv2dF32, conv2dInputGrad, conv2dWeightGrad } from './conv.ts'
import { threadInfo } from './pool.ts'
import { adamF32 } from './optim.ts'
import { endCall, getRuntime } from './wasm.ts'
import { allocateResident, allocateState, isFloat32, residentInfo } from './resident.ts'

export { threadInfo, setThreads, waitForWorkers } from './pool.ts'
export { residentInfo, residentTuning } from './resident.ts'

const f32 = (...views: Strided[]) => views.every(isFloat32)

/** Run one backend call, then release its scratch (even when it throws), so resident blocks claimed next sit right above the others. */
function call<T>(run: () => T): T {
  try {
    return run()
  } finally {
    endCall()
  }
}

/** What it runs on, for `genkata doctor` and the benchmark. */
export function describeCpu(): string {
  const { relaxedSimd } = getRuntime()
  const { threads } = threadInfo()
  return `WebAssembly SIMD f32x4 (${relaxedSimd ? 'fused multiply-add, relaxed SIMD' : 'multiply then add'}), ${threads} thread${threads === 1 ? '' : 's'}`
}

export const cpuBackend: Backend & { runner: { describe(): string } } = {
  name: 'cpu',
  runner: { describe: describeCpu },
  map: (op, a, out, p0, p1) => call(() => (f32(a, out) ? mapF32(op, a, out, p0, p1) : referenceBackend.map(op, a, out, p0, p1))),
  zip: (op, a, b, out) => call(() => (f32(a, b, out) ? zipF32(op, a, b, out) : referenceBackend.zip(op, a, b, out))),
  reduce: (op, a, out) => call(() => (f32(a, out) ? reduceF32(op, a, out) : referenceBackend.reduce(op, a, out))),
  matmul: (a, b, out) => call(() => (f32(a, b, out) ? matmulF32(a, b, out) : referenceBackend.matmul(a, b, out))),
  conv2d: (x, w, g, out) => call(() => (f32(x, w, out) ? conv2dF32(x, w, g, out) : referenceBackend.conv2d(x, w, g, out))),
  conv2dInputGrad: (gy, w, g, gx) => call(() => (f32(gy, w, gx) ? conv2dInputGrad(gy, w, g, gx) : referenceBackend.conv2dInputGrad(gy, w, g, gx))),
  conv2dWeightGrad: (x, gy, g, gw) => call(() => (f32(x, gy, gw) ? conv2dWeightGrad(x, gy, g, gw) : referenceBackend.conv2dWeightGrad(x, gy, g, gw))),
  adam: (param, grad, m, v, hyper) => call(() => adamF32(param, grad, m, v, hyper)),
  // Outputs of float32 ops live in wasm memory (resident.ts): kernels read and write them in place.
  allocateOutput: allocateResident,
  allocateState,
  liveHandles: () => residentInfo().blocks,
}
