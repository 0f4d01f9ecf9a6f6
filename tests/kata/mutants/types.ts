// A plausible student bug: the solution file's text with `find` replaced by `replace`.
export interface Mutant {
  /** Exercise id, e.g. '1.2'. */
  exercise: string
  /** What the student did wrong, in a few words. */
  bug: string
  find: string
  replace: string
}
