// Webhooks (docs/reference/leanix.md §5): subscriptions with tag sets (an OR of AND-sets), PUSH deliveries that
// are retried every `retryIntervalMs` (LeanIX: 50 s) until they succeed unless ignoreError, and
// deactivated after 10 days of failures; PULL with a cursor, autoCommit, long polling and a
// 30-day event retention. Events are recorded only when a Pathfinder transaction commits.
import { randomUUID } from 'node:crypto'
import type { CommittedEvent } from '../workspace/records.ts'
import type { WorkspaceStore } from '../workspace/store.ts'
import { buildPayload } from './payloads.ts'

export type DeliveryType = 'PUSH' | 'PULL'
export type PayloadMode = 'DEFAULT' | 'WRAPPED_EVENT' | 'NO_PAYLOAD'

export interface WebhookSubscription {
  id: string
  identifier: string | null
  deliveryType: DeliveryType
  tagSets: string[][]
  workspaceId: string
  userId: string
  targetUrl: string | null
  targetMethod: 'POST' | 'PUT'
  authorizationHeader: string | null
  callback: string | null
  ignoreError: boolean
  maxBatchSize: number
  workspaceConstraint: 'WORKSPACE' | 'NO_WORKSPACE' | 'ANY'
  payloadMode: PayloadMode
  active: boolean
  lastDeliveryStatus: number | null
  errorCount: number
  firstTimeDeliveryFailed: string | null
  createdAt: string
}

export interface WebhookEvent {
  offset: number
  id: string
  createdAt: string
  type: string
  sourceName: 'EAM'
  sourceId: string | null
  sourceUrl: string
  workspaceId: string
  userId: string
  tags: string[]
  payload: Record<string, unknown>
  sequenceInfo: number
}

export interface DeliveryRecord {
  id: string
  createdAt: string
  requestHeaders: string
  payload: string
  targetUrl: string
  targetMethod: string
  success: boolean
  httpStatus: number | null
  responseBody: string | null
  active: boolean
  duration: number
  eventId: string
}

interface SubscriptionState {
  subscription: WebhookSubscription
  /** PUSH: events waiting for delivery, oldest first */
  queue: WebhookEvent[]
  deliveries: DeliveryRecord[]
  /** PULL: where the next pull starts */
  cursor: number
  pulling: boolean
  timer: NodeJS.Timeout | null
  running: boolean
  lastPullAt: number
}

export interface WebhookServiceOptions {
  /** wait between failed PUSH attempts (LeanIX: 50 s) */
  retryIntervalMs: number
  /** deactivate a failing PUSH subscription after this long (LeanIX: 10 days) */
  deactivateAfterMs: number
  /** how long a delivery may take */
  deliveryTimeoutMs: number
  /** events are kept this long for PULL (LeanIX: 30 days) */
  retentionMs: number
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookServiceOptions = {
  retryIntervalMs: 50_000,
  deactivateAfterMs: 10 * 24 * 3600_000,
  deliveryTimeoutMs: 10_000,
  retentionMs: 30 * 24 * 3600_000,
}

const MAX_DELIVERIES_KEPT = 1000

export class ConcurrentPullError extends Error {}

export class WebhookService {
  private readonly store: WorkspaceStore
  private readonly options: WebhookServiceOptions
  private readonly sourceUrl: () => string
  private readonly states = new Map<string, SubscriptionState>()
  private events: WebhookEvent[] = []
  private nextOffset = 0
  private readonly waiters = new Set<() => void>()
  private readonly inFlight = new Set<AbortController>()
  private closed = false
  private readonly unsubscribe: () => void

  constructor(store: WorkspaceStore, sourceUrl: () => string, options: Partial<WebhookServiceOptions> = {}) {
    this.store = store
    this.sourceUrl = sourceUrl
    this.options = { ...DEFAULT_WEBHOOK_OPTIONS, ...options }
    this.unsubscribe = store.onEvent((event) => this.record(event))
  }

  // ---- subscriptions -------------------------------------------------------------------------

  list(filter: { identifier?: string; workspaceId?: string } = {}): WebhookSubscription[] {
    return [...this.states.values()]
      .map((s) => s.subscription)
      .filter(
        (s) =>
          (filter.identifier === undefined || s.identifier === filter.identifier) &&
          (filter.workspaceId === undefined || s.workspaceId === filter.workspaceId),
      )
  }

  get(id: string): WebhookSubscription | undefined {
    return this.states.get(id)?.subscription
  }

