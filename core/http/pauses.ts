// A server that says "wait" (Retry-After, X-RateLimit-Reset) says it to the user, not to the one
// request that got the answer: ServiceNow counts rate-limit rules per user and instance, LeanIX
// per technical user, ISC per API client. So the pause is kept per instance and user, and every
// request of every client of that pair waits it out before it is sent, instead of each
// partition or writer running into the same 429 on its own.

/** The pause board: when each (instance, user) may send again. */
export class PauseBoard {
  readonly #until = new Map<string, number>()

  /** every request of `key` waits until `until` (epoch ms); a shorter pause never shortens a longer one */
  pause(key: string, until: number): void {
    if (until > (this.#until.get(key) ?? 0)) this.#until.set(key, until)
  }

  /** when `key` may send again, or undefined when it may now */
  pausedUntil(key: string, now: number): number | undefined {
    const until = this.#until.get(key)
    if (until === undefined) return undefined
    if (until > now) return until
    this.#until.delete(key)
    return undefined
  }
}

/** One board for the process: two clients of the same instance and user share its pauses. */
export const sharedPauses = new PauseBoard()
