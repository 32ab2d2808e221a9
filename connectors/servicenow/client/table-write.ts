// Creating, updating and deleting records through the Table API, one record per call, a result
// per record, at most `concurrency` calls at once. A create that carries a correlation value
// (e.g. correlation_id = the source id) is safe to retry: before a POST is sent again, the record
// is looked up by that value, so a POST that did land is not repeated.
import { ServiceNowErrors, isServiceNowError } from '../errors.ts'
import { mapBounded } from '../../../core/http/limiter.ts'
import { assertName, combine, condition } from './query.ts'
import { resultRows } from './table-read.ts'
import type { SnRecord } from './table-read.ts'
import type { SnResponse, Transport } from './transport.ts'

export interface Correlation {
  field: string
  value: string
}

export type WriteChange =
  | { op: 'create'; key: string; values: Record<string, unknown>; correlation?: Correlation }
  | { op: 'update'; key: string; sysId: string; values: Record<string, unknown> }
  | { op: 'delete'; key: string; sysId: string }

export interface WriteResult {
  key: string
  ok: boolean
  sysId?: string
  /** the create found the record an earlier attempt had made */
  reused?: boolean
  /** the delete found nothing to delete */
  absent?: boolean
  /** an update's answer: the whole record as it is now */
  record?: SnRecord
  error?: { code: string; message: string; retryable: boolean; snMessage?: string; snDetail?: string }
}

const WRITE_PARAMS = { sysparm_exclude_reference_link: 'true', sysparm_display_value: 'false' }

function singleRecord(action: string, table: string, body: unknown): SnRecord {
  const result = (body as { result?: unknown } | undefined)?.result
  if (typeof (result as { sys_id?: unknown } | null | undefined)?.sys_id !== 'string') {
    throw new ServiceNowErrors.WRITE_FAILED(action, table, 'the answer has no result.sys_id')
  }
  return result as SnRecord
}

export class TableWriter {
  readonly #transport: Transport
  #ownUser: string | undefined

  constructor(transport: Transport) {
    this.#transport = transport
  }

  /** The user the instance records as the author of this client's writes (sys_created_by of a record it created). */
  get ownUser(): string | undefined {
    return this.#ownUser
  }

  async get(
    table: string,
    sysId: string,
    fields?: readonly string[],
    signal?: AbortSignal,
  ): Promise<SnRecord | undefined> {
    try {
      const res = await this.#transport.request({
        method: 'GET',
        path: `/api/now/table/${assertName(table)}/${assertName(sysId)}`,
        query: { ...WRITE_PARAMS, ...(fields ? { sysparm_fields: fields.map(assertName).join(',') } : {}) },
        idempotent: true,
        ...(signal ? { signal } : {}),
      })
      return singleRecord('read', table, res.body)
    } catch (error) {
      if (error instanceof ServiceNowErrors.NOT_FOUND) return undefined
      throw error
    }
  }

  /** The one record whose `field` equals `value`; undefined if none, an error if several. */
  async findOne(table: string, field: string, value: string, signal?: AbortSignal): Promise<SnRecord | undefined> {
    const res = await this.#transport.request({
      method: 'GET',
      path: `/api/now/table/${assertName(table)}`,
      query: {
        ...WRITE_PARAMS,
        sysparm_query: combine(undefined, [condition(field, '=', value)], ['sys_id']),
        sysparm_limit: 2,
        sysparm_no_count: 'true',
        sysparm_suppress_pagination_header: 'true',
      },
      idempotent: true,
      ...(signal ? { signal } : {}),
    })
    const rows = resultRows(table, res.body)
    if (rows.length > 1) throw new ServiceNowErrors.DUPLICATE_CORRELATION(table, field, value)
    return rows[0]
  }

  async create(
    table: string,
    values: Record<string, unknown>,
    options: { correlation?: Correlation; signal?: AbortSignal } = {},
  ): Promise<{ record: SnRecord; reused: boolean }> {
    const { correlation, signal } = options
    const body = correlation ? { ...values, [assertName(correlation.field)]: correlation.value } : values
    let reused = false
    const beforeResend = correlation
      ? async (): Promise<SnResponse | undefined> => {
          const found = await this.findOne(table, correlation.field, correlation.value, signal)
          if (!found) return undefined
          reused = true
          return { status: 200, headers: {}, body: { result: found } }
        }
      : undefined
    const res = await this.#transport.request({
      method: 'POST',
      path: `/api/now/table/${assertName(table)}`,
      query: WRITE_PARAMS,
      body,
      idempotent: false,
      ...(beforeResend ? { beforeResend } : {}),
      ...(signal ? { signal } : {}),
    })
    const record = singleRecord('create', table, res.body)
    const author = record.sys_created_by
    if (!reused && typeof author === 'string' && author !== '') this.#ownUser = author
    return { record, reused }
  }

  async update(table: string, sysId: string, values: Record<string, unknown>, signal?: AbortSignal): Promise<SnRecord> {
    const res = await this.#transport.request({
      method: 'PATCH',
      path: `/api/now/table/${assertName(table)}/${assertName(sysId)}`,
      query: WRITE_PARAMS,
      body: values,
      idempotent: true,
      ...(signal ? { signal } : {}),
    })
    return singleRecord('update', table, res.body)
  }

  /** true when deleted, false when there was nothing to delete (404: already gone, or a retry of a delete that landed). */
  async delete(table: string, sysId: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#transport.request({
        method: 'DELETE',
        path: `/api/now/table/${assertName(table)}/${assertName(sysId)}`,
        idempotent: true,
        ...(signal ? { signal } : {}),
      })
      return true
    } catch (error) {
      if (error instanceof ServiceNowErrors.NOT_FOUND) return false
      throw error
    }
  }

  /** Applies changes with at most `concurrency` in flight; never throws for one record's failure. */
  apply(
    table: string,
    changes: readonly WriteChange[],
    concurrency: number,
    signal?: AbortSignal,
  ): Promise<WriteResult[]> {
    return mapBounded(changes, concurrency, async (change): Promise<WriteResult> => {
      try {
        if (change.op === 'create') {
          const { record, reused } = await this.create(table, change.values, {
            ...(change.correlation ? { correlation: change.correlation } : {}),
            ...(signal ? { signal } : {}),
          })
          return { key: change.key, ok: true, sysId: record.sys_id, ...(reused ? { reused } : {}) }
        }
        if (change.op === 'update') {
          const record = await this.update(table, change.sysId, change.values, signal)
          return { key: change.key, ok: true, sysId: record.sys_id, record }
        }
        const deleted = await this.delete(table, change.sysId, signal)
        return { key: change.key, ok: true, sysId: change.sysId, ...(deleted ? {} : { absent: true }) }
      } catch (error) {
        if (signal?.aborted) throw error
        return { key: change.key, ok: false, error: describeError(error) }
      }
    })
  }
}

function describeError(error: unknown): NonNullable<WriteResult['error']> {
  if (isServiceNowError(error)) {
    return {
      code: error.code,
      message: error.message,
      retryable: error.retryable ?? false,
      ...(error.snMessage !== undefined ? { snMessage: error.snMessage } : {}),
      ...(error.snDetail !== undefined ? { snDetail: error.snDetail } : {}),
    }
  }
  const e = error as { code?: unknown; message?: unknown }
  return {
    code: typeof e.code === 'string' ? e.code : 'CW_SN_WRITE_FAILED',
    message: typeof e.message === 'string' ? e.message : String(error),
    retryable: false,
  }
}