  create(
    input: Omit<
      WebhookSubscription,
      'id' | 'createdAt' | 'lastDeliveryStatus' | 'errorCount' | 'firstTimeDeliveryFailed'
    >,
  ): WebhookSubscription {
    const subscription: WebhookSubscription = {
      ...input,
      id: randomUUID(),
      createdAt: this.store.now().toISOString(),
      lastDeliveryStatus: null,
      errorCount: 0,
      firstTimeDeliveryFailed: null,
    }
    // A new subscription sees events from now on, like LeanIX's.
    this.states.set(subscription.id, {
      subscription,
      queue: [],
      deliveries: [],
      cursor: this.nextOffset,
      pulling: false,
      timer: null,
      running: false,
      lastPullAt: Date.now(),
    })
    return subscription
  }

  update(id: string, input: Partial<WebhookSubscription>): WebhookSubscription | undefined {
    const state = this.states.get(id)
    if (state === undefined) return undefined
    const { id: _id, createdAt: _c, ...changes } = input
    const reactivated = changes.active === true && !state.subscription.active
    state.subscription = { ...state.subscription, ...changes }
    if (reactivated) state.subscription = { ...state.subscription, errorCount: 0, firstTimeDeliveryFailed: null }
    if (state.subscription.deliveryType === 'PUSH') this.kick(state)
    return state.subscription
  }

  delete(id: string): WebhookSubscription | undefined {
    const state = this.states.get(id)
    if (state === undefined) return undefined
    if (state.timer !== null) clearTimeout(state.timer)
    this.states.delete(id)
    return state.subscription
  }

  deliveries(id: string): DeliveryRecord[] | undefined {
    return this.states.get(id)?.deliveries
  }

  // ---- events --------------------------------------------------------------------------------

  private record(committed: CommittedEvent): void {
    const payload = buildPayload(this.store, committed)
    const event: WebhookEvent = {
      offset: this.nextOffset++,
      id: randomUUID(),
      createdAt: committed.createdAt,
      type: String(payload.type),
      sourceName: 'EAM',
      sourceId: null,
      sourceUrl: this.sourceUrl(),
      workspaceId: this.store.identity.id,
      userId: committed.userId,
      tags: ['pathfinder', committed.event.kind],
      payload,
      sequenceInfo: committed.transactionSequenceNumber,
    }
    this.events.push(event)
    for (const state of this.states.values()) {
      const s = state.subscription
      if (s.deliveryType !== 'PUSH' || !s.active || !matches(s, event)) continue
      state.queue.push(event)
      this.kick(state)
    }
    for (const wake of [...this.waiters]) wake()
  }

  // ---- PUSH ----------------------------------------------------------------------------------

  private kick(state: SubscriptionState): void {
    if (state.running || state.timer !== null || this.closed) return
    state.running = true
    void this.drain(state).finally(() => {
      state.running = false
    })
  }

  private async drain(state: SubscriptionState): Promise<void> {
    while (
      !this.closed &&
      state.queue.length > 0 &&
      state.subscription.active &&
      this.states.has(state.subscription.id)
    ) {
      const event = state.queue[0] as WebhookEvent
      const ok = await this.deliver(state, event)
      if (ok || state.subscription.ignoreError) {
        state.queue.shift()
        continue
      }
      const firstFailed = state.subscription.firstTimeDeliveryFailed
      if (
        firstFailed !== null &&
        this.store.now().getTime() - Date.parse(firstFailed) >= this.options.deactivateAfterMs
      ) {
        state.subscription = { ...state.subscription, active: false }
        return
      }
      state.timer = setTimeout(() => {
        state.timer = null
        this.kick(state)
      }, this.options.retryIntervalMs)
      state.timer.unref()
      return
    }
  }

  private async deliver(state: SubscriptionState, event: WebhookEvent): Promise<boolean> {
    const s = state.subscription
    const body = deliveryBody(s, event)
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (s.authorizationHeader) headers.authorization = s.authorizationHeader
    const started = Date.now()
    const controller = new AbortController()
    this.inFlight.add(controller)
    const timeout = setTimeout(() => controller.abort(), this.options.deliveryTimeoutMs)
    let status: number | null = null
    let responseBody: string
    try {
      const response = await fetch(s.targetUrl ?? '', {
        method: s.targetMethod,
        headers,
        body,
        signal: controller.signal,
      })
      status = response.status
      responseBody = (await response.text()).slice(0, 4096)
    } catch (error) {
      responseBody = error instanceof Error ? error.message : String(error)
    } finally {
      clearTimeout(timeout)
      this.inFlight.delete(controller)
    }
    const success = status !== null && status >= 200 && status < 300
    state.deliveries.unshift({
      id: randomUUID(),
      createdAt: new Date(started).toISOString(),
      requestHeaders: JSON.stringify({ ...headers, authorization: headers.authorization ? '***' : undefined }),
      payload: body,
      targetUrl: s.targetUrl ?? '',
      targetMethod: s.targetMethod,
      success,
      httpStatus: status,
      responseBody,
      active: s.active,
      duration: Date.now() - started,
      eventId: event.id,
    })
    state.deliveries.length = Math.min(state.deliveries.length, MAX_DELIVERIES_KEPT)
    const now = this.store.now().toISOString()
    state.subscription = success
      ? { ...state.subscription, lastDeliveryStatus: status, firstTimeDeliveryFailed: null }
      : {
          ...state.subscription,
          lastDeliveryStatus: status,
          errorCount: state.subscription.errorCount + 1,
          firstTimeDeliveryFailed: state.subscription.firstTimeDeliveryFailed ?? now,
        }
    return success
  }

