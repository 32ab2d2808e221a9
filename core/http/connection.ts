// The one way out of the hub: every request of every client (ServiceNow, LeanIX, the ISC tenant)
// is sent by an HttpConnection, one per connection (instance and user), which holds the policy:
// - credentials on each request, one renewal on a 401 (core/http/credentials.ts);
// - at most `concurrency` requests in flight, and the system's own admission (a token bucket);
// - a pause shared by every request of the instance and user when the server says to wait
//   (Retry-After, X-RateLimit-Reset: core/http/pauses.ts);
// - retries with full-jitter backoff, bounded by attempts, by the longest single wait and by an
//   overall deadline (core/http/backoff.ts);
// - a request that may have reached the server is sent again only when that is harmless: it is
//   idempotent, or the server certainly did not act on it (429, connection refused), or
//   `beforeResend` finds no trace of the earlier attempt. A call that ends while an attempt of
//   it may have landed unseen is reported not retryable, however it ends: whoever retries on
//   that flag would do what we refuse to do blindly.
// What an answer means (an error envelope, an HTML page, a GraphQL error on 200) is the system's
// own `read` function; how failures are named is its `rules`.
import type { Dispatcher } from 'undici'
import { DEFAULT_BACKOFF, jitteredDelay, serverRequestedDelay, sleep as timerSleep } from './backoff.ts'
import type { BackoffPolicy } from './backoff.ts'
import type { Credentials } from './credentials.ts'
import { isEgressRefusal } from './egress-guard.ts'
import { ConcurrencyLimiter } from './limiter.ts'
import { sharedPauses } from './pauses.ts'
import type { PauseBoard } from './pauses.ts'

export type Headers = Record<string, string | string[] | undefined>
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface OutboundRequest<V> {
  method: HttpMethod
  /** path and query below the origin */
  path: string
  headers?: Record<string, string>
  body?: string
  /** sending it again is harmless (GET, PUT, DELETE, a GraphQL query) */
  idempotent: boolean
  /** for a request that is not idempotent: looks for the effect of an earlier attempt; a value ends the call with it */
  beforeResend?: () => Promise<V | undefined>
  /** the credentials of this request instead of the connection's; false for none (token endpoints) */
  credentials?: Credentials | false
  /** false: outside the system's admission (e.g. LeanIX's token exchange is not counted by its per-user limit) */
  admitted?: boolean
  signal?: AbortSignal
  /** what the call is, for the rules' messages */
  label?: string
}

export interface RawAnswer {
  status: number
  headers: Headers
  text: string
}

/** A failed attempt, as the system's rules read it. */
export interface Failure {
  error: Error
  /** trying again later can succeed */
  retryable: boolean
  /** the server may have acted on the request */
  mayHaveReachedServer: boolean
  /** 401: a renewed credential may help */
  unauthorized?: boolean
  /** hand this failure to the caller at once, unretried (e.g. a page too large, which it asks again smaller) */
  toCaller?: boolean
  status?: number
  headers?: Headers
  /** what happened, in a few words, for the message of the error that ends the call */
  problem?: string
}

export type Verdict<V> = { ok: true; value: V } | { ok: false; failure: Failure }

/** Why the connection stopped trying. */
export type GiveUp = { attempts: number } & (
  | { kind: 'attempts' }
  | { kind: 'wait-too-long'; askedMs: number; capMs: number }
  | { kind: 'deadline'; deadlineMs: number }
  | { kind: 'unsafe-to-resend' }
)

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export interface ConnectionRules {
  /** a failure below HTTP: connect, TLS, proxy, reset, timeout (`timedOut`: the attempt's own timeout fired) */
  transportFailure(req: OutboundRequest<unknown>, error: unknown, timedOut: boolean): Failure
  /** the error that ends the call when the connection stops trying after `last` */
  gaveUp(req: OutboundRequest<unknown>, last: Failure, why: GiveUp): Error
}

export interface ConnectionStats {
  /** requests put on the wire, every attempt counted */
  requests: number
  /** attempts that followed a failed one */
  retries: number
  /** calls answered 401 and sent again with a renewed credential */
  reauthorized: number
  /** requests that waited for a pause the server asked for */
  paused: number
}

export interface HttpConnectionOptions {
  /** scheme://host[:port] */
  origin: string
  dispatcher: Dispatcher
  /** close the dispatcher with the connection (false for an injected one) */
  ownsDispatcher?: boolean
  /** identifies the instance and user whose pauses this connection shares */
  pauseKey: string
  rules: ConnectionRules
  credentials?: Credentials
  policy?: BackoffPolicy
  /** requests in flight at once; unbounded when absent */
  concurrency?: number
  /** waits for the system's own admission of one more request (e.g. a token bucket) */
  admit?: (signal?: AbortSignal) => Promise<void>
  /** each attempt in all (headers and body); undici's own timeouts apply either way */
  attemptTimeoutMs?: number
  /** sees every answer before it is read (e.g. the server clock from the Date header) */
  onAnswer?: (answer: RawAnswer) => void
  userAgent?: string
  log?: { debug(obj: object, msg?: string): void }
  /** for tests */
  clock?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
  pauses?: PauseBoard
}

