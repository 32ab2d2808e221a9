// The Webhooks API (/services/webhooks/v1): the connector keeps one subscription per connection
// (found by its identifier, created or brought up to date), and for PULL delivery fetches events
// and commits the cursor only after they were handed on (at-least-once).
import { LeanixErrors } from '../errors.ts'
import type { Credentials } from '../../../core/http/credentials.ts'
import { parseJson, type LeanixTransport } from './transport.ts'

export const WEBHOOKS_PATH = '/services/webhooks/v1/subscriptions'

/** The fact sheet and relation events the hub reacts to (docs/reference/leanix.md §5). */
export const HUB_EVENT_TYPES = [
  'FACT_SHEET_CREATED',
  'FACT_SHEET_UPDATED',
  'FACT_SHEET_ARCHIVED',
  'FACT_SHEET_RECOVERED',
  'FACT_SHEET_DELETED',
  'FACT_SHEET_TAG_ADDED',
  'FACT_SHEET_TAG_REMOVED',
  'RELATION_CREATED',
  'RELATION_UPDATED',
  'RELATION_ARCHIVED',
  'RELATION_DELETED',
  'SUBSCRIPTION_CREATED',
  'SUBSCRIPTION_UPDATED',
  'SUBSCRIPTION_DELETED',
] as const

export interface WebhookSubscription {
  id?: string
  identifier: string
  deliveryType: 'PUSH' | 'PULL'
  tagSets: string[][]
  workspaceId?: string
  targetUrl?: string
  targetMethod?: 'POST'
  authorizationHeader?: string
  ignoreError?: boolean
  payloadMode?: 'DEFAULT' | 'WRAPPED_EVENT' | 'NO_PAYLOAD'
  workspaceConstraint?: 'WORKSPACE' | 'NO_WORKSPACE' | 'ANY'
  active?: boolean
  [k: string]: unknown
}

export interface PulledEvent {
  cursor: { offset: number }
  event: Record<string, unknown>
}

export interface PullResult {
  events: PulledEvent[]
  nextCursor: { offset: number } | null
}

export class WebhooksApi {
  readonly #transport: LeanixTransport
  readonly #auth: Credentials

  constructor(transport: LeanixTransport, auth: Credentials) {
    this.#transport = transport
    this.#auth = auth
  }

  async find(identifier: string, workspaceId?: string, signal?: AbortSignal): Promise<WebhookSubscription | undefined> {
    const data = await this.#call(
      'GET',
      WEBHOOKS_PATH,
      'list webhook subscriptions',
      { identifier, workspaceId },
      undefined,
      signal,
    )
    const list = Array.isArray(data) ? (data as WebhookSubscription[]) : []
    return list.find((s) => s.identifier === identifier)
  }

  async create(sub: WebhookSubscription, signal?: AbortSignal): Promise<WebhookSubscription> {
    return (await this.#call(
      'POST',
      WEBHOOKS_PATH,
      'create webhook subscription',
      {},
      sub,
      signal,
    )) as WebhookSubscription
  }

  async update(id: string, sub: WebhookSubscription, signal?: AbortSignal): Promise<WebhookSubscription> {
    const path = `${WEBHOOKS_PATH}/${encodeURIComponent(id)}`
    return (await this.#call(
      'PUT',
      path,
      'update webhook subscription',
      {},
      { ...sub, id },
      signal,
    )) as WebhookSubscription
  }

  async remove(id: string, signal?: AbortSignal): Promise<void> {
    await this.#call(
      'DELETE',
      `${WEBHOOKS_PATH}/${encodeURIComponent(id)}`,
      'delete webhook subscription',
      {},
      undefined,
      signal,
    )
  }

  /** Creates the subscription, or updates it when what we want differs from what is there. */
  async ensure(wanted: WebhookSubscription, signal?: AbortSignal): Promise<WebhookSubscription> {
    const existing = await this.find(wanted.identifier, wanted.workspaceId, signal)
    if (!existing?.id) return this.create(wanted, signal)
    const differs = Object.entries(wanted).some(([k, v]) => JSON.stringify(existing[k]) !== JSON.stringify(v))
    return differs ? this.update(existing.id, { ...existing, ...wanted }, signal) : existing
  }

  /** Long-polls events after the committed cursor, without committing. */
  async pull(id: string, timeoutSeconds: number, signal?: AbortSignal): Promise<PullResult> {
    const data = (await this.#call(
      'GET',
      `${WEBHOOKS_PATH}/${encodeURIComponent(id)}/events`,
      'pull webhook events',
      { autoCommit: false, timeout: timeoutSeconds },
      undefined,
      signal,
    )) as { events?: Array<{ cursor: { offset: number }; event: unknown }>; nextCursor?: { offset: number } } | null
    const events = (Array.isArray(data?.events) ? data.events : []).map((e) => ({
      cursor: e.cursor,
      // the Webhooks API types PullEvent.event as a string: the delivered payload as JSON text
      event: (typeof e.event === 'string' ? parseEventText(e.event) : e.event) as Record<string, unknown>,
    }))
    return { events, nextCursor: data?.nextCursor ?? null }
  }

  async commit(id: string, offset: number, signal?: AbortSignal): Promise<void> {
    await this.#call(
      'PUT',
      `${WEBHOOKS_PATH}/${encodeURIComponent(id)}/cursor`,
      'commit webhook cursor',
      {},
      { offset },
      signal,
    )
  }

  async #call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    label: string,
    query: Record<string, string | number | boolean | undefined>,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const res = await this.#transport.send(
      {
        method,
        path,
        query,
        label,
        idempotent: method !== 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      },
      this.#auth,
    )
    if (res.status === 401 || res.status === 403) throw new LeanixErrors.AUTH_REJECTED(res.status)
    if (res.status < 200 || res.status >= 300)
      throw new LeanixErrors.HTTP_STATUS(label, res.status, res.text.slice(0, 200))
    if (!res.text) return null
    // responses are wrapped as {status, type, data, errors}
    const parsed = parseJson(res, label) as { data?: unknown }
    return typeof parsed === 'object' && parsed !== null && 'data' in parsed ? parsed.data : parsed
  }
}

function parseEventText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}