  // ---- PULL ----------------------------------------------------------------------------------

  /** The next batch after the subscription's cursor; waits up to `timeoutSeconds` when there is none. */
  async pull(
    id: string,
    options: { autoCommit: boolean; timeoutSeconds: number },
  ): Promise<{ events: WebhookEvent[]; nextOffset: number } | undefined> {
    const state = this.states.get(id)
    if (state === undefined) return undefined
    if (state.pulling) throw new ConcurrentPullError('another pull on this subscription is in progress')
    state.pulling = true
    try {
      this.prune()
      let batch = this.batchFor(state)
      const deadline = Date.now() + Math.max(0, Math.min(options.timeoutSeconds, 60)) * 1000
      while (batch.length === 0 && Date.now() < deadline && !this.closed) {
        await this.waitForEvent(deadline - Date.now())
        batch = this.batchFor(state)
      }
      const last = batch[batch.length - 1]
      const nextOffset = last === undefined ? state.cursor : last.offset + 1
      if (options.autoCommit) state.cursor = nextOffset
      state.lastPullAt = Date.now()
      return { events: batch, nextOffset }
    } finally {
      state.pulling = false
    }
  }

  commitCursor(id: string, offset: number): boolean {
    const state = this.states.get(id)
    if (state === undefined) return false
    state.cursor = offset
    return true
  }

  private batchFor(state: SubscriptionState): WebhookEvent[] {
    const limit = state.subscription.maxBatchSize * 1024
    const out: WebhookEvent[] = []
    let size = 0
    for (const event of this.events) {
      if (event.offset < state.cursor || !matches(state.subscription, event)) continue
      const eventSize = JSON.stringify(event).length
      if (out.length > 0 && size + eventSize > limit) break
      out.push(event)
      size += eventSize
    }
    return out
  }

  private waitForEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(done)
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, ms))
      this.waiters.add(done)
    })
  }

  private prune(): void {
    const oldest = this.store.now().getTime() - this.options.retentionMs
    if (this.events.length > 0 && Date.parse((this.events[0] as WebhookEvent).createdAt) < oldest) {
      this.events = this.events.filter((e) => Date.parse(e.createdAt) >= oldest)
    }
  }

  close(): void {
    this.closed = true
    this.unsubscribe()
    for (const state of this.states.values()) if (state.timer !== null) clearTimeout(state.timer)
    for (const controller of this.inFlight) controller.abort()
    for (const wake of [...this.waiters]) wake()
  }
}

function matches(subscription: WebhookSubscription, event: WebhookEvent): boolean {
  if (subscription.workspaceConstraint === 'NO_WORKSPACE') return false
  if (subscription.workspaceConstraint === 'WORKSPACE' && subscription.workspaceId !== event.workspaceId) return false
  if (subscription.tagSets.length === 0) return true
  return subscription.tagSets.some((set) => set.every((tag) => event.tags.includes(tag)))
}

/**
 * What one delivery carries, as JSON text: the event's payload (payloadMode DEFAULT), the whole
 * envelope (WRAPPED_EVENT) or nothing. A PUSH posts it; a PULL hands it out as the `event` string
 * (the Webhooks API types PullEvent.event and Delivery.payload as strings: duhast/leanix_webhooks-ruby
 * docs/PullEvent.md, docs/Delivery.md, generated from LeanIX's OpenAPI 2.0.119).
 */
export function deliveryBody(subscription: WebhookSubscription, event: WebhookEvent): string {
  const mode = subscription.payloadMode
  return JSON.stringify(mode === 'WRAPPED_EVENT' ? wrapped(event) : mode === 'NO_PAYLOAD' ? {} : event.payload)
}

export function wrapped(event: WebhookEvent): Record<string, unknown> {
  const { offset: _offset, ...rest } = event
  return rest
}
