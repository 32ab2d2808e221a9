// One call to the instance, start to finish, through the hub's one outbound HTTP layer
// (core/http/connection.ts: credentials, concurrency slot, the pause shared per instance and
// user, retries, bounds). What is ServiceNow's own is here and in response.ts: its answers
// classified (error envelopes, 202 without a body, HTML pages, truncated JSON, cancelled
// transactions), its token endpoint, the server clock read off the Date header, and its errors
// when the layer gives up.
import { DEFAULT_BACKOFF } from '../../../core/http/backoff.ts'
import { HttpConnection, pathWithQuery } from '../../../core/http/connection.ts'
import type {
  ConnectionRules,
  ConnectionStats,
  Failure,
  OutboundRequest,
  Verdict,
} from '../../../core/http/connection.ts'
import { ServiceNowErrors, withInfo } from '../errors.ts'
import type { ServiceNowError } from '../errors.ts'
import { createCredentials } from './auth.ts'
import { createEgress } from './egress.ts'
import { CLIENT_DEFAULTS } from './options.ts'
import type { AuthOptions, ServiceNowClientOptions } from './options.ts'
import { classifyAnswer, classifyTransportError } from './response.ts'
import type { Failure as SnFailure, Headers, RawAnswer } from './response.ts'

export { pathWithQuery }

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

const TOKEN_PATH = '/oauth_token.do'

export class Transport {
  readonly origin: string
  /** requests in flight to this instance at most, reads and writes together */
  readonly concurrency: number
  readonly #connection: HttpConnection
  /** server clock minus local clock, from the Date header of the last answer */
  #clockOffsetMs: number | undefined

  constructor(options: ServiceNowClientOptions) {
    const egress = createEgress(options)
    this.origin = egress.origin
    this.concurrency = options.concurrency ?? CLIENT_DEFAULTS.concurrency
    const clock = options.clock ?? Date.now
    const credentials = createCredentials(options.auth, (form) => this.#postTokenForm(form), clock)
    this.#connection = new HttpConnection({
      origin: egress.origin,
      dispatcher: egress.dispatcher,
      pauseKey: `${egress.origin} ${principalOf(options.auth)}`,
      rules: serviceNowRules(egress.origin),
      credentials,
      policy: options.backoff ?? DEFAULT_BACKOFF,
      concurrency: this.concurrency,
      userAgent: 'crosswalk-servicenow',
      onAnswer: (answer) => {
        const date = answer.headers.date
        if (typeof date !== 'string') return
        const at = Date.parse(date)
        if (!Number.isNaN(at)) this.#clockOffsetMs = at - Date.now()
      },
      clock,
      ...(options.logger ? { log: options.logger } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    })
  }

  /** requests sent so far (every attempt counts) */
  get sent(): number {
    return this.#connection.stats.requests
  }

  get stats(): ConnectionStats {
    return { ...this.#connection.stats }
  }

  close(): Promise<void> {
    return this.#connection.close()
  }

  /** The instance's current time as far as its Date headers tell; undefined before the first answer. */
  serverNow(): number | undefined {
    return this.#clockOffsetMs === undefined ? undefined : Date.now() + this.#clockOffsetMs
  }

  request(req: SnRequest): Promise<SnResponse> {
    const headers: Record<string, string> = {}
    let body: string | undefined
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(req.body)
    }
    return this.#connection.send<SnResponse>(
      {
        method: req.method,
        path: pathWithQuery(req.path, req.query),
        headers,
        ...(body !== undefined ? { body } : {}),
        idempotent: req.idempotent,
        ...(req.beforeResend ? { beforeResend: req.beforeResend } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
        label: req.path,
      },
      (answer) => {
        const outcome = classifyAnswer(req.method, req.path, answer)
        if (outcome.ok)
          return { ok: true, value: { status: outcome.status, headers: outcome.headers, body: outcome.body } }
        if (outcome.pageTooLarge && req.shrinkablePage) {
          return {
            ok: false,
            failure: { ...toFailure(outcome), error: new PageTooLargeError(outcome.error), toCaller: true },
          }
        }
        return { ok: false, failure: toFailure(outcome) }
      },
    )
  }

  /**
   * POST application/x-www-form-urlencoded to /oauth_token.do, without credentials, retrying
   * only transient failures (asking twice for a token is harmless). Refusals (400, 401) carry
   * {"error","error_description"}: they go back to the grant, which names them.
   */
  #postTokenForm(form: Record<string, string>): Promise<{ status: number; body: unknown }> {
    return this.#connection.send(
      {
        method: 'POST',
        path: TOKEN_PATH,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        idempotent: true,
        credentials: false,
        label: TOKEN_PATH,
      },
      (answer: RawAnswer): Verdict<{ status: number; body: unknown }> => {
        const outcome = classifyAnswer('POST', TOKEN_PATH, answer)
        if (outcome.ok) return { ok: true, value: { status: outcome.status, body: outcome.body } }
        const status = outcome.error.httpStatus
        if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
          return { ok: true, value: { status, body: outcome.body } }
        }
        return { ok: false, failure: toFailure(outcome) }
      },
    )
  }
}

/** whose rate limit a request counts against: ServiceNow's rules are per user */
function principalOf(auth: AuthOptions): string {
  if (auth.kind === 'basic') return `basic:${auth.username}`
  return `oauth:${auth.clientId}:${auth.grant === 'password' ? (auth.username ?? '') : ''}`
}

function toFailure(outcome: SnFailure): Failure {
  return {
    error: outcome.error,
    retryable: outcome.error.retryable ?? false,
    mayHaveReachedServer: outcome.mayHaveReachedServer,
    unauthorized: outcome.unauthorized,
    headers: outcome.headers,
    ...(outcome.error.httpStatus !== undefined ? { status: outcome.error.httpStatus } : {}),
  }
}

function serviceNowRules(origin: string): ConnectionRules {
  const labelOf = (req: OutboundRequest<unknown>) => req.label ?? req.path.split('?')[0] ?? req.path
  return {
    transportFailure(req, error) {
      return toFailure(classifyTransportError(req.method, labelOf(req), origin, error))
    },
    gaveUp(req, last, why) {
      const error = last.error as ServiceNowError
      const method = req.method
      const path = labelOf(req)
      if (why.kind === 'unsafe-to-resend') return withInfo(error, { retryable: false })
      const info = { ...pickInfo(error), retryable: true }
      if (why.kind === 'wait-too-long') {
        return withInfo(new ServiceNowErrors.RATE_LIMITED(method, path, why.askedMs, why.capMs), info, error)
      }
      const said =
        why.kind === 'deadline'
          ? `${error.message}; another wait would pass the call's ${why.deadlineMs} ms deadline`
          : error.message
      return withInfo(new ServiceNowErrors.UNAVAILABLE(method, path, why.attempts, said), info, error)
    },
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
