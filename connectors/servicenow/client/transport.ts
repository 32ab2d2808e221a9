// One call to the instance, start to finish: credentials, concurrency slot, timeouts, and
// retries with full-jitter backoff (core/http/backoff.ts) that honour Retry-After and
// X-RateLimit-Reset. Retried: 429, 5xx, resets and timeouts, 202 without a body, non-JSON answers.
// Not retried: 400, 401 (after one token renewal), 403, 404. A request that may have reached the
// server (a POST) is sent again only when the caller says how to find out whether it did.
import { DEFAULT_BACKOFF, nextDelay, serverRequestedDelay, sleep } from '../../../core/http/backoff.ts'
import type { BackoffPolicy } from '../../../core/http/backoff.ts'
import { ServiceNowErrors, withInfo } from '../errors.ts'
import type { ServiceNowError } from '../errors.ts'
import { createAuthenticator } from './auth.ts'
import type { Authenticator } from './auth.ts'
import { createEgress } from './egress.ts'
import type { Egress } from './egress.ts'
import { ConcurrencyLimiter } from './limiter.ts'
import { CLIENT_DEFAULTS } from './options.ts'
import type { ClientLogger, ServiceNowClientOptions } from './options.ts'
import { classifyAnswer, classifyTransportError } from './response.ts'
import type { Failure, Headers, Outcome } from './response.ts'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type QueryParams = Record<string, string | number | boolean | undefined>

export interface SnRequest {
  method: Method
  /** path below the origin, e.g. /api/now/table/incident */
  path: string
  query?: QueryParams
  /** JSON body */
  body?: unknown
  signal?: AbortSignal
  /**
   * Sending again is harmless (GET, PUT, PATCH, DELETE). When false, a request that may have
   * reached the server is sent again only if `beforeResend` finds no trace of it.
   */
  idempotent: boolean
  /** for non-idempotent requests: looks for the effect of an earlier attempt; a value ends the call with it */
  beforeResend?: () => Promise<SnResponse | undefined>
  /** the caller shrinks its page on "page too large" failures, so give them back at once */
  shrinkablePage?: boolean
}

export interface SnResponse {
  status: number
  headers: Headers
  body: unknown
}

export class PageTooLargeError extends Error {
  override readonly cause: ServiceNowError
  constructor(cause: ServiceNowError) {
    super(cause.message)
    this.name = 'PageTooLargeError'
    this.cause = cause
  }
}

const NO_LOG: ClientLogger = { debug: () => {}, warn: () => {} }

export class Transport {
  readonly origin: string
  readonly limiter: ConcurrencyLimiter
  readonly auth: Authenticator
  readonly #egress: Egress
  readonly #policy: BackoffPolicy
  readonly #random: () => number
  readonly #log: ClientLogger
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** requests sent, for tests and the benchmark */
  sent = 0
  /** attempts in flight per caller signal, aborted together when it fires */
  readonly #inFlight = new WeakMap<AbortSignal, { attempts: Set<AbortController>; onAbort: () => void }>()
  /** server clock minus local clock, from the Date header of the last answer */
  #clockOffsetMs: number | undefined

  constructor(options: ServiceNowClientOptions) {
    this.#egress = createEgress(options)
    this.origin = this.#egress.origin
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? CLIENT_DEFAULTS.concurrency)
    this.#policy = options.backoff ?? DEFAULT_BACKOFF
    this.#random = options.random ?? Math.random
    this.#log = options.logger ?? NO_LOG
    this.#sleep = options.sleep ?? sleep
    this.auth = createAuthenticator(options.auth, (form) => this.#postTokenForm(form), options.clock)
  }

  close(): Promise<void> {
    return this.#egress.close()
  }

  /** The instance's current time as far as its Date headers tell; undefined before the first answer. */
  serverNow(): number | undefined {
    return this.#clockOffsetMs === undefined ? undefined : Date.now() + this.#clockOffsetMs
  }