const FREED_FOR_PAUSE = Symbol('paused while waiting for a slot')

export class HttpConnection {
  readonly origin: string
  readonly stats: ConnectionStats = { requests: 0, retries: 0, reauthorized: 0, paused: 0 }
  readonly limiter: ConcurrencyLimiter | undefined
  readonly #o: HttpConnectionOptions
  readonly #policy: BackoffPolicy
  readonly #now: () => number
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  readonly #pauses: PauseBoard
  /** attempts in flight per caller signal, aborted together when it fires */
  readonly #inFlight = new WeakMap<AbortSignal, { attempts: Set<AbortController>; onAbort: () => void }>()

  constructor(options: HttpConnectionOptions) {
    this.#o = options
    this.origin = options.origin
    this.#policy = options.policy ?? DEFAULT_BACKOFF
    this.#now = options.clock ?? Date.now
    this.#sleep = options.sleep ?? timerSleep
    this.#pauses = options.pauses ?? sharedPauses
    this.limiter = options.concurrency === undefined ? undefined : new ConcurrencyLimiter(options.concurrency)
  }

  async close(): Promise<void> {
    if (this.#o.ownsDispatcher !== false) await this.#o.dispatcher.close()
  }

  /** Sends `req` under the policy; `read` says what each answer means. */
  async send<V>(req: OutboundRequest<V>, read: (answer: RawAnswer) => Verdict<V>): Promise<V> {
    const policy = this.#policy
    const start = this.#now()
    const deadline = start + (policy.deadlineMs ?? DEFAULT_BACKOFF.deadlineMs ?? Number.POSITIVE_INFINITY)
    let renewed = false
    /** the end of the server's pause this call has already waited out */
    let waited = 0
    /** an attempt of a request that is not idempotent may have been acted on, and no lookup has ruled it out */
    let mayHaveLanded = false
    for (let attempt = 0; ; attempt++) {
      const credentials = req.credentials === false ? undefined : (req.credentials ?? this.#o.credentials)
      const authorization = await credentials?.authorization(req.signal)
      const verdict = await this.#admitted(req, waited, () => this.#attempt(req, authorization, read))
      if (verdict.ok) return verdict.value
      const failure = verdict.failure
      if (failure.unauthorized && credentials && !renewed) {
        renewed = true
        if (await credentials.renewAfterUnauthorized(authorization, req.signal)) {
          this.stats.reauthorized++
          attempt-- // the renewal is not a retry of a failure
          continue
        }
      }
      if (!req.idempotent && failure.mayHaveReachedServer) mayHaveLanded = true
      if (failure.toCaller || !failure.retryable) throw mayHaveLanded ? notRetryable(failure.error) : failure.error
      const attempts = attempt + 1
      // given up on a request that may have landed: whoever retries on the flag could do it twice
      const giveUp = (why: DistributiveOmit<GiveUp, 'attempts'>) => {
        const error = this.#o.rules.gaveUp(req, failure, { ...why, attempts })
        return mayHaveLanded ? notRetryable(error) : error
      }
      const resendable = req.idempotent || !failure.mayHaveReachedServer
      if (!resendable && !req.beforeResend) throw giveUp({ kind: 'unsafe-to-resend' })
      if (attempts >= policy.maxAttempts) throw giveUp({ kind: 'attempts' })
      const now = this.#now()
      const asked = serverRequestedDelay(failure.headers ?? {}, now, failure.status)
      if (asked !== undefined && asked > policy.capMs) {
        throw giveUp({ kind: 'wait-too-long', askedMs: asked, capMs: policy.capMs })
      }
      const wait = asked ?? jitteredDelay(attempt, policy, this.#o.random)
      if (now + wait > deadline) throw giveUp({ kind: 'deadline', deadlineMs: deadline - start })
      this.#o.log?.debug({ path: req.path, attempt, wait, code: (failure.error as { code?: string }).code }, 'retry')
      this.stats.retries++
      // the server's wait holds every request of this instance and user; our own backoff only this one
      if (asked !== undefined) {
        this.#pauses.pause(this.#o.pauseKey, now + asked)
        waited = Math.max(waited, now + asked)
      }
      await this.#sleep(wait, req.signal)
      if (!resendable && req.beforeResend) {
        await this.#waitOutPause(req.signal, waited)
        const earlier = await req.beforeResend()
        if (earlier !== undefined) return earlier
        mayHaveLanded = false // no trace of the earlier attempts
      }
    }
  }

  /** Runs `fn` once no pause holds the connection and a slot (and the system's admission) is free. */
  async #admitted<T>(req: OutboundRequest<unknown>, waited: number, fn: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.#waitOutPause(req.signal, waited)
      const run = async (): Promise<T | typeof FREED_FOR_PAUSE> => {
        // a pause may have begun while this request waited for its slot
        if (this.#pauses.pausedUntil(this.#o.pauseKey, this.#now()) !== undefined) return FREED_FOR_PAUSE
        if (req.admitted !== false && this.#o.admit) await this.#o.admit(req.signal)
        return fn()
      }
      const result = this.limiter ? await this.limiter.run(run, req.signal) : await run()
      if (result !== FREED_FOR_PAUSE) return result
    }
  }

  /**
   * Waits until the server's pause for this instance and user is over. Each end is waited for
   * once (`waited`: the end this call already slept until): the injected sleep of a test does
   * not move the clock.
   */
  async #waitOutPause(signal: AbortSignal | undefined, waited: number): Promise<void> {
    const before = waited
    for (;;) {
      const until = this.#pauses.pausedUntil(this.#o.pauseKey, this.#now())
      if (until === undefined || until <= waited) return
      if (waited === before) this.stats.paused++
      await this.#sleep(until - this.#now(), signal)
      waited = until
    }
  }

  async #attempt<V>(
    req: OutboundRequest<V>,
    authorization: string | undefined,
    read: (answer: RawAnswer) => Verdict<V>,
  ): Promise<Verdict<V>> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers }
    if (this.#o.userAgent) headers['user-agent'] = this.#o.userAgent
    if (authorization) headers.authorization = authorization
    this.stats.requests++
    const link = req.signal ? this.#abortLink(req.signal) : undefined
    const timeout = this.#o.attemptTimeoutMs ? AbortSignal.timeout(this.#o.attemptTimeoutMs) : undefined
    const signal = link && timeout ? AbortSignal.any([link.signal, timeout]) : (link?.signal ?? timeout)
    try {
      const res = await this.#o.dispatcher.request({
        origin: this.origin,
        path: req.path,
        method: req.method,
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        ...(signal ? { signal } : {}),
      })
      const answer = { status: res.statusCode, headers: res.headers, text: await res.body.text() }
      this.#o.onAnswer?.(answer)
      return read(answer)
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason
      if (isEgressRefusal(error)) {
        // a setting refuses it, not the network: trying again changes nothing
        return {
          ok: false,
          failure: { error: notRetryable(error as Error), retryable: false, mayHaveReachedServer: false },
        }
      }
      return { ok: false, failure: this.#o.rules.transportFailure(req, error, timeout?.aborted === true) }
    } finally {
      if (req.signal && link) this.#unlink(req.signal, link)
    }
  }

  /**
   * A controller for one attempt, aborted with the caller's signal. undici hangs a listener with
   * its request state on the signal it is given; on a signal that lives for a whole read (a
   * scan's stop signal) those listeners kept every page's request alive across young-generation
   * collections, and a 1M-row read promoted ten times what a bare loop does. One listener per
   * caller signal, there while attempts are in flight, aborts them instead.
   */
  #abortLink(signal: AbortSignal): AbortController {
    const attempt = new AbortController()
    if (signal.aborted) {
      attempt.abort(signal.reason)
      return attempt
    }
    let link = this.#inFlight.get(signal)
    if (!link) {
      const attempts = new Set<AbortController>()
      const onAbort = () => {
        for (const a of attempts) a.abort(signal.reason)
      }
      link = { attempts, onAbort }
      this.#inFlight.set(signal, link)
      signal.addEventListener('abort', onAbort, { once: true })
    }
    link.attempts.add(attempt)
    return attempt
  }

  #unlink(signal: AbortSignal, attempt: AbortController): void {
    const link = this.#inFlight.get(signal)
    if (!link) return
    link.attempts.delete(attempt)
    if (link.attempts.size > 0) return
    signal.removeEventListener('abort', link.onAbort)
    this.#inFlight.delete(signal)
  }
}

/**
 * Marks an error as one that must not be retried: the request may have been acted on, and
 * sending it again could do it twice. The error's own `retryable` wins over its code's default.
 */
export function notRetryable<E extends Error>(error: E): E & { retryable: false } {
  return Object.assign(error, { retryable: false as const })
}

/** "a query string" from parameters, skipping undefined ones */
export function pathWithQuery(
  path: string,
  query: Record<string, string | number | boolean | undefined> | undefined,
): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}
