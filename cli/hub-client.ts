// The hub's REST API as the CLI uses it: bearer token, a timeout on every request, a bounded number
// of retries with backoff (honouring Retry-After) where trying again is safe, and the hub's error
// answers turned into HubAnswerError with their CW_ code and message.
import { CliErrors } from './errors.ts'
import type { Connection, Mapping, Run, RunAction } from './answers.ts'

export interface HubClientOptions {
  url: string
  token: string
  /** per request, in ms */
  timeoutMs: number
  /** attempts in all for a request that may be sent again (at least 1) */
  attempts?: number
  /** waits between attempts; replaced in tests */
  sleep?: (ms: number) => Promise<void>
}

/** An error answer of the hub: `{ statusCode, code, error, message, requestId, problems? }`. */
export class HubAnswerError extends Error {
  readonly statusCode: number
  readonly code: string
  readonly requestId: string | undefined
  readonly problems: Array<{ pointer: string; message: string }>
  constructor(
    statusCode: number,
    code: string,
    message: string,
    requestId?: string,
    problems: Array<{ pointer: string; message: string }> = [],
  ) {
    super(message)
    this.name = 'HubAnswerError'
    this.statusCode = statusCode
    this.code = code
    this.requestId = requestId
    this.problems = problems
  }
}

// 429: refused before any work; 503: the hub is starting, stopping or cannot reach its store.
const RETRY_STATUSES = new Set([429, 503])
const MAX_WAIT_MS = 30_000

function retryAfterMs(header: string | null, attempt: number): number {
  if (header) {
    const seconds = Number(header)
    if (Number.isFinite(seconds)) return Math.min(MAX_WAIT_MS, Math.max(0, seconds * 1000))
    const at = Date.parse(header)
    if (Number.isFinite(at)) return Math.min(MAX_WAIT_MS, Math.max(0, at - Date.now()))
  }
  // exponential backoff with jitter: 0.5 s, 1 s, 2 s... each between half and all of it
  const base = Math.min(MAX_WAIT_MS, 500 * 2 ** attempt)
  return base / 2 + Math.random() * (base / 2)
}

export class HubClient {
  readonly baseUrl: string
  readonly #token: string
  readonly #timeoutMs: number
  readonly #attempts: number
  readonly #sleep: (ms: number) => Promise<void>

  constructor(options: HubClientOptions) {
    let parsed: URL
    try {
      parsed = new URL(options.url)
    } catch {
      throw new CliErrors.BAD_URL(options.url)
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliErrors.BAD_URL(options.url)
    if (!options.token) throw new CliErrors.TOKEN_MISSING()
    this.baseUrl = parsed.href.replace(/\/+$/, '')
    this.#token = options.token
    this.#timeoutMs = options.timeoutMs
    this.#attempts = Math.max(1, options.attempts ?? 4)
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  }

  /**
   * One call of the API. A GET is sent again after a network failure or a 429/503; a POST only
   * after a 429/503, which the hub answers before doing anything (a POST lost on the way may have
   * started a run, so it is not repeated blindly).
   */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}/api/v1${path}`
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= this.#attempts
      let res: Response
      try {
        res = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${this.#token}`,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(this.#timeoutMs),
        })
      } catch (error) {
        if (method === 'GET' && !last) {
          await this.#sleep(retryAfterMs(null, attempt))
          continue
        }
        throw new CliErrors.HUB_UNREACHABLE(this.baseUrl, describeNetworkError(error, this.#timeoutMs), {
          cause: error,
        })
      }
      if (RETRY_STATUSES.has(res.status) && !last) {
        await res.body?.cancel()
        await this.#sleep(retryAfterMs(res.headers.get('retry-after'), attempt))
        continue
      }
      const text = await res.text()
      let parsed: unknown
      try {
        parsed = text ? JSON.parse(text) : undefined
      } catch {
        parsed = undefined
      }
      if (res.ok && (parsed !== undefined || res.status === 204)) return parsed as T
      const answer = parsed as { code?: unknown; message?: unknown; requestId?: unknown; problems?: unknown }
      if (typeof answer?.code === 'string' && typeof answer.message === 'string')
        throw new HubAnswerError(
          res.status,
          answer.code,
          answer.message,
          typeof answer.requestId === 'string' ? answer.requestId : undefined,
          Array.isArray(answer.problems) ? (answer.problems as Array<{ pointer: string; message: string }>) : [],
        )
      throw new CliErrors.NOT_A_HUB(this.baseUrl, `${method} ${path}`, res.status)
    }
  }

  /** Every item of a list route (the API pages by 500 at most). */
  async #all<T>(collection: 'mappings' | 'connections'): Promise<T[]> {
    const out: T[] = []
    for (let offset = 0; ; offset += 500) {
      const page = await this.request<{ items: T[]; total: number }>('GET', `/${collection}?limit=500&offset=${offset}`)
      out.push(...page.items)
      if (page.items.length < 500 || out.length >= page.total) return out
    }
  }

  /** An item by its id, or else by its name (exactly, then ignoring case when that is unique). */
  async #byIdOrName<T extends { id: string; name: string }>(
    collection: 'mappings' | 'connections',
    idOrName: string,
  ): Promise<T | undefined> {
    if (UUID.test(idOrName)) {
      try {
        return await this.request<T>('GET', `/${collection}/${idOrName}`)
      } catch (error) {
        // an item may be named like a UUID; look among the names before giving up
        if (!(error instanceof HubAnswerError) || error.statusCode !== 404) throw error
      }
    }
    const all = await this.#all<T>(collection)
    const exact = all.find((m) => m.name === idOrName)
    if (exact) return exact
    const folded = all.filter((m) => m.name.toLowerCase() === idOrName.toLowerCase())
    return folded.length === 1 ? folded[0] : undefined
  }

  /** Every mapping. */
  mappings(): Promise<Mapping[]> {
    return this.#all<Mapping>('mappings')
  }

  /** A mapping by its id, or else by its name. */
  async mapping(idOrName: string): Promise<Mapping> {
    const found = await this.#byIdOrName<Mapping>('mappings', idOrName)
    if (!found) throw new CliErrors.MAPPING_UNKNOWN(idOrName)
    return found
  }

  /** A connection by its id, or else by its name. */
  async connection(idOrName: string): Promise<Connection> {
    const found = await this.#byIdOrName<Connection>('connections', idOrName)
    if (!found) throw new CliErrors.CONNECTION_UNKNOWN(idOrName)
    return found
  }

  run(id: string): Promise<Run> {
    return this.request<Run>('GET', `/runs/${encodeURIComponent(id)}`)
  }

  async runs(query: Record<string, string | number | undefined>): Promise<{ items: Run[]; total: number }> {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
    return this.request('GET', `/runs${params.size ? `?${params}` : ''}`)
  }

  /** Changed actions of a run (no NONE), up to `limit`, in order. */
  async changedActions(runId: string, limit: number): Promise<RunAction[]> {
    const out: RunAction[] = []
    let after: string | null = null
    while (out.length < limit) {
      const pageSize = Math.min(1000, limit - out.length)
      const page: { items: RunAction[]; next: string | null } = await this.request(
        'GET',
        `/runs/${encodeURIComponent(runId)}/actions?changedOnly=true&limit=${pageSize}${after ? `&after=${after}` : ''}`,
      )
      out.push(...page.items)
      after = page.next
      if (!after) break
    }
    return out
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s (--timeout)`
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error)
}
