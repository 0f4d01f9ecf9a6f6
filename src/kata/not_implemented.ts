// The error every generated exercise stub throws. It carries the exercise id and the hint so a
// student (and the grader's one-line summary) sees which exercise is missing and where to start.

/**
 * The grading harness listens here for every stub that throws, even when a test catches the error
 * (say assert.throws expecting another one), to tell "not started" from a real failure.
 */
export const NOT_IMPLEMENTED_HOOK = Symbol.for('genkata.kata.notImplemented')

export class NotImplementedError extends Error {
  readonly exerciseId: string
  readonly hint: string

  constructor(exerciseId: string, hint: string) {
    super(`exercise ${exerciseId} is not implemented yet: ${hint}`)
    this.name = 'NotImplementedError'
    this.exerciseId = exerciseId
    this.hint = hint
    const hook = (globalThis as Record<symbol, unknown>)[NOT_IMPLEMENTED_HOOK]
    if (typeof hook === 'function') hook(exerciseId)
  }
}

export function isNotImplementedError(err: unknown): err is NotImplementedError {
  // Checked by name too: the error may cross module instances (a stub loaded through another path).
  return err instanceof NotImplementedError || (err instanceof Error && err.name === 'NotImplementedError')
}
