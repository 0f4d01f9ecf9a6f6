// The error every generated exercise stub throws. It carries the exercise id and the hint so a
// student (and the grader's one-line summary) sees which exercise is missing and where to start.

export class NotImplementedError extends Error {
  readonly exerciseId: string
  readonly hint: string

  constructor(exerciseId: string, hint: string) {
    super(`exercise ${exerciseId} is not implemented yet: ${hint}`)
    this.name = 'NotImplementedError'
    this.exerciseId = exerciseId
    this.hint = hint
  }
}

export function isNotImplementedError(err: unknown): err is NotImplementedError {
  // Checked by name too: the error may cross module instances (a stub loaded through another path).
  return err instanceof NotImplementedError || (err instanceof Error && err.name === 'NotImplementedError')
}
