// The audit log in the store: who changed what, when, through which request. Entries are
// appended, never changed; the summary is redacted by the caller (see redact.ts).
import type { Db, Queryable } from '../store/db.ts'
import { redact } from './redact.ts'

export interface AuditActor {
  /** the token id or client id; null for the command line or the hub itself */
  id: string | null
  name: string
  /** 'token', 'oauth-client', 'cli', 'system' */
  kind: string
}

/**
 * Writes the audit entry of a change in the change's own transaction (`details` join its
 * summary): the entry commits with the change or not at all.
 */
export type AuditStep = (tx: Queryable, details?: Record<string, unknown>) => Promise<void>

/** applied: the change was made; refused: answered 4xx; failed: answered 5xx */
export type AuditOutcome = 'applied' | 'refused' | 'failed'

export interface AuditInput {
  actor: AuditActor
  /** what was done: "POST /api/v1/tokens", "vault.rotate", "graphql createMapping" */
  action: string
  /** what it was done to: a path or a record reference */
  target?: string | null
  requestId?: string | null
  /** redacted again here, so a careless caller cannot store a secret */
  summary?: Record<string, unknown>
  /** default applied */
  outcome?: AuditOutcome
  /** the CW_ code a refused or failed change was answered with */
  errorCode?: string | null
}

export interface AuditEntry {
  id: number
  at: string
  actor: AuditActor
  action: string
  target: string | null
  requestId: string | null
  summary: Record<string, unknown>
  outcome: AuditOutcome
  errorCode: string | null
}

interface AuditRow {
  id: string | number
  at: Date | string
  actor_id: string | null
  actor_name: string
  actor_kind: string
  action: string
  target: string | null
  request_id: string | null
  summary: Record<string, unknown> | string
  outcome: AuditOutcome
  error_code: string | null
}

export interface AuditPage {
  items: AuditEntry[]
  total: number
}

export class AuditLog {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  async record(input: AuditInput, tx: Queryable = this.#db): Promise<void> {
    await tx.query(
      `insert into audit_log (actor_id, actor_name, actor_kind, action, target, request_id, summary, outcome, error_code)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        input.actor.id,
        input.actor.name,
        input.actor.kind,
        input.action,
        input.target ?? null,
        input.requestId ?? null,
        JSON.stringify(redact(input.summary ?? {})),
        input.outcome ?? 'applied',
        input.errorCode ?? null,
      ],
    )
  }

  /** Newest first; of one action, and of one actor (by name), when given. */
  async list(options: {
    limit: number
    offset: number
    action?: string | undefined
    actor?: string | undefined
  }): Promise<AuditPage> {
    const filters: string[] = []
    const values: unknown[] = []
    if (options.action) filters.push(`action = $${values.push(options.action)}`)
    if (options.actor) filters.push(`actor_name = $${values.push(options.actor)}`)
    const where = filters.length > 0 ? `where ${filters.join(' and ')}` : ''
    const { rows } = await this.#db.query<AuditRow & { total: string | number }>(
      `select *, count(*) over () as total from audit_log ${where} order by at desc, id desc
       limit $${values.length + 1} offset $${values.length + 2}`,
      [...values, options.limit, options.offset],
    )
    let total = rows[0] ? Number(rows[0].total) : 0
    if (rows.length === 0 && options.offset > 0) {
      const count = await this.#db.query<{ n: string | number }>(`select count(*) as n from audit_log ${where}`, values)
      total = Number(count.rows[0]?.n ?? 0)
    }
    return {
      items: rows.map((row) => ({
        id: Number(row.id),
        at: (row.at instanceof Date ? row.at : new Date(row.at)).toISOString(),
        actor: { id: row.actor_id, name: row.actor_name, kind: row.actor_kind },
        action: row.action,
        target: row.target,
        requestId: row.request_id,
        summary: typeof row.summary === 'string' ? (JSON.parse(row.summary) as Record<string, unknown>) : row.summary,
        outcome: row.outcome,
        errorCode: row.error_code,
      })),
      total,
    }
  }
}
