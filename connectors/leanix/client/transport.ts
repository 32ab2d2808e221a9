// HTTP to one LeanIX instance over undici: every call rate-limited, bounded by a timeout, and
// retried with full-jitter backoff on 429 and 5xx (honouring Retry-After). A 401 on a bearer
// call renews the token once. Calls that are not idempotent (mutations) are only re-sent when
// the server certainly did not process them (429, 503, connection refused).
import { Agent, request, type Dispatcher } from 'undici'
import { nextDelay, sleep, type BackoffPolicy } from '../../../core/http/backoff.ts'
import { LeanixErrors } from '../errors.ts'
import type { TokenBucket } from './rate-limiter.ts'

export type Headers = Record<string, string | string[] | undefined>

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** path below the instance URL, e.g. /services/pathfinder/v1/graphql */
  path: string
  query?: Record<string, string | number | boolean | undefined>
  headers?: Record<string, string>
  body?: string
  /** true when re-sending after an unknown outcome (timeout, 500) cannot do harm */
  idempotent: boolean
  /** what the call is, for error messages */
  label: string
  /** false for calls outside Pathfinder's per-user limit (the token exchange) */
  rateLimited?: boolean
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  headers: Headers
  text: string
}

/** Supplies the Authorization header and hears when the server refused it. */
export interface Authorizer {
  header(signal?: AbortSignal): Promise<string>
  rejected(header: string): void
}

export interface TransportOptions {
  instanceUrl: string
  timeoutMs: number
  backoff: BackoffPolicy
  limiter: TokenBucket
  dispatcher?: Dispatcher
  random?: () => number
}

export interface TransportStats {
  /** requests put on the wire, retries included */
  requests: number
  retries: number
  /** calls answered 401 and repeated with a renewed token */
  reauthorized: number
}

const RETRY_ALWAYS = new Set([429, 503])
const RETRY_IDEMPOTENT = new Set([500, 502, 504])
/** failures where the request never reached the server */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])

export class LeanixTransport {
  readonly stats: TransportStats = { requests: 0, retries: 0, reauthorized: 0 }
  readonly #base: URL
  readonly #options: TransportOptions
  readonly #dispatcher: Dispatcher
  readonly #ownsDispatcher: boolean

  constructor(options: TransportOptions) {
    this.#options = options
    this.#base = new URL(options.instanceUrl)
    this.#ownsDispatcher = options.dispatcher === undefined
    this.#dispatcher =
      options.dispatcher ??
      new Agent({ connections: 16, keepAliveTimeout: 10_000, connectTimeout: Math.min(options.timeoutMs, 10_000) })
  }

  get instanceUrl(): string {
    return this.#base.origin
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close()
  }

  async send(req: HttpRequest, auth?: Authorizer): Promise<HttpResponse> {
    const { backoff, limiter, timeoutMs } = this.#options
    const url = new URL(req.path, this.#base)
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v))
    let renewedAuth = false
    let lastProblem = ''
    for (let attempt = 0; attempt < backoff.maxAttempts; attempt++) {
      if (req.rateLimited !== false) await limiter.take(req.signal)
      const authorization = auth ? await auth.header(req.signal) : undefined
      const headers: Record<string, string> = { accept: 'application/json', ...req.headers }
      if (authorization) headers.authorization = authorization
      const timeout = AbortSignal.timeout(timeoutMs)
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout
      let response: HttpResponse
      this.stats.requests++
      try {
        const res = await request(url, {
          method: req.method,
          headers,
          body: req.body,
          signal,
          dispatcher: this.#dispatcher,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        })
        response = { status: res.statusCode, headers: res.headers, text: await res.body.text() }
      } catch (err) {
        if (req.signal?.aborted) throw req.signal.reason
        const timedOut = timeout.aborted || isUndiciTimeout(err)
        const code = (err as { code?: string }).code ?? ''
        const retryable = NOT_SENT.has(code) || req.idempotent
        lastProblem = timedOut
          ? `no answer within ${timeoutMs} ms`
          : `${code || 'network error'}: ${(err as Error).message}`
        if (!retryable || attempt + 1 >= backoff.maxAttempts) {
          if (timedOut) throw new LeanixErrors.TIMEOUT(req.label, timeoutMs)
          if (!retryable) throw new LeanixErrors.HTTP_STATUS(req.label, 0, lastProblem)
          break
        }
        await this.#wait(attempt, {}, req.signal)
        continue
      }
      if (response.status === 401 && auth && authorization && !renewedAuth) {
        // the token may have been revoked or expired early: renew it once, without backoff
        auth.rejected(authorization)
        renewedAuth = true
        this.stats.reauthorized++
        attempt--
        continue
      }
      const retryable = RETRY_ALWAYS.has(response.status) || (req.idempotent && RETRY_IDEMPOTENT.has(response.status))
      if (!retryable) return response
      lastProblem = `HTTP ${response.status} ${response.text.slice(0, 200)}`
      if (attempt + 1 >= backoff.maxAttempts) break
      const delay = nextDelay(attempt, backoff, response.headers, this.#options.random)
      if (delay === undefined) {
        throw new LeanixErrors.RETRIES_EXHAUSTED(
          req.label,
          attempt + 1,
          `${lastProblem} (server asked to wait longer than ${backoff.capMs} ms)`,
        )
      }
      this.stats.retries++
      await sleep(delay, req.signal)
    }
    throw new LeanixErrors.RETRIES_EXHAUSTED(req.label, backoff.maxAttempts, lastProblem)
  }

  async #wait(attempt: number, headers: Headers, signal?: AbortSignal): Promise<void> {
    this.stats.retries++
    await sleep(nextDelay(attempt, this.#options.backoff, headers, this.#options.random) ?? 0, signal)
  }
}

function isUndiciTimeout(err: unknown): boolean {
  const code = (err as { code?: string; name?: string }).code
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || (err as Error).name === 'TimeoutError'
}

/** Parses a JSON body, naming the call when it is not JSON. */
export function parseJson(res: HttpResponse, label: string): unknown {
  try {
    return JSON.parse(res.text) as unknown
  } catch {
    throw new LeanixErrors.HTTP_STATUS(label, res.status, `body is not JSON: ${res.text.slice(0, 200)}`)
  }
}
