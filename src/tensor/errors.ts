// Errors a user can act on: the op that failed, what it expected and what it got.

export class ShapeError extends Error {
  override name = 'ShapeError'
}

export function shapeError(op: string, message: string): ShapeError {
  return new ShapeError(`${op}: ${message}`)
}
