// Run records: one execution of a mapping, its counts, its checkpoint and its outcome. A run is
// held by at most one executor at a time (a fresh heartbeat), and a mapping has at most one
// RUNNING run (a unique index), whichever hub instance runs it.
import { randomUUID } from 'node:crypto'
import type { Db, Queryable } from '../store/db.ts'
import { constraintViolation } from '../store/constraint-errors.ts'
import { countsOf, type RunCounts } from './counts.ts'
import { SyncErrors } from './errors.ts'
import { isoTimestamp } from '../store/timestamps.ts'

export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'OK', 'WARNING', 'ERROR', 'CANCELLED'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]
export const FINISHED: readonly RunStatus[] = ['OK', 'WARNING', 'ERROR', 'CANCELLED']
export const RUN_KINDS = ['full', 'delta', 'partial'] as const
export type RunKind = (typeof RUN_KINDS)[number]

export type { RunCounts }

export interface RunOptions {
  /** let the sweep delete past the deletion guard (an operator confirmed it) */
  confirmDeletions?: boolean
  /** skip relation mappings */
  withoutRelations?: boolean
}

export interface RunRecord {
  id: string
  mappingId: string
  status: RunStatus
  kind: RunKind
  trigger: string
  dryRun: boolean
  options: RunOptions
  queuedAt: string
  startedAt: string | null
  finishedAt: string | null
  counts: RunCounts
  message: string | null
  cancelRequested: boolean
  /** the run whose staged pass this run continues (itself unless it resumed a cancelled one) */
  passId: string | null
  mappingVersion: number | null
  attempts: number
  checkpoint: Checkpoint | null
}

/** Where a run stands, committed together with each page's actions and counts. */
export interface Checkpoint {
  phase: 'target' | 'source' | 'sweep' | 'relations' | 'changes' | 'done'
  cursor: string | null
  /** relation mapping being worked on */
  relation?: number
  /** sweep and relation position: the last key handled */
  after?: string | null
  /** which candidates the sweep is working on */
  sweepStep?: 'gone' | 'orphans' | 'done'
  /** deletion candidates the guard counted */
  candidates?: number
  /** refused candidates recorded as actions so far */
  shown?: number
  /** relation pass: reading the source table, the target table, or applying the difference */
  relationStep?: 'source' | 'target' | 'apply'
  /** source records read in the pass (the empty-source guard) */
  sourceRead?: number
  /** the read of each side ended with this delta watermark */
  watermarks?: { source?: string | null; target?: string | null }
  /** the sweep was refused by the deletion guard, and why */
  refused?: string
  /** warnings the run will finish with */
  notes?: string[]
  /** the cancelled run whose pass this run took over */
  resumedFrom?: string
}

interface Row {
  id: string
  mapping_id: string
  status: RunStatus
  kind: RunKind
  trigger: string
  dry_run: boolean
  options: RunOptions
  queued_at: Date | string
  started_at: Date | string | null
  finished_at: Date | string | null
  counts: unknown
  message: string | null
  cancel_requested: boolean
  pass_id: string | null
  mapping_version: number | null
  attempts: number
  checkpoint: Checkpoint | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function toRecord(row: Row): RunRecord {
  return {
    id: row.id,
    mappingId: row.mapping_id,
    status: row.status,
    kind: row.kind,
    trigger: row.trigger,
    dryRun: row.dry_run,
    options: row.options ?? {},
    queuedAt: isoTimestamp(row.queued_at),
    startedAt: isoTimestamp(row.started_at),
    finishedAt: isoTimestamp(row.finished_at),
    counts: countsOf(row.counts),
    message: row.message,
    cancelRequested: row.cancel_requested,
    passId: row.pass_id,
    mappingVersion: row.mapping_version,
    attempts: row.attempts,
    checkpoint: row.checkpoint,
  }
}

export interface RunQuery {
  mappingId?: string
  status?: RunStatus
  trigger?: string
  limit?: number
  offset?: number
}

export interface NewRun {
  mappingId: string
  trigger: string
  dryRun: boolean
  kind: RunKind
  options?: RunOptions
  mappingVersion?: number
  /** resume the staged pass of this (cancelled) run */
  resume?: { passId: string; checkpoint: Checkpoint }
}

export class RunRepository {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  async create(run: NewRun, q: Queryable = this.#db): Promise<RunRecord> {
    const id = randomUUID()
    const { rows } = await q.query<Row>(
      `insert into runs (id, mapping_id, status, trigger, dry_run, kind, options, mapping_version, pass_id, checkpoint)
       values ($1, $2, 'QUEUED', $3, $4, $5, $6, $7, $8, $9) returning *`,
      [
        id,
        run.mappingId,
        run.trigger,
        run.dryRun,
        run.kind,
        JSON.stringify(run.options ?? {}),
        run.mappingVersion ?? null,
        run.resume?.passId ?? id,
        run.resume ? JSON.stringify(run.resume.checkpoint) : null,
      ],
    )
    return toRecord(rows[0] as Row)
  }

