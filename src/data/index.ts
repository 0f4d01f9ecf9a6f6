// The data layer's public surface: IDX files, MNIST-format datasets, the embedded sample.
export * from './idx.ts'
export * from './catalog.ts'
export * from './datasets.ts'
export * from './sample.ts'
export * from './subset.ts'
export * from './fetch.ts'
