// Change events in: from LeanIX webhooks, ServiceNow business rules posting to the hub, or any
// connector's notifications. Each event is kept in the store (one row per changed record, a
// later event replacing an earlier one) before it is acknowledged, then the mappings it concerns
// get a partial run: at once with short event buffering, else in batches (N changes or T minutes
// after the first).
import type { ChangeEvent, Connector, ConnectionContext } from '../connector/contract.ts'
import type { MappingRecord, MappingRepository } from '../mapping/repository.ts'
import type { Db } from '../store/db.ts'
import { LinksRepository } from './links.ts'
import { EventSequences } from './event-sequences.ts'
import { keepPendingChanges, type PendingChange } from './pending-changes.ts'
import type { RunService } from './run-service.ts'

export interface IntakeDeps {
  db: Db
  mappings: MappingRepository
  runs: RunService
  resolve(connectionId: string): Promise<{ connector: Connector; context: ConnectionContext } | undefined>
}

export interface IntakeResult {
  /** events kept for at least one mapping */
  accepted: number
  /** events no enabled mapping takes (other entities, out of scope, echoes of our own writes) */
  ignored: number
  mappings: string[]
}

export class ChangeIntake {
  readonly #deps: IntakeDeps
  readonly #links = new LinksRepository()
  readonly #sequences = new EventSequences()

  constructor(deps: IntakeDeps) {
    this.#deps = deps
  }

  async accept(connectionId: string, events: readonly ChangeEvent[]): Promise<IntakeResult> {
    return this.#accept(connectionId, await this.#deps.resolve(connectionId), events)
  }

  /**
   * Notifications as a system pushes them (a LeanIX webhook delivery): the connector turns them
   * into change events (dropping echoes of the hub's own writes), then they are taken as above.
   */
  async acceptNotifications(connectionId: string, raw: readonly unknown[]): Promise<IntakeResult> {
    const resolved = await this.#deps.resolve(connectionId)
    if (!resolved?.connector.toChangeEvents) return { accepted: 0, ignored: raw.length, mappings: [] }
    return this.#accept(connectionId, resolved, await resolved.connector.toChangeEvents(resolved.context, raw))
  }

  async #accept(
    connectionId: string,
    resolved: { connector: Connector; context: ConnectionContext } | undefined,
    events: readonly ChangeEvent[],
  ): Promise<IntakeResult> {
    const all = (await this.#deps.mappings.byConnections([connectionId])).get(connectionId) ?? []
    const mappings = all.filter((m) => m.enabled && m.definition.events.partialSync !== 'skip')
    const own = resolved?.connector.ownActor?.(resolved.context)
    const candidates: Array<{ row: PendingChange; event: ChangeEvent }> = []
    for (const m of mappings) {
      for (const side of ['source', 'target'] as const) {
        const s = m.definition[side]
        if (s.connectionId !== connectionId) continue
        const mine = events.filter(
          (e) => e.entity.toLowerCase() === s.entity.toLowerCase() && !(own && e.actor && e.actor === own),
        )
        const inScope = await this.#inScope(m, side, mine, resolved?.connector)
        for (const e of inScope) {
          candidates.push({
            event: e,
            row: { mapping_id: m.id, side: side === 'source' ? 's' : 't', record_id: e.id, op: e.op },
          })
        }
      }
    }
    const rows: PendingChange[] = []
    const kept = new Set<ChangeEvent>()
    if (candidates.length > 0) {
      // a replayed or late event (by its sequence) is dropped, in the transaction that keeps the rest
      await this.#deps.db.transaction(async (tx) => {
        const unseen = await this.#sequences.unseen(tx, connectionId, [...new Set(candidates.map((c) => c.event))])
        for (const c of candidates) {
          if (!unseen.has(c.event)) continue
          kept.add(c.event)
          rows.push(c.row)
        }
        await keepPendingChanges(tx, rows)
      })
    }
    const touched = [...new Set(rows.map((r) => r.mapping_id))]
    for (const id of touched) {
      const m = mappings.find((x) => x.id === id) as MappingRecord
      if (m.definition.events.shortBuffering) await this.#deps.runs.startChanges(id, true)
      else await this.#deps.runs.scheduleBatch(id)
    }
    return { accepted: kept.size, ignored: events.length - kept.size, mappings: touched }
  }

  /**
   * The mapping's constraint, evaluated on the record an event carries: a record out of scope
   * is dropped unless the mapping links it (it may just have left the scope). A side with graph
   * rules is not judged here: a rule spans several tables and cannot be evaluated on one record,
   * so the partial run's lookup, which carries the rules, decides (a record it does not return is
   * out of scope, as one outside the filter).
   */
  async #inScope(
    m: MappingRecord,
    side: 'source' | 'target',
    events: ChangeEvent[],
    connector: Connector | undefined,
  ): Promise<ChangeEvent[]> {
    const filter = m.definition[side].filter
    if (!filter || !connector?.matches) return events
    if ((m.definition[side].graphRules?.length ?? 0) > 0) return events
    const outside = events.filter((e) => {
      if (e.op === 'delete' || !e.record) return false
      try {
        return !connector.matches?.(filter, e.record)
      } catch {
        return false
      }
    })
    if (outside.length === 0) return events
    const ids = outside.map((e) => e.id)
    const linked =
      side === 'source'
        ? await this.#links.linkedSources(this.#deps.db, m.id, ids)
        : await this.#links.linkedTargets(this.#deps.db, m.id, ids)
    const drop = new Set(outside.filter((e) => !linked.has(e.id)))
    return events.filter((e) => !drop.has(e))
  }
}
