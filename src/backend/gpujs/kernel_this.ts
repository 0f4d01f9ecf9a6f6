// What `this` holds inside a gpu.js kernel, typed for TypeScript. gpu.js runs the kernel once per
// output element ("thread"); this.thread says which one, this.constants holds the values baked
// into the compiled kernel (sizes and strides: a loop bounded by a constant has no iteration cap).
export interface KernelThis<C> {
  readonly thread: { readonly x: number; readonly y: number; readonly z: number }
  readonly constants: C
  readonly output: { readonly x: number; readonly y: number; readonly z: number }
}

/** A kernel's array argument: a flat float32 buffer, read with [i]. */
export type KernelArray = Float32Array