  async request(req: SnRequest): Promise<SnResponse> {
    let renewedAfter401 = false
    let last: Failure | undefined
    for (let attempt = 0; attempt < this.#policy.maxAttempts; attempt++) {
      const authorization = await this.auth.authorization()
      const outcome = await this.limiter.run(() => this.#attempt(req, authorization), req.signal)
      if (outcome.ok) return outcome
      last = outcome
      if (outcome.unauthorized && !renewedAfter401) {
        renewedAfter401 = true
        if (await this.auth.renewAfterUnauthorized(authorization)) {
          attempt-- // the renewal is not a retry of a failure
          continue
        }
      }
      if (outcome.pageTooLarge && req.shrinkablePage) throw new PageTooLargeError(outcome.error)
      if (!outcome.error.retryable) throw outcome.error
      if (attempt + 1 >= this.#policy.maxAttempts) break
      const wait = nextDelay(attempt, this.#policy, outcome.headers, this.#random)
      if (wait === undefined) {
        const asked = serverRequestedDelay(outcome.headers) ?? 0
        throw withInfo(
          new ServiceNowErrors.RATE_LIMITED(req.method, req.path, asked, this.#policy.capMs),
          { ...pickInfo(outcome.error), retryable: true },
          outcome.error,
        )
      }
      if (!req.idempotent && outcome.mayHaveReachedServer) {
        if (!req.beforeResend) throw outcome.error
        await this.#sleep(wait, req.signal)
        const earlier = await req.beforeResend()
        if (earlier) return earlier
        continue
      }
      this.#log.debug({ path: req.path, attempt, wait, code: outcome.error.code }, 'servicenow retry')
      await this.#sleep(wait, req.signal)
    }
    const failure = last as Failure
    throw withInfo(
      new ServiceNowErrors.UNAVAILABLE(req.method, req.path, this.#policy.maxAttempts, failure.error.message),
      { ...pickInfo(failure.error), retryable: true },
      failure.error,
    )
  }

  async #attempt(req: SnRequest, authorization: string): Promise<Outcome> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization,
      'user-agent': 'crosswalk-servicenow',
    }
    let body: string | undefined
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(req.body)
    }
    return this.#send(req.method, pathWithQuery(req.path, req.query), headers, body, req.signal)
  }

  async #send(
    method: Method,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Outcome> {
    this.sent++
    const bare = path.split('?')[0] ?? path
    const attempt = signal ? this.#abortLink(signal) : undefined
    try {
      const res = await this.#egress.dispatcher.request({
        origin: this.origin,
        path,
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(attempt ? { signal: attempt.signal } : {}),
      })
      const text = await res.body.text()
      const date = res.headers.date
      if (typeof date === 'string') {
        const at = Date.parse(date)
        if (!Number.isNaN(at)) this.#clockOffsetMs = at - Date.now()
      }
      return classifyAnswer(method, bare, { status: res.statusCode, headers: res.headers, text })
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      return classifyTransportError(method, bare, this.origin, error)
    } finally {
      if (signal && attempt) this.#unlink(signal, attempt)
    }
  }

  /**
   * A controller for one attempt, aborted with the caller's signal. undici hangs a listener with
   * its request state on the signal it is given; on a signal that lives for a whole read (the
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

  /** POST application/x-www-form-urlencoded to /oauth_token.do, retrying only transient failures. */
  async #postTokenForm(form: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const headers = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'crosswalk-servicenow',
    }
    const body = new URLSearchParams(form).toString()
    let last: Failure | undefined
    for (let attempt = 0; attempt < this.#policy.maxAttempts; attempt++) {
      const outcome = await this.limiter.run(() => this.#send('POST', '/oauth_token.do', headers, body, undefined))
      if (outcome.ok) return { status: outcome.status, body: outcome.body }
      // 400/401 from the token endpoint carry {"error","error_description"}: hand them to the authenticator
      const status = outcome.error.httpStatus
      if (status !== undefined && status >= 400 && status < 500 && status !== 429) return { status, body: outcome.body }
      last = outcome
      if (!outcome.error.retryable) throw outcome.error
      const wait = nextDelay(attempt, this.#policy, outcome.headers, this.#random)
      if (wait === undefined || attempt + 1 >= this.#policy.maxAttempts) break
      await this.#sleep(wait)
    }
    throw last?.error ?? new ServiceNowErrors.OAUTH_FAILED('token', 'no answer')
  }
}

function pickInfo(error: ServiceNowError) {
  return {
    ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
    ...(error.snMessage !== undefined ? { snMessage: error.snMessage } : {}),
    ...(error.snDetail !== undefined ? { snDetail: error.snDetail } : {}),
    ...(error.transactionId !== undefined ? { transactionId: error.transactionId } : {}),
  }
}

export function pathWithQuery(path: string, query: QueryParams | undefined): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}
