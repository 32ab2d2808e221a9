// The provisioning records (idn_provisioning): one per plan part routed to an integration. The
// row is claimed (state "creating") before any ticket is created, and completed with the ticket
// after, so a crash in between is seen and repaired by looking the ticket up by correlation id.
import type { Db, Queryable } from '../../../core/store/db.ts'
import type { ProvisioningPlan } from './plan.ts'

export type RecordState = 'creating' | 'queued' | 'committed' | 'failed' | 'expired'
export const RECORD_STATES: readonly RecordState[] = ['creating', 'queued', 'committed', 'failed', 'expired']
/** states of a ticket still followed: being created, or waiting for the service desk to close it */
export const OPEN_STATES: readonly RecordState[] = ['creating', 'queued']

/** The SIM's tickets by state, and when the oldest still open one was made. */
export interface Backlog {
  byState: Record<RecordState, number>
  oldestOpenAt: Date | null
}

export interface ProvisioningRecord {
  correlationId: string
  integrationId: string
  sourceId: string
  sourceName: string
  plan: ProvisioningPlan
  state: RecordState
  ticketType: string
  ticketTable: string | null
  ticketNumber: string | null
  ticketSysId: string | null
  externalState: string | null
  result: string | null
  createdAt: Date
  nextCheckAt: Date | null
  closedAt: Date | null
  closedBy: string | null
  message: string | null
}

interface Row {
  correlation_id: string
  integration_id: string
  source_id: string
  source_name: string
  plan: ProvisioningPlan | string
  state: RecordState
  ticket_type: string
  ticket_table: string | null
  ticket_number: string | null
  ticket_sys_id: string | null
  external_state: string | null
  result: string | null
  created_at: Date | string
  next_check_at: Date | string | null
  closed_at: Date | string | null
  closed_by: string | null
  message: string | null
}

const date = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v))

function fromRow(row: Row): ProvisioningRecord {
  return {
    correlationId: row.correlation_id,
    integrationId: row.integration_id,
    sourceId: row.source_id,
    sourceName: row.source_name,
    plan: typeof row.plan === 'string' ? (JSON.parse(row.plan) as ProvisioningPlan) : row.plan,
    state: row.state,
    ticketType: row.ticket_type,
    ticketTable: row.ticket_table,
    ticketNumber: row.ticket_number,
    ticketSysId: row.ticket_sys_id,
    externalState: row.external_state,
    result: row.result,
    createdAt: date(row.created_at) as Date,
    nextCheckAt: date(row.next_check_at),
    closedAt: date(row.closed_at),
    closedBy: row.closed_by,
    message: row.message,
  }
}

export interface TicketRef {
  table: string
  number: string
  sysId: string
}

export class ProvisioningRecords {
  readonly #db: Db

  constructor(db: Db) {
    this.#db = db
  }

  get db(): Db {
    return this.#db
  }

