// What a request carries to prove who sends it, and the one cache of bearer tokens every client
// uses. A token is obtained once for everybody waiting (single flight), renewed a margin before
// it expires, and renewed once more when the server answers 401 to a token it had accepted.
// How a token is obtained (ServiceNow's OAuth grants, LeanIX's MTM exchange, ISC's client
// credentials) is the system's own `obtain` function.

export interface Credentials {
  /** the Authorization header of the next request; undefined for none */
  authorization(signal?: AbortSignal): Promise<string | undefined>
  /**
   * A request sent with `used` was answered 401. Resolves true when a different credential is
   * now available (worth one more try), false when there is nothing new to try; rejects when
   * obtaining a new one failed.
   */
  renewAfterUnauthorized(used: string | undefined, signal?: AbortSignal): Promise<boolean>
}

/** A fixed header (Basic auth): nothing to renew. */
export function fixedCredentials(header: string): Credentials {
  return {
    authorization: () => Promise.resolve(header),
    renewAfterUnauthorized: () => Promise.resolve(false),
  }
}

export function basicCredentials(username: string, password: string): Credentials {
  return fixedCredentials(`Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`)
}

export interface IssuedToken {
  /** the access token */
  value: string
  /** epoch ms after which it must not be used */
  expiresAt: number
}

export interface TokenCacheOptions<T extends IssuedToken> {
  /** obtains a new token (called by one caller at a time) */
  obtain(): Promise<T>
  /** renew this long before expiry, at most half the token's life (default 60 s) */
  renewBeforeMs?: number
  now?: () => number
}

/** the margin LeanIX's Java SDK and PySNC use */
export const DEFAULT_RENEW_BEFORE_MS = 60_000

export class TokenCache<T extends IssuedToken> implements Credentials {
  readonly #options: TokenCacheOptions<T>
  readonly #now: () => number
  #token: { issued: T; header: string; renewAt: number } | undefined
  #pending: Promise<T> | undefined
  /** tokens obtained so far */
  issued = 0

  constructor(options: TokenCacheOptions<T>) {
    this.#options = options
    this.#now = options.now ?? Date.now
  }

  /** The current token, obtained or renewed first when it is missing or due. */
  async current(signal?: AbortSignal): Promise<T> {
    const token = this.#token
    if (token && this.#now() < token.renewAt) return token.issued
    return this.#renew(signal)
  }

  async authorization(signal?: AbortSignal): Promise<string> {
    return `Bearer ${(await this.current(signal)).value}`
  }

  async renewAfterUnauthorized(used: string | undefined, signal?: AbortSignal): Promise<boolean> {
    // another request may already have renewed the token this one was sent with
    if (this.#token && this.#token.header !== used) return true
    this.#token = undefined
    await this.#renew(signal)
    return true
  }

  #renew(signal?: AbortSignal): Promise<T> {
    // one request for everybody; a caller that gives up does not cancel it for the others
    this.#pending ??= this.#obtain().finally(() => {
      this.#pending = undefined
    })
    return signal ? abortable(this.#pending, signal) : this.#pending
  }

  async #obtain(): Promise<T> {
    const now = this.#now()
    const issued = await this.#options.obtain()
    const lifetime = Math.max(0, issued.expiresAt - now)
    const margin = Math.min(this.#options.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS, lifetime / 2)
    this.#token = { issued, header: `Bearer ${issued.value}`, renewAt: issued.expiresAt - margin }
    this.issued++
    return issued
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error as Error)
      },
    )
  })
}
