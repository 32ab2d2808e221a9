// Client-side token bucket that keeps a connection under LeanIX's per-user request limit
// (1800/min for humans and technical users alike), so we rarely meet a 429 at all.
import { sleep } from '../../../core/http/backoff.ts'

export interface TokenBucketOptions {
  /** sustained rate */
  perMinute: number
  /** tokens available at once */
  burst: number
  now?: () => number
}

export class TokenBucket {
  readonly #ratePerMs: number
  readonly #burst: number
  readonly #now: () => number
  #tokens: number
  #last: number
  /** callers waiting, served in arrival order so no one starves */
  #queue: Promise<void> = Promise.resolve()
  #taken = 0

  constructor(options: TokenBucketOptions) {
    this.#ratePerMs = options.perMinute / 60_000
    this.#burst = Math.max(1, options.burst)
    this.#now = options.now ?? Date.now
    this.#tokens = this.#burst
    this.#last = this.#now()
  }

  /** how many tokens were handed out (one per request sent) */
  get taken(): number {
    return this.#taken
  }

  /** Waits until a token is free, then takes it. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#takeInTurn(signal))
    // a rejected waiter (aborted) must not block those behind it
    this.#queue = turn.catch(() => {})
    return turn
  }

  async #takeInTurn(signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.#refill()
      if (this.#tokens >= 1) {
        this.#tokens -= 1
        this.#taken += 1
        return
      }
      await sleep(Math.ceil((1 - this.#tokens) / this.#ratePerMs), signal)
    }
  }

  #refill(): void {
    const now = this.#now()
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#ratePerMs)
    this.#last = now
  }
}
