// The raw ops in one namespace: `import * as raw from '.../tensor/raw/index.ts'` and every call
// reads `raw.map`, `raw.conv2d`: values with no graph, never mistaken for the differentiable op.
export * from './ops.ts'
export * from './conv.ts'
