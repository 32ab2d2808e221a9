// A run refusal is declared with its error, as retryability is (core/retryable.ts):
// `refusesRuns(createError(...))` marks every error of that code as "this mapping may not run
// until someone mends it" (its custom connector drifted or was removed). A manual start answers
// it to the caller; a scheduled or event run has nothing to add, and its changes wait.

/** Marks the errors made by `ctor` as run refusals; returns it, for use around createError. */
export function refusesRuns<C extends abstract new (...args: never[]) => Error>(ctor: C): C {
  Object.defineProperty(ctor.prototype, 'refusesRuns', { value: true, enumerable: false })
  return ctor
}

export function isRunRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { refusesRuns?: unknown }).refusesRuns === true
}
