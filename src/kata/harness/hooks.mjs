// Module resolution hook for the grading harness (registered with node:module register): `uvu`
// resolves to the harness's recording shim, so graded test files run unchanged.
let shim

export async function initialize(data) {
  shim = data.shim
}

export async function resolve(specifier, context, next) {
  if (specifier === 'uvu') return { url: shim, shortCircuit: true }
  return next(specifier, context)
}
