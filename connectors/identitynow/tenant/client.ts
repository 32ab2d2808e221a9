// HTTP to one Identity Security Cloud tenant, for the work-item intake and for telling the
// tenant a ticketed request finished, through the hub's one outbound HTTP layer
// (core/http/connection.ts: retries honouring Retry-After, the pause shared per tenant and API
// client, bounds, a timeout on every call). Token by OAuth client credentials at
// {tenant}/oauth/token in the shared token cache (one request at a time, a 401 renews it once).
// A POST (completing or rejecting a work item, closing access requests) is not sent again after
// an answer that may mean it ran; it fails and the next pass looks at the work item again.
//
// Public contract used (developer.sailpoint.com/docs/api/v3/*-work-item*): GET /v3/work-items
// (limit ≤ 250, offset, count, ownerId), GET /v3/work-items/{id}, GET /v3/work-items/count,
// POST /v3/work-items/{id} (complete; optional JSON string body), POST
// /v3/work-items/{id}/reject/{approvalItemId}, GET /v3/sources/{id} for source names, and
// v2024 POST /access-requests/close (experimental: needs X-SailPoint-Experimental: true).
import type { Dispatcher } from 'undici'
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../../core/http/backoff.ts'
import { HttpConnection, pathWithQuery } from '../../../core/http/connection.ts'
import type { ConnectionRules, RawAnswer, Verdict } from '../../../core/http/connection.ts'
import { TokenCache } from '../../../core/http/credentials.ts'
import { createDispatcher, type EgressPolicy } from '../../../core/http/egress.ts'
import { IdnErrors } from '../errors.ts'
import { describeTransportFailure, neverSent } from '../../../core/http/transport-failure.ts'

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
  /** the hub's egress settings (private networks allowed or not); all allowed when absent */
  egress?: EgressPolicy
  /** for tests: instead of the pool the client builds */
  dispatcher?: Dispatcher
}

type Answer = RawAnswer

/** the documented maximum page size of v3 collections */
export const WORK_ITEM_PAGE_LIMIT = 250

/** ISC's token lifetime when an answer omits expires_in */
const DEFAULT_TOKEN_LIFETIME_S = 300

export class TenantClient {
  readonly #connection: HttpConnection
  readonly #tokens: TokenCache<{ value: string; expiresAt: number }>

  constructor(options: TenantClientOptions) {
    const origin = new URL(options.url).origin
    const timeoutMs = options.timeoutMs ?? 15_000
    this.#connection = new HttpConnection({
      origin,
      dispatcher:
        options.dispatcher ??
        createDispatcher({
          origin,
          connections: 4,
          keepAliveMs: 10_000,
          connectTimeoutMs: timeoutMs,
          headersTimeoutMs: timeoutMs,
          bodyTimeoutMs: timeoutMs,
          allowPrivateNetworks: options.egress?.allowPrivateNetworks ?? true,
        }),
      ownsDispatcher: options.dispatcher === undefined,
      // the tenant counts its limits per API client
      pauseKey: `${origin} ${options.clientId}`,
      rules: TENANT_RULES,
      policy: options.backoff ?? { ...DEFAULT_BACKOFF, maxAttempts: 5, capMs: 30_000 },
      attemptTimeoutMs: timeoutMs,
    })
    this.#tokens = new TokenCache({ obtain: () => this.#requestToken(options) })
  }

  /** requests sent, attempts after a failure, tokens obtained */
  get stats(): { requests: number; retries: number; tokens: number } {
    const { requests, retries } = this.#connection.stats
    return { requests, retries, tokens: this.#tokens.issued }
  }

  close(): Promise<void> {
    return this.#connection.close()
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

  /** One call with the bearer token; every answer but a retried one comes back, whatever its status. */
  #call(
    method: 'GET' | 'POST',
    path: string,
    label: string,
    extra: { query?: Record<string, string>; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    return this.#connection.send(
      {
        method,
        path: pathWithQuery(path, extra.query),
        headers: { ...extra.headers, ...(extra.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(extra.body !== undefined ? { body: extra.body } : {}),
        // reads may be sent again; a POST completes, rejects or closes something
        idempotent: method === 'GET',
        credentials: this.#tokens,
        label,
      },
      (answer) => readAnswer(label, answer, true),
    )
  }

  async #requestToken(o: TenantClientOptions): Promise<{ value: string; expiresAt: number }> {
    const label = 'token request'
    const answer = await this.#connection.send(
      {
        method: 'POST',
        path: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: o.clientId,
          client_secret: o.clientSecret,
        }).toString(),
        // asking twice for a token is harmless
        idempotent: true,
        credentials: false,
        label,
      },
      (raw) => readAnswer(label, raw, false),
    )
    if (answer.status !== 200) throw new IdnErrors.TENANT_TOKEN_FAILED(answer.status, answer.text.slice(0, 200))
    let json: { access_token?: string; expires_in?: number }
    try {
      json = JSON.parse(answer.text) as typeof json
    } catch {
      throw new IdnErrors.TENANT_TOKEN_FAILED(answer.status, 'the answer is not JSON')
    }
    if (!json.access_token) throw new IdnErrors.TENANT_TOKEN_FAILED(answer.status, 'no access_token in the answer')
    return { value: json.access_token, expiresAt: Date.now() + (json.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000 }
  }
}

function readAnswer(label: string, answer: Answer, authorized: boolean): Verdict<Answer> {
  const { status } = answer
  const problem = `HTTP ${status} ${answer.text.slice(0, 200)}`
  if (status === 401 && authorized) {
    // revoked or expired early: the layer renews the token once, then this is the answer
    const error = new IdnErrors.TENANT_REQUEST_FAILED(label, problem)
    return { ok: false, failure: { error, problem, retryable: false, mayHaveReachedServer: false, unauthorized: true } }
  }
  if (status !== 429 && status < 500) return { ok: true, value: answer }
  const error = new IdnErrors.TENANT_REQUEST_FAILED(label, problem)
  return {
    ok: false,
    failure: { error, problem, retryable: true, mayHaveReachedServer: status !== 429, status, headers: answer.headers },
  }
}

const TENANT_RULES: ConnectionRules = {
  transportFailure(req, error, timedOut) {
    const problem = timedOut ? 'no answer in time' : describeTransportFailure(error)
    return {
      error: new IdnErrors.TENANT_REQUEST_FAILED(req.label ?? req.path, problem),
      problem,
      retryable: true,
      mayHaveReachedServer: !neverSent(error),
    }
  },
  gaveUp(req, last, why) {
    if (why.kind === 'unsafe-to-resend' || why.kind === 'attempts') return last.error
    // the tenant asked for a longer wait than we allow ourselves, or the call ran out of time: the next pass retries
    const more =
      why.kind === 'wait-too-long'
        ? `the tenant asked to wait ${why.askedMs} ms, more than ${why.capMs} ms`
        : `another wait would pass the call's ${why.deadlineMs} ms deadline`
    return new IdnErrors.TENANT_REQUEST_FAILED(req.label ?? req.path, `${last.problem ?? last.error.message} (${more})`)
  },
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
