// Per-record actions of a run: what was (or, in a dry run, would be) created, updated, deleted,
// linked or left unchanged, with field-level before/after and a message. Written with the page
// they belong to, in the same transaction as its links and the run's checkpoint.
import type { Queryable } from '../store/db.ts'
import type { Comparable } from '../mapping/values.ts'

export const ACTION_KINDS = ['CREATE', 'UPDATE', 'DELETE', 'LINK', 'NONE'] as const
export type ActionKind = (typeof ACTION_KINDS)[number]
export const ACTION_STATUSES = ['PLANNED', 'OK', 'WARNING', 'ERROR', 'SKIPPED'] as const
export type ActionStatus = (typeof ACTION_STATUSES)[number]

export interface FieldChange {
  /** the field mapping's key */
  key: string
  side: 'source' | 'target'
  field: string
  before: Comparable
  after: Comparable
  /** both sides changed since the last sync: the field's direction decided */
  conflict?: { source: Comparable; target: Comparable; winner: 'source' | 'target' }
}

export interface Action {
  kind: 'record' | 'relation'
  action: ActionKind
  status: ActionStatus
  side: 'source' | 'target'
  sourceId: string | null
  targetId: string | null
  display: string | null
  changes: FieldChange[] | null
  message: string | null
}

/**
 * What became of one write of a step: refused by the deletion guard, only planned (a dry run),
 * done, or failed. The one rule every step (records, sweep, relations) records its writes by.
 */
export function writeStatus(
  result: { ok: boolean } | undefined,
  dryRun: boolean,
  refused?: string,
): 'SKIPPED' | 'PLANNED' | 'OK' | 'ERROR' {
  return refused ? 'SKIPPED' : dryRun ? 'PLANNED' : result?.ok ? 'OK' : 'ERROR'
}

export interface StoredAction extends Action {
  id: string
  at: string
}

interface Row {
  id: string | number
  kind: 'record' | 'relation'
  action: ActionKind
  status: ActionStatus
  side: 'source' | 'target'
  source_id: string | null
  target_id: string | null
  display: string | null
  changes: FieldChange[] | null
  message: string | null
  at: Date | string
}

export interface ActionQuery {
  action?: ActionKind
  status?: ActionStatus
  kind?: 'record' | 'relation'
  /** only actions that changed something (not NONE) */
  changedOnly?: boolean
  /** text the record's name or either side's id contains, any case */
  search?: string
  after?: string | null
  limit?: number
}

export class ActionsRepository {
  async add(q: Queryable, runId: string, actions: readonly Action[]): Promise<void> {
    if (actions.length === 0) return
    await q.query(
      `insert into run_actions (run_id, kind, action, status, side, source_id, target_id, display, changes, message)
       select $1, x.kind, x.action, x.status, x.side, x.source_id, x.target_id, x.display, x.changes, x.message
       from jsonb_to_recordset($2::jsonb) as x(kind text, action text, status text, side text, source_id text,
         target_id text, display text, changes jsonb, message text)`,
      [
        runId,
        JSON.stringify(
          actions.map((a) => ({
            kind: a.kind,
            action: a.action,
            status: a.status,
            side: a.side,
            source_id: a.sourceId,
            target_id: a.targetId,
            display: a.display,
            changes: a.changes,
            message: a.message,
          })),
        ),
      ],
    )
  }

  /** Actions of a run in order, paged by id (`after` is the last id of the previous page). */
  async list(
    q: Queryable,
    runId: string,
    query: ActionQuery = {},
  ): Promise<{ items: StoredAction[]; next: string | null }> {
    const params: unknown[] = [runId]
    const conditions = ['run_id = $1']
    if (query.action) {
      params.push(query.action)
      conditions.push(`action = $${params.length}`)
    }
    if (query.status) {
      params.push(query.status)
      conditions.push(`status = $${params.length}`)
    }
    if (query.kind) {
      params.push(query.kind)
      conditions.push(`kind = $${params.length}`)
    }
    if (query.changedOnly) conditions.push(`action <> 'NONE'`)
    if (query.search) {
      // the text as typed: its LIKE wildcards match themselves
      params.push(`%${query.search.replace(/[\\%_]/g, '\\$&')}%`)
      const n = params.length
      conditions.push(`(display ilike $${n} or source_id ilike $${n} or target_id ilike $${n})`)
    }
    if (query.after && /^\d+$/.test(query.after)) {
      params.push(query.after)
      conditions.push(`id > $${params.length}::bigint`)
    }
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000)
    params.push(limit + 1)
    const { rows } = await q.query<Row>(
      `select id, kind, action, status, side, source_id, target_id, display, changes, message, at from run_actions
       where ${conditions.join(' and ')} order by id limit $${params.length}`,
      params,
    )
    const items = rows.slice(0, limit).map((r) => ({
      id: String(r.id),
      kind: r.kind,
      action: r.action,
      status: r.status,
      side: r.side,
      sourceId: r.source_id,
      targetId: r.target_id,
      display: r.display,
      changes: r.changes,
      message: r.message,
      at: new Date(r.at).toISOString(),
    }))
    return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null }
  }

  /** Counts of a run's actions by action and status. */
  async summary(
    q: Queryable,
    runId: string,
  ): Promise<Array<{ action: ActionKind; status: ActionStatus; kind: string; n: number }>> {
    const { rows } = await q.query<{ action: ActionKind; status: ActionStatus; kind: string; n: number }>(
      'select action, status, kind, count(*)::int as n from run_actions where run_id = $1 group by action, status, kind order by action, status',
      [runId],
    )
    return rows
  }
}