  /** Inserts the claim; false when the correlation id already has a record (a retried intake). */
  async claim(input: {
    correlationId: string
    integrationId: string
    sourceId: string
    sourceName: string
    plan: ProvisioningPlan
    ticketType: string
    /** the service's clock */
    at: Date
  }): Promise<boolean> {
    const inserted = await this.#db.query(
      `insert into idn_provisioning (correlation_id, integration_id, source_id, source_name, plan, state, ticket_type, created_at, next_check_at)
       values ($1, $2, $3, $4, $5::jsonb, 'creating', $6, $7, $7) on conflict (correlation_id) do nothing`,
      [
        input.correlationId,
        input.integrationId,
        input.sourceId,
        input.sourceName,
        JSON.stringify(input.plan),
        input.ticketType,
        input.at.toISOString(),
      ],
    )
    return inserted.affectedRows === 1
  }

  async get(correlationId: string): Promise<ProvisioningRecord | undefined> {
    const rows = await this.#db.query<Row>('select * from idn_provisioning where correlation_id = $1', [correlationId])
    return rows.rows[0] ? fromRow(rows.rows[0]) : undefined
  }

  /** By correlation id or ticket number. */
  async find(id: string): Promise<ProvisioningRecord | undefined> {
    const rows = await this.#db.query<Row>(
      'select * from idn_provisioning where correlation_id = $1 or ticket_number = $1 order by created_at limit 1',
      [id],
    )
    return rows.rows[0] ? fromRow(rows.rows[0]) : undefined
  }

  async recordTicket(correlationId: string, ticket: TicketRef, nextCheckAt: Date): Promise<void> {
    await this.#db.query(
      `update idn_provisioning set state = 'queued', ticket_table = $2, ticket_number = $3, ticket_sys_id = $4,
       next_check_at = $5 where correlation_id = $1 and state = 'creating'`,
      [correlationId, ticket.table, ticket.number, ticket.sysId, nextCheckAt.toISOString()],
    )
  }

  async failCreate(correlationId: string, message: string, retryAt: Date): Promise<void> {
    await this.#db.query(
      `update idn_provisioning set message = $2, next_check_at = $3 where correlation_id = $1 and state = 'creating'`,
      [correlationId, message, retryAt.toISOString()],
    )
  }

  /** Records that are due: tickets to poll and creates to finish or repair. */
  async due(now: Date, limit: number): Promise<ProvisioningRecord[]> {
    const rows = await this.#db.query<Row>(
      `select * from idn_provisioning where state in ('queued', 'creating') and next_check_at <= $1
       order by next_check_at limit $2`,
      [now.toISOString(), limit],
    )
    return rows.rows.map(fromRow)
  }

  async checked(
    correlationId: string,
    externalState: string,
    nextCheckAt: Date,
    message: string | null,
  ): Promise<void> {
    await this.#db.query(
      `update idn_provisioning set external_state = $2, next_check_at = $3, last_checked_at = now(), message = $4
       where correlation_id = $1 and state = 'queued'`,
      [correlationId, externalState, nextCheckAt.toISOString(), message],
    )
  }

  /** Closes an open record; false when it was already closed (by another poller or a manual close). */
  async close(
    correlationId: string,
    state: Exclude<RecordState, 'creating' | 'queued'>,
    result: string,
    closedBy: string,
    externalState: string | null,
    message: string | null,
    tx: Queryable = this.#db,
  ): Promise<boolean> {
    const updated = await tx.query(
      `update idn_provisioning set state = $2, result = $3, closed_by = $4, closed_at = now(), next_check_at = null,
       external_state = coalesce($5, external_state), message = coalesce($6, message)
       where correlation_id = $1 and state in ('queued', 'creating')`,
      [correlationId, state, result, closedBy, externalState, message],
    )
    return updated.affectedRows === 1
  }

  /** Every state counted (zero included) and the oldest open ticket, in one query. */
  async backlog(): Promise<Backlog> {
    const { rows } = await this.#db.query<{ state: RecordState; n: number; oldest: Date | string | null }>(
      'select state, count(*)::int as n, min(created_at) as oldest from idn_provisioning group by state',
    )
    const byState = Object.fromEntries(RECORD_STATES.map((state) => [state, 0])) as Record<RecordState, number>
    let oldestOpenAt: Date | null = null
    for (const row of rows) {
      byState[row.state] = Number(row.n)
      const oldest = date(row.oldest)
      if (OPEN_STATES.includes(row.state) && oldest && (!oldestOpenAt || oldest < oldestOpenAt)) oldestOpenAt = oldest
    }
    return { byState, oldestOpenAt }
  }

  /** A page of records, newest first, of one state or integration when given. */
  async list(query: {
    state?: RecordState | undefined
    integrationId?: string | undefined
    limit: number
    offset: number
  }): Promise<{ items: ProvisioningRecord[]; total: number }> {
    const where: string[] = []
    const params: unknown[] = []
    if (query.state) where.push(`state = $${params.push(query.state)}`)
    if (query.integrationId) where.push(`integration_id = $${params.push(query.integrationId)}`)
    const clause = where.length > 0 ? `where ${where.join(' and ')}` : ''
    const total = await this.#db.query<{ n: number | string }>(
      `select count(*) as n from idn_provisioning ${clause}`,
      params,
    )
    const rows = await this.#db.query<Row>(
      `select * from idn_provisioning ${clause} order by created_at desc, correlation_id
       limit $${params.length + 1} offset $${params.length + 2}`,
      [...params, query.limit, query.offset],
    )
    return { items: rows.rows.map(fromRow), total: Number(total.rows[0]?.n ?? 0) }
  }

  async counts(): Promise<Record<string, number>> {
    const rows = await this.#db.query<{ state: string; n: number | string }>(
      'select state, count(*) as n from idn_provisioning group by state',
    )
    return Object.fromEntries(rows.rows.map((r) => [r.state, Number(r.n)]))
  }
}
