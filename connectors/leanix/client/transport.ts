// HTTP to one LeanIX instance through the hub's one outbound HTTP layer (core/http/connection.ts:
// the retry policy, the pause shared per instance and technical user, one token renewal on a
// 401, bounds). What is LeanIX's own is here: its per-user request limit kept by a token bucket,
// a timeout on every call, which answers go back to the caller (every status but 401, 429 and
// 5xx: GraphQL reports its own errors in a 200), and its errors when the layer gives up.
import { createHash } from 'node:crypto'
import type { Dispatcher } from 'undici'
import type { BackoffPolicy } from '../../../core/http/backoff.ts'
import { HttpConnection, pathWithQuery } from '../../../core/http/connection.ts'
import type { ConnectionRules, Failure, RawAnswer, Verdict } from '../../../core/http/connection.ts'
import type { Credentials } from '../../../core/http/credentials.ts'
import { createDispatcher } from '../../../core/http/egress.ts'
import type { EgressPolicy } from '../../../core/http/egress.ts'
import { LeanixErrors } from '../errors.ts'
import type { TokenBucket } from './rate-limiter.ts'
import { describeTransportFailure, isTimeout, neverSent } from '../../../core/http/transport-failure.ts'

export type Headers = Record<string, string | string[] | undefined>

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** path below the instance URL, e.g. /services/pathfinder/v1/graphql */
  path: string
  query?: Record<string, string | number | boolean | undefined>
  headers?: Record<string, string>
  body?: string | undefined
  /** true when re-sending after an unknown outcome (timeout, 500) cannot do harm */
  idempotent: boolean
  /** what the call is, for error messages */
  label: string
  /** false for calls outside Pathfinder's per-user limit (the token exchange) */
  rateLimited?: boolean
  signal?: AbortSignal | undefined
}

export type HttpResponse = RawAnswer

export interface TransportOptions {
  instanceUrl: string
  timeoutMs: number
  backoff: BackoffPolicy
  limiter: TokenBucket
  /** whose limits the calls count against (the technical user): requests of one user share a pause */
  user?: string
  egress?: EgressPolicy
  dispatcher?: Dispatcher
  random?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  now?: () => number
}

export interface TransportStats {
  /** requests put on the wire, retries included */
  requests: number
  retries: number
  /** calls answered 401 and repeated with a renewed token */
  reauthorized: number
}

export class LeanixTransport {
  readonly #base: URL
  readonly #connection: HttpConnection

  constructor(options: TransportOptions) {
    this.#base = new URL(options.instanceUrl)
    const origin = this.#base.origin
    const { timeoutMs } = options
    const dispatcher =
      options.dispatcher ??
      createDispatcher({
        origin,
        connections: 16,
        keepAliveMs: 10_000,
        connectTimeoutMs: Math.min(timeoutMs, 10_000),
        headersTimeoutMs: timeoutMs,
        bodyTimeoutMs: timeoutMs,
        allowPrivateNetworks: options.egress?.allowPrivateNetworks ?? true,
      })
    const user = options.user ? createHash('sha256').update(options.user).digest('hex').slice(0, 16) : ''
    this.#connection = new HttpConnection({
      origin,
      dispatcher,
      ownsDispatcher: options.dispatcher === undefined,
      pauseKey: `${origin} ${user}`,
      rules: leanixRules(timeoutMs),
      policy: options.backoff,
      admit: (signal) => options.limiter.take(signal),
      attemptTimeoutMs: timeoutMs,
      ...(options.random ? { random: options.random } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.now ? { clock: options.now } : {}),
    })
  }

  get instanceUrl(): string {
    return this.#base.origin
  }

  get stats(): TransportStats {
    const { requests, retries, reauthorized } = this.#connection.stats
    return { requests, retries, reauthorized }
  }

  close(): Promise<void> {
    return this.#connection.close()
  }

  /** Sends one call; every answer but a retried one comes back, whatever its status. */
  send(req: HttpRequest, auth?: Credentials): Promise<HttpResponse> {
    const path = pathWithQuery(new URL(req.path, this.#base).pathname, req.query)
    return this.#connection.send<HttpResponse>(
      {
        method: req.method,
        path,
        ...(req.headers ? { headers: req.headers } : {}),
        ...(req.body !== undefined ? { body: req.body } : {}),
        idempotent: req.idempotent,
        credentials: auth ?? false,
        ...(req.rateLimited === false ? { admitted: false } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
        label: req.label,
      },
      (answer) => readAnswer(req.label, answer, auth !== undefined),
    )
  }
}

function readAnswer(label: string, answer: RawAnswer, authorized: boolean): Verdict<HttpResponse> {
  const { status } = answer
  if (status === 401 && authorized) {
    // the token may have been revoked or expired early: the layer renews it once
    return {
      ok: false,
      failure: {
        error: new LeanixErrors.AUTH_REJECTED(401),
        retryable: false,
        mayHaveReachedServer: false,
        unauthorized: true,
      },
    }
  }
  if (status !== 429 && status < 500) return { ok: true, value: answer }
  const snippet = answer.text.slice(0, 200)
  const failure: Failure = {
    error: new LeanixErrors.HTTP_STATUS(label, status, snippet),
    problem: `HTTP ${status} ${snippet}`,
    retryable: true,
    // refused before it ran; anything else may have been acted on
    mayHaveReachedServer: status !== 429,
    status,
    headers: answer.headers,
  }
  return { ok: false, failure }
}

function leanixRules(timeoutMs: number): ConnectionRules {
  return {
    transportFailure(req, error, timedOut) {
      const label = req.label ?? req.path
      if (timedOut || isTimeout(error)) {
        return {
          error: new LeanixErrors.TIMEOUT(label, timeoutMs),
          problem: `no answer within ${timeoutMs} ms`,
          retryable: true,
          mayHaveReachedServer: !neverSent(error),
        }
      }
      const problem = describeTransportFailure(error)
      return {
        error: new LeanixErrors.HTTP_STATUS(label, 0, problem),
        problem,
        retryable: true,
        mayHaveReachedServer: !neverSent(error),
      }
    },
    gaveUp(req, last, why) {
      const label = req.label ?? req.path
      if (why.kind === 'unsafe-to-resend') return last.error
      const problem = last.problem ?? last.error.message
      if (why.kind === 'wait-too-long') {
        return new LeanixErrors.RETRIES_EXHAUSTED(
          label,
          why.attempts,
          `${problem} (server asked to wait longer than ${why.capMs} ms)`,
        )
      }
      if (why.kind === 'deadline') {
        return new LeanixErrors.RETRIES_EXHAUSTED(
          label,
          why.attempts,
          `${problem} (another wait would pass the call's ${why.deadlineMs} ms deadline)`,
        )
      }
      // a call that timed out on every attempt says so
      if (last.error instanceof LeanixErrors.TIMEOUT) return last.error
      return new LeanixErrors.RETRIES_EXHAUSTED(label, why.attempts, problem)
    },
  }
}

/** Parses a JSON body, naming the call when it is not JSON. */
export function parseJson(res: HttpResponse, label: string): unknown {
  try {
    return JSON.parse(res.text) as unknown
  } catch {
    throw new LeanixErrors.HTTP_STATUS(label, res.status, `body is not JSON: ${res.text.slice(0, 200)}`)
  }
}