  async get(id: string, q: Queryable = this.#db): Promise<RunRecord> {
    if (!UUID.test(id)) throw new SyncErrors.RUN_NOT_FOUND(id)
    const { rows } = await q.query<Row>('select * from runs where id = $1', [id])
    if (!rows[0]) throw new SyncErrors.RUN_NOT_FOUND(id)
    return toRecord(rows[0])
  }

  async list(query: RunQuery = {}): Promise<{ items: RunRecord[]; total: number }> {
    const conditions: string[] = []
    const params: unknown[] = []
    if (query.mappingId) {
      if (!UUID.test(query.mappingId)) return { items: [], total: 0 }
      params.push(query.mappingId)
      conditions.push(`mapping_id = $${params.length}`)
    }
    if (query.status) {
      params.push(query.status)
      conditions.push(`status = $${params.length}`)
    }
    if (query.trigger) {
      params.push(query.trigger)
      conditions.push(`trigger = $${params.length}`)
    }
    const where = conditions.length ? `where ${conditions.join(' and ')}` : ''
    const total = await this.#db.query<{ n: number }>(`select count(*)::int as n from runs ${where}`, params)
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500)
    const offset = Math.max(query.offset ?? 0, 0)
    const { rows } = await this.#db.query<Row>(
      `select * from runs ${where} order by queued_at desc, queued_seq desc limit $${params.length + 1} offset $${params.length + 2}`,
      [...params, limit, offset],
    )
    return { items: rows.map(toRecord), total: total.rows[0]?.n ?? 0 }
  }

  async getMany(ids: readonly string[]): Promise<Map<string, RunRecord>> {
    const valid = ids.filter((id) => UUID.test(id))
    if (valid.length === 0) return new Map()
    const { rows } = await this.#db.query<Row>('select * from runs where id = any($1::uuid[])', [valid])
    return new Map(rows.map((r) => [r.id, toRecord(r)]))
  }

  /** The latest run of each mapping, in one query (GraphQL loader for Mapping.lastRun). */
  async latestByMappings(mappingIds: readonly string[]): Promise<Map<string, RunRecord>> {
    const { rows } = await this.#db.query<Row>(
      `select distinct on (mapping_id) * from runs where mapping_id = any($1::uuid[]) order by mapping_id, queued_at desc, queued_seq desc`,
      [mappingIds],
    )
    return new Map(rows.map((r) => [r.mapping_id, toRecord(r)]))
  }

  /** The last finished run of each mapping, dry runs left out, in one query (status summary). */
  async lastFinishedByMappings(mappingIds: readonly string[]): Promise<Map<string, RunRecord>> {
    const { rows } = await this.#db.query<Row>(
      `select distinct on (mapping_id) * from runs
        where mapping_id = any($1::uuid[]) and finished_at is not null and not dry_run
        order by mapping_id, finished_at desc, id`,
      [mappingIds],
    )
    return new Map(rows.map((r) => [r.mapping_id, toRecord(r)]))
  }

  /** Runs kept in the store by mapping and status, dry runs left out (metrics). */
  async countsByMapping(): Promise<Array<{ mappingId: string; mapping: string; status: RunStatus; runs: number }>> {
    const { rows } = await this.#db.query<{ mapping_id: string; name: string; status: RunStatus; n: number }>(
      `select r.mapping_id, m.name, r.status, count(*)::int as n
         from runs r join mappings m on m.id = r.mapping_id
        where not r.dry_run
        group by r.mapping_id, m.name, r.status`,
    )
    return rows.map((r) => ({ mappingId: r.mapping_id, mapping: r.name, status: r.status, runs: Number(r.n) }))
  }

  /** The latest `limit` runs of each mapping, in one query (GraphQL loader for Mapping.runs). */
  async recentByMappings(mappingIds: readonly string[], limit: number): Promise<Map<string, RunRecord[]>> {
    const { rows } = await this.#db.query<Row & { n: number }>(
      `select * from (select r.*, row_number() over (partition by mapping_id order by queued_at desc, queued_seq desc) as n
         from runs r where mapping_id = any($1::uuid[])) x where n <= $2 order by mapping_id, queued_at desc, queued_seq desc`,
      [mappingIds, Math.min(Math.max(limit, 1), 500)],
    )
    const out = new Map<string, RunRecord[]>(mappingIds.map((id) => [id, []]))
    for (const row of rows) out.get(row.mapping_id)?.push(toRecord(row))
    return out
  }

  /** A queued, not yet started run of the mapping, if any. */
  async waiting(mappingId: string, dryRun: boolean): Promise<RunRecord | undefined> {
    const { rows } = await this.#db.query<Row>(
      `select * from runs where mapping_id = $1 and status = 'QUEUED' and dry_run = $2 order by queued_at limit 1`,
      [mappingId, dryRun],
    )
    return rows[0] ? toRecord(rows[0]) : undefined
  }

  /** The latest finished or running run of the mapping. */
  async latest(mappingId: string): Promise<RunRecord | undefined> {
    const { rows } = await this.#db.query<Row>(
      `select * from runs where mapping_id = $1 and status <> 'QUEUED' order by coalesce(started_at, queued_at) desc limit 1`,
      [mappingId],
    )
    return rows[0] ? toRecord(rows[0]) : undefined
  }

  /**
   * Takes the run for this executor: a queued run, or a running one whose executor stopped
   * sending heartbeats. 'busy' when another run of the mapping is running; 'held' when another
   * executor holds this run; 'finished' when there is nothing left to do.
   */
  async claim(
    id: string,
    staleSeconds: number,
  ): Promise<{ run: RunRecord } | { refused: 'busy' | 'held' | 'finished' }> {
    try {
      const { rows } = await this.#db.query<Row>(
        `update runs set status = 'RUNNING', started_at = coalesce(started_at, now()), attempts = attempts + 1,
           heartbeat_at = now()
         where id = $1 and (status = 'QUEUED' or (status = 'RUNNING' and
           (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => $2))))
         returning *`,
        [id, staleSeconds],
      )
      if (rows[0]) return { run: toRecord(rows[0]) }
    } catch (error) {
      // the one-running-run-per-mapping index: another run of the mapping holds it
      if (constraintViolation(error)?.kind === 'unique') return { refused: 'busy' }
      throw error
    }
    const run = await this.get(id)
    return { refused: FINISHED.includes(run.status) ? 'finished' : 'held' }
  }

  /** Lets another executor take the run at once (this one gives it up to be retried). */
  async release(id: string): Promise<void> {
    await this.#db.query(`update runs set heartbeat_at = null where id = $1 and status = 'RUNNING'`, [id])
  }

  async heartbeat(id: string): Promise<void> {
    await this.#db.query(`update runs set heartbeat_at = now() where id = $1 and status = 'RUNNING'`, [id])
  }

  /**
   * Commits a step: counts and checkpoint, in the caller's transaction (with the step's actions
   * and links). Answers whether a cancel was requested meanwhile.
   */
  async commitStep(
    tx: Queryable,
    id: string,
    counts: RunCounts,
    checkpoint: Checkpoint,
  ): Promise<{ cancelRequested: boolean }> {
    const { rows } = await tx.query<{ cancel_requested: boolean }>(
      `update runs set counts = $2, checkpoint = $3, heartbeat_at = now() where id = $1 returning cancel_requested`,
      [id, JSON.stringify(counts), JSON.stringify(checkpoint)],
    )
    return { cancelRequested: rows[0]?.cancel_requested ?? false }
  }

  async finish(
    id: string,
    status: Exclude<RunStatus, 'QUEUED' | 'RUNNING'>,
    counts: RunCounts,
    message: string | null,
    q: Queryable = this.#db,
    checkpoint?: Checkpoint | null,
  ): Promise<RunRecord> {
    const { rows } = await q.query<Row>(
      `update runs set status = $2, counts = $3, message = $4, finished_at = now(), heartbeat_at = null,
         checkpoint = coalesce($5, checkpoint)
       where id = $1 returning *`,
      [id, status, JSON.stringify(counts), message, checkpoint === undefined ? null : JSON.stringify(checkpoint)],
    )
    if (!rows[0]) throw new SyncErrors.RUN_NOT_FOUND(id)
    return toRecord(rows[0])
  }

  /** Cancels a queued run at once; asks a running one to stop at its next page boundary. */
  async requestCancel(id: string): Promise<RunRecord> {
    const run = await this.get(id)
    if (FINISHED.includes(run.status)) throw new SyncErrors.RUN_FINISHED(id, run.status)
    const { rows } = await this.#db.query<Row>(
      `update runs set
         status = case when status = 'QUEUED' then 'CANCELLED' else status end,
         finished_at = case when status = 'QUEUED' then now() else finished_at end,
         message = case when status = 'QUEUED' then 'cancelled before it started' else message end,
         cancel_requested = true
       where id = $1 and status in ('QUEUED', 'RUNNING') returning *`,
      [id],
    )
    if (!rows[0]) return this.get(id)
    return toRecord(rows[0])
  }

  /** Deletes finished runs (their actions and staging go with them) older than `days`. */
  async purge(days: number): Promise<number> {
    const { affectedRows } = await this.#db.query(
      `delete from runs where finished_at < now() - make_interval(days => $1) and status in ('OK', 'WARNING', 'ERROR', 'CANCELLED')`,
      [days],
    )
    return affectedRows
  }
}
