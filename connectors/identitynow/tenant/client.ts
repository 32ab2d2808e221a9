// HTTP to one Identity Security Cloud tenant over undici, for the work-item intake and for
// telling the tenant a ticketed request finished. Token by
// OAuth client credentials at {tenant}/oauth/token, cached and renewed by one request at a time
// (a 401 renews it once). Every call has a timeout; 429, 5xx and network failures are retried
// with full-jitter backoff honouring Retry-After, a bounded number of times.
//
// Public contract used (developer.sailpoint.com/docs/api/v3/*-work-item*): GET /v3/work-items
// (limit ≤ 250, offset, count, ownerId), GET /v3/work-items/{id}, GET /v3/work-items/count,
// POST /v3/work-items/{id} (complete; optional JSON string body), POST
// /v3/work-items/{id}/reject/{approvalItemId}, GET /v3/sources/{id} for source names, and
// v2024 POST /access-requests/close (experimental: needs X-SailPoint-Experimental: true).
import { Agent, request, type Dispatcher } from 'undici'
import { DEFAULT_BACKOFF, nextDelay, sleep, type BackoffPolicy } from '../../../core/http/backoff.ts'
import { IdnErrors } from '../errors.ts'

export type WorkItemState = 'Finished' | 'Rejected' | 'Returned' | 'Expired' | 'Pending' | 'Canceled'

/** ApprovalItemDetails of the WorkItems shape: one account or attribute operation. */
export interface ApprovalItem {
  id?: string
  account?: string | null
  /** the source's name */
  application?: string
  /** the attribute's name; empty for an operation on the whole account */
  name?: string | null
  operation?: string
  value?: string | null
  state?: WorkItemState
}

/** RemediationItemDetails: an item a certification revoked. */
export interface RemediationItem {
  id?: string
  targetId?: string
  targetName?: string
  targetDisplayName?: string
  applicationName?: string
  attributeName?: string
  attributeOperation?: string
  attributeValue?: string
  nativeIdentity?: string
}

/** The WorkItems object (v3), the fields the intake reads. */
export interface WorkItem {
  id: string
  requesterId?: string | null
  requesterDisplayName?: string | null
  ownerId?: string | null
  ownerName?: string
  created?: string
  modified?: string | null
  description?: string
  state?: WorkItemState
  type?: string
  remediationItems?: RemediationItem[] | null
  approvalItems?: ApprovalItem[] | null
  name?: string | null
  completed?: string | null
  numItems?: number | null
  errors?: string[]
}

export interface TenantClientOptions {
  /** https://{tenant}.api.identitynow.com */
  url: string
  clientId: string
  clientSecret: string
  timeoutMs?: number
  backoff?: BackoffPolicy
  dispatcher?: Dispatcher
}

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** the documented maximum page size of v3 collections */
export const WORK_ITEM_PAGE_LIMIT = 250

export class TenantClient {
  readonly stats = { requests: 0, retries: 0, tokens: 0 }
  readonly #o: TenantClientOptions
  readonly #base: URL
  readonly #dispatcher: Dispatcher
  readonly #ownsDispatcher: boolean
  #token: { value: string; until: number } | undefined
  #renewing: Promise<string> | undefined

  constructor(options: TenantClientOptions) {
    this.#o = options
    this.#base = new URL(options.url)
    this.#ownsDispatcher = options.dispatcher === undefined
    const timeoutMs = options.timeoutMs ?? 15_000
    this.#dispatcher =
      options.dispatcher ?? new Agent({ connections: 4, keepAliveTimeout: 10_000, connectTimeout: timeoutMs })
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close()
  }

  /** One page of the caller's (or `ownerId`'s) pending work items. */
  async listWorkItems(page: { offset: number; limit?: number; ownerId?: string }): Promise<WorkItem[]> {
    const query: Record<string, string> = {
      offset: String(page.offset),
      limit: String(Math.min(page.limit ?? WORK_ITEM_PAGE_LIMIT, WORK_ITEM_PAGE_LIMIT)),
    }
    if (page.ownerId) query.ownerId = page.ownerId
    return this.#json<WorkItem[]>('GET', '/v3/work-items', 'list work items', { query })
  }

  async getWorkItem(id: string): Promise<WorkItem | undefined> {
    const answer = await this.#call('GET', `/v3/work-items/${encodeURIComponent(id)}`, 'get a work item')
    if (answer.status === 404) return undefined
    return parse<WorkItem>(answer, 'get a work item')
  }

  async countWorkItems(ownerId?: string): Promise<number> {
    const query: Record<string, string> = ownerId ? { ownerId } : {}
    const body = await this.#json<{ count?: number }>('GET', '/v3/work-items/count', 'count work items', { query })
    return body.count ?? 0
  }

