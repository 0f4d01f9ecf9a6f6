// genkata's public API ('genkata' in package.json "exports"): the core (tensors, autodiff, backends)
// and the layers, losses and optimizers of src/nn.
export * from './core.ts'
export * from './nn/index.ts'
