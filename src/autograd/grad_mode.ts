// Whether ops record the graph. Off inside noGrad() (evaluation, optimizer updates) and while
// backward() runs, so gradient formulas can use ordinary tensor methods.

let enabled = true

export function isGradEnabled(): boolean {
  return enabled
}

/** Run `fn` without recording any graph; results do not require grad. */
export function noGrad<T>(fn: () => T): T {
  const previous = enabled
  enabled = false
  try {
    return fn()
  } finally {
    enabled = previous
  }
}
