// The element types and the typed arrays that hold them. A file of its own, below both the strided
// layout and the backends' device buffers, so neither has to import the other for these names.

export type DType = 'float32' | 'float64'
export type Storage = Float32Array | Float64Array
