// Hyperparameter checks shared by the optimizers and clipping: each throws an error naming the
// optimizer, the setting and the value it got.

export function finiteAtLeast(op: string, name: string, value: unknown, min = 0): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${op}: ${name} must be a finite number >= ${min}, got ${String(value)}`)
  }
}

export function unitInterval(op: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(`${op}: ${name} must be a number in [0, 1), got ${String(value)}`)
  }
}

export function flag(op: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new TypeError(`${op}: ${name} must be true or false, got ${String(value)}`)
}
