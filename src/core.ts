// The core of genkata's API: tensors and autodiff. The Tensor imported from here is ready to use,
// because this module loads the modules that install its ops (src/tensor/raw/ops.ts, through
// creation.ts, and src/autograd/ops.ts). src/nn takes Tensor from here; src/index.ts adds nn on top
// (nn importing src/index.ts would be a cycle: index -> nn -> index).
export { Tensor } from './tensor/tensor.ts'
export { tidy, keep } from './tensor/memory.ts'
export type { GradNode, Axes, BackwardOptions } from './tensor/tensor.ts'
export type { DType, Storage, Strided } from './tensor/strided.ts'
export type { SliceRange } from './tensor/shape.ts'
export * from './tensor/creation.ts'
export { Rng } from './tensor/random.ts'
export { ShapeError } from './tensor/errors.ts'
export { getMaxElements, setMaxElements, DEFAULT_MAX_ELEMENTS } from './tensor/limits.ts'
export { concat, stack } from './autograd/ops.ts'
export { noGrad, isGradEnabled } from './autograd/grad_mode.ts'
export { gradcheck, relativeError, band } from './autograd/gradcheck.ts'
export type { GradcheckReport, GradcheckOptions } from './autograd/gradcheck.ts'
export { getBackend, setBackend, availableBackends, registerBackend, liveDeviceBuffers, deviceReadbacks } from './backend/index.ts'
export type { Backend } from './backend/index.ts'
export { conv2d, convTranspose2d } from './autograd/conv_ops.ts'
export { convGeometry, convTransposeGeometry } from './tensor/conv_geometry.ts'
export type { Conv2dGeometry, Conv2dOptions, ConvTranspose2dOptions, Pair } from './tensor/conv_geometry.ts'
