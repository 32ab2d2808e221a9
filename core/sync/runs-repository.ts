// Run records: one execution of a mapping, with its counts and outcome.
import { randomUUID } from 'node:crypto'
import type { Db } from '../store/db.ts'

export const RUN_STATUSES = ['QUEUED', 'RUNNING', 'OK', 'WARNING', 'ERROR', 'CANCELLED'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export interface RunCounts {
  read: number
  created: number
  updated: number
  deleted: number
  unchanged: number
  failed: number
}

export interface RunRecord {
  id: string
  mappingId: string
  status: RunStatus
  trigger: string
  dryRun: boolean
  queuedAt: string
  startedAt: string | null
  finishedAt: string | null
  counts: RunCounts
  message: string | null
}

interface Row {
  id: string
  mapping_id: string
  status: RunStatus
  trigger: string
  dry_run: boolean
  queued_at: Date | string
  started_at: Date | string | null
  finished_at: Date | string | null
  read_count: number
  created_count: number
  updated_count: number
  deleted_count: number
  unchanged_count: number
  failed_count: number
  message: string | null
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString())

function toRecord(row: Row): RunRecord {
  return {
    id: row.id,
    mappingId: row.mapping_id,
    status: row.status,
    trigger: row.trigger,
    dryRun: row.dry_run,
    queuedAt: iso(row.queued_at) as string,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    counts: {
      read: row.read_count,
      created: row.created_count,
      updated: row.updated_count,
      deleted: row.deleted_count,
      unchanged: row.unchanged_count,
      failed: row.failed_count,
    },
    message: row.message,
  }
}

export interface RunQuery {
  mappingId?: string
  status?: RunStatus
  limit?: number
}

export class RunRepository {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  async enqueue(mappingId: string, trigger: string, dryRun: boolean): Promise<RunRecord> {
    const { rows } = await this.#db.query<Row>(
      `insert into runs (id, mapping_id, status, trigger, dry_run) values ($1, $2, 'QUEUED', $3, $4) returning *`,
      [randomUUID(), mappingId, trigger, dryRun],
    )
    return toRecord(rows[0] as Row)
  }

  async list(query: RunQuery = {}): Promise<RunRecord[]> {
    const conditions: string[] = []
    const params: unknown[] = []
    if (query.mappingId) {
      params.push(query.mappingId)
      conditions.push(`mapping_id = $${params.length}`)
    }
    if (query.status) {
      params.push(query.status)
      conditions.push(`status = $${params.length}`)
    }
    params.push(Math.min(query.limit ?? 50, 500))
    const where = conditions.length ? `where ${conditions.join(' and ')}` : ''
    const { rows } = await this.#db.query<Row>(
      `select * from runs ${where} order by queued_at desc, id limit $${params.length}`,
      params,
    )
    return rows.map(toRecord)
  }

  async getMany(ids: readonly string[]): Promise<Map<string, RunRecord>> {
    const { rows } = await this.#db.query<Row>('select * from runs where id = any($1::uuid[])', [ids])
    return new Map(rows.map((r) => [r.id, toRecord(r)]))
  }

  /** The latest run of each mapping, in one query (GraphQL loader for Mapping.lastRun). */
  async latestByMappings(mappingIds: readonly string[]): Promise<Map<string, RunRecord>> {
    const { rows } = await this.#db.query<Row>(
      `select distinct on (mapping_id) * from runs where mapping_id = any($1::uuid[]) order by mapping_id, queued_at desc, id`,
      [mappingIds],
    )
    return new Map(rows.map((r) => [r.mapping_id, toRecord(r)]))
  }
}
