// The Example API, on the hub's HTTP layer (core/http): one HttpConnection per connection
// carries timeouts, retries with backoff that honour Retry-After, a pause shared by all its
// requests and the egress rules. This file says what an answer means and how failures are named.
import type { EgressPolicy } from '../../core/http/egress.ts'
import { createDispatcher } from '../../core/http/egress.ts'
import { fixedCredentials } from '../../core/http/credentials.ts'
import { HttpConnection } from '../../core/http/connection.ts'
import type { ConnectionRules, HttpMethod, RawAnswer, Verdict } from '../../core/http/connection.ts'
import { describeTransportFailure, neverSent } from '../../core/http/transport-failure.ts'
import { ExampleErrors } from './errors.ts'

export interface ExampleRecord {
  id: string
  updatedAt: string
  [field: string]: unknown
}

export interface ExampleEntity {
  name: string
  label?: string
  fields: Array<{ name: string; type: 'string' | 'integer' | 'boolean' | 'datetime'; readOnly?: boolean }>
}

/** One page of a list: the records after `after`, the id to ask after next (null at the end), the server's time. */
export interface ExampleList {
  records: ExampleRecord[]
  next: string | null
  asOf: string
}

export interface ExampleClientOptions {
  baseUrl: string
  apiToken: string
  timeoutMs: number
  egress?: EgressPolicy
}

const RULES: ConnectionRules = {
  transportFailure(req, error, timedOut) {
    const problem = timedOut ? 'no answer in time' : describeTransportFailure(error)
    return {
      error: new ExampleErrors.REQUEST_FAILED(req.label ?? req.path, problem),
      problem,
      retryable: true,
      mayHaveReachedServer: !neverSent(error),
    }
  },
  gaveUp(req, last, why) {
    if (why.kind === 'unsafe-to-resend' || why.kind === 'attempts') return last.error
    return new ExampleErrors.REQUEST_FAILED(
      req.label ?? req.path,
      `${last.problem ?? last.error.message} (${why.kind})`,
    )
  },
}

/** 429 and 5xx are tried again by the layer; every other answer comes back to the caller. */
function readAnswer(label: string, answer: RawAnswer): Verdict<RawAnswer> {
  const { status } = answer
  if (status !== 429 && status < 500) return { ok: true, value: answer }
  const problem = `HTTP ${status}`
  const error = new ExampleErrors.REQUEST_FAILED(label, problem)
  return {
    ok: false,
    failure: { error, problem, retryable: true, mayHaveReachedServer: status !== 429, status, headers: answer.headers },
  }
}

export class ExampleClient {
  readonly origin: string
  readonly #connection: HttpConnection
  readonly #base: string

  constructor(options: ExampleClientOptions) {
    const url = new URL(options.baseUrl)
    this.origin = url.origin
    this.#base = url.pathname.replace(/\/$/, '')
    this.#connection = new HttpConnection({
      origin: url.origin,
      dispatcher: createDispatcher({
        origin: url.origin,
        connections: 4,
        connectTimeoutMs: options.timeoutMs,
        headersTimeoutMs: options.timeoutMs,
        bodyTimeoutMs: options.timeoutMs,
        allowPrivateNetworks: options.egress?.allowPrivateNetworks ?? true,
      }),
      pauseKey: `${url.origin} example`,
      rules: RULES,
      credentials: fixedCredentials(`Bearer ${options.apiToken}`),
      attemptTimeoutMs: options.timeoutMs,
    })
  }

  close(): Promise<void> {
    return this.#connection.close()
  }

  /** Who the token belongs to; CW_EXAMPLE_AUTH_REJECTED when it is refused. */
  async me(signal?: AbortSignal): Promise<{ user: string }> {
    return this.#json('GET', '/api/v1/me', 'who am I', undefined, signal)
  }

  async entities(signal?: AbortSignal): Promise<ExampleEntity[]> {
    return (await this.#json<{ entities: ExampleEntity[] }>('GET', '/api/v1/entities', 'entities', undefined, signal))
      .entities
  }

  /** A page of `entity` in id order after `after`, changed at or after `since` when given, or the records of `ids`. */
  async list(
    entity: string,
    query: { after?: string | null; limit: number; since?: string | null; ids?: readonly string[] },
    signal?: AbortSignal,
  ): Promise<ExampleList> {
    const params = new URLSearchParams({ limit: String(query.limit) })
    if (query.after) params.set('after', query.after)
    if (query.since) params.set('updatedSince', query.since)
    if (query.ids) params.set('ids', query.ids.join(','))
    return this.#json('GET', `${this.#records(entity)}?${params}`, `read ${entity}`, undefined, signal)
  }

  async create(entity: string, values: Record<string, unknown>, signal?: AbortSignal): Promise<ExampleRecord> {
    return this.#json('POST', this.#records(entity), `create in ${entity}`, values, signal)
  }

  async update(
    entity: string,
    id: string,
    values: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<ExampleRecord> {
    return this.#json('PATCH', this.#records(entity, id), `update ${entity} ${id}`, values, signal)
  }

  /** Deletes a record; one that is gone already counts as deleted (a delete may be repeated). */
  async delete(entity: string, id: string, signal?: AbortSignal): Promise<void> {
    const label = `delete ${entity} ${id}`
    const answer = await this.#send('DELETE', this.#records(entity, id), label, undefined, signal)
    if (answer.status === 204 || (answer.status === 404 && notFound(answer).error === 'record')) return
    this.#parse(answer, label)
  }

  #records(entity: string, id?: string): string {
    return `/api/v1/records/${encodeURIComponent(entity)}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`
  }

  async #json<T>(method: HttpMethod, path: string, label: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.#parse<T>(await this.#send(method, path, label, body, signal), label)
  }

  #send(method: HttpMethod, path: string, label: string, body?: unknown, signal?: AbortSignal): Promise<RawAnswer> {
    return this.#connection.send(
      {
        method,
        path: `${this.#base}${path}`,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        // a create sent twice would make two records: it is never sent again blindly
        idempotent: method !== 'POST',
        label,
        ...(signal ? { signal } : {}),
      },
      (answer) => readAnswer(label, answer),
    )
  }

  #parse<T>(answer: RawAnswer, label: string): T {
    if (answer.status === 401 || answer.status === 403) throw new ExampleErrors.AUTH_REJECTED(answer.status)
    if (answer.status === 404) {
      const missing = notFound(answer)
      if (missing.error === 'record') throw new ExampleErrors.RECORD_NOT_FOUND(missing.entity, missing.id)
      throw new ExampleErrors.ENTITY_UNKNOWN(missing.entity)
    }
    if (answer.status < 200 || answer.status >= 300)
      throw new ExampleErrors.ANSWER_INVALID(label, answer.status, answer.text.slice(0, 200))
    try {
      return JSON.parse(answer.text) as T
    } catch {
      throw new ExampleErrors.ANSWER_INVALID(label, answer.status, 'not JSON')
    }
  }
}

/** What a 404 says is missing: the entity, or one record of it. */
function notFound(answer: RawAnswer): { error: string; entity: string; id: string } {
  try {
    const body = JSON.parse(answer.text) as { error?: unknown; entity?: unknown; id?: unknown }
    return { error: String(body.error), entity: String(body.entity), id: String(body.id) }
  } catch {
    return { error: 'entity', entity: '?', id: '?' }
  }
}