  /** Completes a work item; `comment` goes as the documented optional JSON string body. */
  async completeWorkItem(id: string, comment?: string): Promise<WorkItem> {
    return this.#json<WorkItem>('POST', `/v3/work-items/${encodeURIComponent(id)}`, 'complete a work item', {
      body: JSON.stringify(comment ?? null),
    })
  }

  async rejectApprovalItem(id: string, approvalItemId: string): Promise<WorkItem> {
    const path = `/v3/work-items/${encodeURIComponent(id)}/reject/${encodeURIComponent(approvalItemId)}`
    return this.#json<WorkItem>('POST', path, 'reject an approval item')
  }

  async sourceName(id: string): Promise<string | undefined> {
    const answer = await this.#call('GET', `/v3/sources/${encodeURIComponent(id)}`, 'get a source')
    if (answer.status === 404) return undefined
    return parse<{ name?: string }>(answer, 'get a source').name
  }

  /**
   * Closes access requests stuck pending (v2024 POST /access-requests/close) with the outcome
   * the ticket had; returns the HTTP status (202 when accepted).
   */
  async closeAccessRequests(request: {
    accessRequestIds: string[]
    message: string
    executionStatus: 'Completed' | 'Terminated'
    completionStatus: 'Success' | 'Failure' | 'Incomplete'
  }): Promise<number> {
    const label = 'close an access request'
    const answer = await this.#call('POST', '/v2024/access-requests/close', label, {
      body: JSON.stringify(request),
      headers: { 'x-sailpoint-experimental': 'true' },
    })
    if (answer.status < 200 || answer.status >= 300) parse(answer, label)
    return answer.status
  }

  async #json<T>(
    method: 'GET' | 'POST',
    path: string,
    label: string,
    extra: { query?: Record<string, string>; body?: string } = {},
  ): Promise<T> {
    return parse<T>(await this.#call(method, path, label, extra), label)
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    label: string,
    extra: { query?: Record<string, string>; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const url = new URL(path, this.#base)
    for (const [k, v] of Object.entries(extra.query ?? {})) url.searchParams.set(k, v)
    let renewed = false
    for (;;) {
      const token = await this.#bearer()
      const headers: Record<string, string> = {
        ...extra.headers,
        accept: 'application/json',
        authorization: `Bearer ${token}`,
      }
      if (extra.body !== undefined) headers['content-type'] = 'application/json'
      const answer = await this.#send(url, { method, headers, body: extra.body }, label)
      if (answer.status === 401 && !renewed) {
        // revoked or expired early: renew once, then give up
        renewed = true
        if (this.#token?.value === token) this.#token = undefined
        continue
      }
      return answer
    }
  }

  /** The cached token, or one renewal shared by every caller waiting for it. */
  async #bearer(): Promise<string> {
    if (this.#token && this.#token.until > Date.now()) return this.#token.value
    this.#renewing ??= this.#renew().finally(() => {
      this.#renewing = undefined
    })
    return this.#renewing
  }

  async #renew(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.#o.clientId,
      client_secret: this.#o.clientSecret,
    }).toString()
    const answer = await this.#send(
      new URL('/oauth/token', this.#base),
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      'token request',
    )
    if (answer.status !== 200) throw new IdnErrors.TENANT_TOKEN_FAILED(answer.status, answer.text.slice(0, 200))
    const json = JSON.parse(answer.text) as { access_token?: string; expires_in?: number }
    if (!json.access_token) throw new IdnErrors.TENANT_TOKEN_FAILED(answer.status, 'no access_token in the answer')
    this.stats.tokens++
    // renew a minute early (or at half-life for short tokens) so no call carries a token about to lapse
    const lifetimeMs = (json.expires_in ?? 300) * 1000
    this.#token = { value: json.access_token, until: Date.now() + Math.max(lifetimeMs - 60_000, lifetimeMs / 2) }
    return json.access_token
  }

  async #send(
    url: URL,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string | undefined },
    label: string,
  ): Promise<Answer> {
    const policy = this.#o.backoff ?? { ...DEFAULT_BACKOFF, maxAttempts: 5, capMs: 30_000 }
    const timeoutMs = this.#o.timeoutMs ?? 15_000
    let problem = ''
    for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
      if (attempt > 0) this.stats.retries++
      this.stats.requests++
      let headers: Answer['headers'] = {}
      try {
        const res = await request(url, {
          method: init.method,
          headers: init.headers,
          body: init.body,
          dispatcher: this.#dispatcher,
          signal: AbortSignal.timeout(timeoutMs),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        })
        const answer = { status: res.statusCode, headers: res.headers, text: await res.body.text() }
        if (answer.status !== 429 && answer.status < 500) return answer
        problem = `HTTP ${answer.status} ${answer.text.slice(0, 200)}`
        headers = answer.headers
      } catch (error) {
        problem = `${(error as { code?: string }).code ?? (error as Error).name}: ${(error as Error).message}`
      }
      if (attempt + 1 >= policy.maxAttempts) break
      const delay = nextDelay(attempt, policy, headers)
      // the tenant asked for a longer wait than we allow ourselves: fail now, the next pass retries
      if (delay === undefined) break
      await sleep(delay)
    }
    throw new IdnErrors.TENANT_REQUEST_FAILED(label, problem)
  }
}

function parse<T>(answer: Answer, label: string): T {
  if (answer.status < 200 || answer.status >= 300)
    throw new IdnErrors.TENANT_REQUEST_FAILED(label, `HTTP ${answer.status} ${answer.text.slice(0, 200)}`)
  try {
    return JSON.parse(answer.text) as T
  } catch {
    throw new IdnErrors.TENANT_REQUEST_FAILED(label, 'the answer is not JSON')
  }
}
