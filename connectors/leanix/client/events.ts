// Webhook events into the contract's ChangeEvents. Deliveries are at-least-once and not ordered
// (PUSH retries every 50 s), so events are de-duplicated, sorted by transactionSequenceNumber,
// and an event older than one already passed on for the same fact sheet is dropped as stale.
// Events the hub's own technical user caused are dropped too: they echo our writes.
import type { ChangeEvent, ChangeOperation } from '../../../core/connector/contract.ts'

export interface NormalizedEvent extends ChangeEvent {
  /** dedupe key: the event id, else sequence + type + fact sheet */
  eventKey: string
  eventType: string
  rev?: number
}

const OP_BY_EVENT: Record<string, ChangeOperation> = {
  FactSheetCreatedEvent: 'create',
  FactSheetRecoveredEvent: 'create',
  FactSheetArchivedEvent: 'delete',
  FactSheetDeletedEvent: 'delete',
}

/** Reads one delivered event: the bare payload (payloadMode DEFAULT) or the WRAPPED_EVENT envelope. */
export function normalizeEvent(raw: unknown): NormalizedEvent | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const envelope = raw as Record<string, unknown>
  const payload = (isRecord(envelope.payload) ? envelope.payload : envelope) as Record<string, unknown>
  const eventType = str(payload.type) ?? str(envelope.type) ?? ''
  const fs = isRecord(payload.factSheet) ? payload.factSheet : undefined
  const idAndRev = isRecord(payload.fsIdAndRev) ? payload.fsIdAndRev : undefined
  const relation = isRecord(payload.relation) ? payload.relation : undefined
  const fromInfo =
    isRecord(payload.fromDetails) && isRecord(payload.fromDetails.factSheetInfos)
      ? payload.fromDetails.factSheetInfos
      : undefined
  const fromIdAndRev = fromInfo && isRecord(fromInfo.idAndRev) ? fromInfo.idAndRev : undefined
  const id = str(fs?.id) ?? str(idAndRev?.id) ?? str(relation?.fromId) ?? str(fromIdAndRev?.id)
  const entity = str(fs?.type) ?? str(payload.fsType) ?? str(relation?.typeFromFS) ?? str(fromInfo?.type)
  if (!id || !entity) return undefined
  const sequence = num(payload.transactionSequenceNumber) ?? num(envelope.transactionSequenceNumber)
  const op: ChangeOperation = OP_BY_EVENT[eventType] ?? 'update'
  const rev = num(fs?.rev) ?? num(idAndRev?.rev) ?? num(fromIdAndRev?.rev)
  const eventId = payload.id ?? envelope.id
  const event: NormalizedEvent = {
    entity,
    id,
    op,
    eventType,
    eventKey:
      eventId !== undefined && eventId !== null ? `id:${String(eventId)}` : `seq:${sequence}:${eventType}:${id}`,
  }
  if (sequence !== undefined) event.sequence = sequence
  if (rev !== undefined) event.rev = rev
  const at = str(payload.createdAt) ?? str(envelope.createdAt)
  if (at) event.at = at
  const actor = str(payload.userId) ?? str(envelope.userId)
  if (actor) event.actor = actor
  if (fs) event.record = fs
  return event
}

export interface SequencerOptions {
  /** the hub's own technical user id: its events are ignored */
  ownUserId?: string
  /** how many event keys and fact sheets are remembered */
  memory?: number
}

export class EventSequencer {
  readonly #seen = new Map<string, true>()
  readonly #lastSequence = new Map<string, number>()
  readonly #memory: number
  ownUserId: string | undefined
  readonly stats = { passed: 0, duplicate: 0, stale: 0, own: 0, unreadable: 0 }

  constructor(options: SequencerOptions = {}) {
    this.ownUserId = options.ownUserId
    this.#memory = options.memory ?? 50_000
  }

  /** The events of one batch worth passing on, in sequence order. */
  accept(raw: readonly unknown[]): ChangeEvent[] {
    const events: NormalizedEvent[] = []
    for (const r of raw) {
      const e = normalizeEvent(r)
      if (!e) this.stats.unreadable++
      else events.push(e)
    }
    events.sort((a, b) => Number(a.sequence ?? Infinity) - Number(b.sequence ?? Infinity))
    const out: ChangeEvent[] = []
    for (const e of events) {
      if (this.#seen.has(e.eventKey)) {
        this.stats.duplicate++
        continue
      }
      remember(this.#seen, e.eventKey, true, this.#memory)
      const last = this.#lastSequence.get(e.id)
      const seq = typeof e.sequence === 'number' ? e.sequence : undefined
      if (seq !== undefined && last !== undefined && seq < last) {
        this.stats.stale++
        continue
      }
      if (seq !== undefined) remember(this.#lastSequence, e.id, seq, this.#memory)
      if (this.ownUserId && e.actor === this.ownUserId) {
        this.stats.own++
        continue
      }
      this.stats.passed++
      const { eventKey: _k, eventType: _t, rev: _r, ...change } = e
      out.push(change)
    }
    return out
  }
}

/** Map as a bounded LRU: re-inserting moves a key to the end, the oldest goes first. */
function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > limit) {
    const oldest = map.keys().next().value
    if (oldest !== undefined) map.delete(oldest)
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && /^\d+$/.test(v)
      ? Number(v)
      : undefined
}
