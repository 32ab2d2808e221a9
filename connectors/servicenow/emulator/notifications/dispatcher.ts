// Change notifications the way a customer builds them: an async business rule on insert,
// update and delete that POSTs the record to a URL (a RESTMessageV2 call). Each delivery has a
// timeout, is retried with full-jitter backoff honouring Retry-After, and gives up after a bound;
// the queue itself is bounded too. Deliveries are kept for inspection.
import { nextDelay, sleep, type BackoffPolicy } from '../../../../core/http/backoff.ts'
import type { ChangeEvent, ChangeOperation, Instance } from '../instance/instance.ts'

export interface NotificationRule {
  url: string
  /** tables (a table also covers the tables extending it) */
  tables: string[]
  operations?: ChangeOperation[]
  /** extra request headers, e.g. a shared secret */
  headers?: Record<string, string>
  maxAttempts?: number
  timeoutMs?: number
  baseDelayMs?: number
}

export interface NotificationPayload {
  table: string
  sys_id: string
  operation: ChangeOperation
  record: Record<string, string>
}

export interface Delivery {
  ruleId: number
  payload: NotificationPayload
  attempts: number
  status: 'pending' | 'delivered' | 'failed'
  lastStatus?: number
  lastError?: string
}

const MAX_QUEUE = 10_000

export class NotificationDispatcher {
  private readonly rules = new Map<number, NotificationRule>()
  private nextId = 1
  readonly deliveries: Delivery[] = []
  private inFlight = new Set<Promise<void>>()
  private readonly abort = new AbortController()
  private readonly instance: Instance
  private readonly detach: () => void

  constructor(instance: Instance) {
    this.instance = instance
    this.detach = instance.onChange((e) => this.onChange(e))
  }

  add(rule: NotificationRule): number {
    for (const t of rule.tables) this.instance.table(t)
    const id = this.nextId++
    this.rules.set(id, rule)
    return id
  }

  remove(id: number): void {
    this.rules.delete(id)
  }

  list(): Array<NotificationRule & { id: number }> {
    return [...this.rules].map(([id, r]) => ({ id, ...r }))
  }

  /** resolves when every queued delivery has finished (delivered or given up) */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  close(): void {
    this.detach()
    this.abort.abort()
  }

  private onChange(e: ChangeEvent): void {
    for (const [id, rule] of this.rules) {
      if (rule.operations && !rule.operations.includes(e.operation)) continue
      if (!rule.tables.some((t) => t === e.table || this.instance.schema.isA(e.table, t))) continue
      if (this.inFlight.size >= MAX_QUEUE) {
        this.deliveries.push({
          ruleId: id,
          payload: payloadOf(e),
          attempts: 0,
          status: 'failed',
          lastError: 'queue full',
        })
        continue
      }
      const delivery: Delivery = { ruleId: id, payload: payloadOf(e), attempts: 0, status: 'pending' }
      this.deliveries.push(delivery)
      const p = this.deliver(rule, delivery).finally(() => this.inFlight.delete(p))
      this.inFlight.add(p)
    }
  }

  private async deliver(rule: NotificationRule, delivery: Delivery): Promise<void> {
    const policy: BackoffPolicy = { maxAttempts: rule.maxAttempts ?? 5, baseMs: rule.baseDelayMs ?? 200, capMs: 30_000 }
    const body = JSON.stringify(delivery.payload)
    for (let retry = 0; retry < policy.maxAttempts; retry++) {
      if (this.abort.signal.aborted) break
      delivery.attempts++
      let headers: Record<string, string> = {}
      try {
        const res = await fetch(rule.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...rule.headers },
          body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(rule.timeoutMs ?? 10_000)]),
        })
        await res.arrayBuffer()
        delivery.lastStatus = res.status
        if (res.ok) {
          delivery.status = 'delivered'
          return
        }
        headers = Object.fromEntries(res.headers)
        // 4xx other than 408/429 will not get better by retrying
        if (res.status < 500 && res.status !== 408 && res.status !== 429) break
      } catch (err) {
        delivery.lastError = err instanceof Error ? err.message : String(err)
      }
      if (retry + 1 >= policy.maxAttempts) break
      const wait = nextDelay(retry, policy, headers)
      if (wait === undefined) break
      try {
        await sleep(wait, this.abort.signal)
      } catch {
        break
      }
    }
    delivery.status = 'failed'
  }
}

const payloadOf = (e: ChangeEvent): NotificationPayload => ({
  table: e.table,
  sys_id: e.sysId,
  operation: e.operation,
  record: e.record,
})
