// The health of connections as their checks left it (connection_health): the last check of each
// connection, by hand or periodic, and when it last worked. Checks record here through
// ConnectionRepository.check; the status surfaces, the metrics and the periodic check read here.
import type { Db } from '../store/db.ts'
import { isoTimestamp } from '../store/timestamps.ts'

export type CheckTrigger = 'manual' | 'periodic'

/** Longest message kept: a check's message is one line a person can act on, not a log. */
const MAX_MESSAGE = 2000

export interface CheckOutcome {
  ok: boolean
  /** the stable code of what failed (CW_...); absent when the check passed */
  code?: string
  message: string
  latencyMs: number
  trigger: CheckTrigger
}

export interface ConnectionHealth {
  connectionId: string
  checkedAt: string
  ok: boolean
  code: string | null
  message: string
  latencyMs: number
  trigger: CheckTrigger
  /** when a check last passed; null when none has */
  lastOkAt: string | null
}

/** A connection with its last check, for scrapes and summaries over every connection. */
export interface ConnectionHealthSummary {
  id: string
  name: string
  connector: string
  health: ConnectionHealth | null
}

interface Row {
  connection_id: string
  checked_at: Date | string
  ok: boolean
  error_code: string | null
  message: string
  latency_ms: number
  trigger: CheckTrigger
  last_ok_at: Date | string | null
}

function toHealth(row: Row): ConnectionHealth {
  return {
    connectionId: row.connection_id,
    checkedAt: isoTimestamp(row.checked_at),
    ok: row.ok,
    code: row.error_code,
    message: row.message,
    latencyMs: Number(row.latency_ms),
    trigger: row.trigger,
    lastOkAt: isoTimestamp(row.last_ok_at),
  }
}

export class ConnectionHealthRepository {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  /**
   * Keeps a check's outcome as the connection's last one (the store's clock, so instances agree).
   * A connection deleted while it was checked keeps nothing: the row goes with the connection.
   */
  async record(connectionId: string, outcome: CheckOutcome): Promise<void> {
    await this.#db.query(
      `insert into connection_health (connection_id, checked_at, ok, error_code, message, latency_ms, trigger, last_ok_at)
       select c.id, now(), $2, $3, $4, $5, $6, case when $2 then now() end from connections c where c.id = $1
       on conflict (connection_id) do update set
         checked_at = excluded.checked_at, ok = excluded.ok, error_code = excluded.error_code,
         message = excluded.message, latency_ms = excluded.latency_ms, trigger = excluded.trigger,
         last_ok_at = coalesce(excluded.last_ok_at, connection_health.last_ok_at)`,
      [
        connectionId,
        outcome.ok,
        outcome.ok ? null : (outcome.code ?? null),
        outcome.message.slice(0, MAX_MESSAGE),
        Math.max(0, Math.round(outcome.latencyMs)),
        outcome.trigger,
      ],
    )
  }

  /** The last check of each of these connections, in one query (loaders); unchecked ones are missing. */
  async getMany(connectionIds: readonly string[]): Promise<Map<string, ConnectionHealth>> {
    if (connectionIds.length === 0) return new Map()
    const { rows } = await this.#db.query<Row>(
      'select * from connection_health where connection_id = any($1::uuid[])',
      [connectionIds],
    )
    return new Map(rows.map((row) => [row.connection_id, toHealth(row)]))
  }

  /** Every connection by name with its last check, in one query (status summary, metrics). */
  async summary(): Promise<ConnectionHealthSummary[]> {
    const { rows } = await this.#db.query<Row & { id: string; name: string; connector: string }>(
      `select c.id, c.name, c.connector, h.connection_id, h.checked_at, h.ok, h.error_code, h.message,
              h.latency_ms, h.trigger, h.last_ok_at
         from connections c left join connection_health h on h.connection_id = c.id
        order by c.name`,
    )
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      connector: row.connector,
      health: row.connection_id === null ? null : toHealth(row),
    }))
  }

  /**
   * Connections whose last check (or, never checked, whose creation) is at least `intervalSeconds`
   * old, oldest first: what a periodic pass checks. `slackSeconds` lets a pass started a little
   * early by its schedule take a connection that is due within that time.
   */
  async due(intervalSeconds: number, limit: number, slackSeconds = 0): Promise<string[]> {
    const { rows } = await this.#db.query<{ id: string }>(
      `select c.id from connections c left join connection_health h on h.connection_id = c.id
        where coalesce(h.checked_at, c.created_at) <= now() - make_interval(secs => $1)
        order by coalesce(h.checked_at, c.created_at), c.id
        limit $2`,
      [Math.max(0, intervalSeconds - slackSeconds), limit],
    )
    return rows.map((row) => row.id)
  }
}
