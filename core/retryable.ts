// Retryability is declared with the error: `retryable(createError(...))` in an errors.ts marks
// every error of that code as one that trying again later can cure (a timeout, an overloaded or
// unreachable system). Callers ask `isRetryable(error)` instead of comparing code strings. An
// error raised from one particular answer may still say otherwise on its own (`retryable: false`
// set on the instance wins).

/** Marks the errors made by `ctor` as retryable; returns it, for use around createError. */
export function retryable<C extends abstract new (...args: never[]) => Error>(ctor: C): C {
  // writable, so an instance can still say `retryable: false` (Object.assign would throw otherwise)
  Object.defineProperty(ctor.prototype, 'retryable', { value: true, writable: true, enumerable: false })
  return ctor
}

export function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true
}
