// Reading a table through the Table API as an async iterable of pages, each with a cursor that
// resumes after it.
// - Full scans page by keyset on sys_id (`sys_id>last^ORDERBYsys_id`), never by offset, which
//   duplicates and skips rows when the table changes or has no stable order.
// - Large tables are scanned in parallel sys_id ranges, as many at a time as the instance's
//   concurrency limit allows.
// - Deltas follow (sys_updated_on, sys_id): first the rest of the current second after the last
//   sys_id, then the later seconds; rows sharing a second are neither skipped nor repeated. Both
//   stop at the server's time minus a safety lag (at least a second: the current one is still
//   open) so rows still being committed are not passed by.
// - Only an empty page ends a scan: ACLs are applied after the limit, so short pages mean nothing.
// - A page that comes back truncated or cancelled is asked again at half the size.
import type { Page } from '../../../core/connector/contract.ts'
import { ServiceNowErrors } from '../errors.ts'
import { decodeState, decodeWatermark, encodeState, encodeWatermark, glideDateTime } from './cursor.ts'
import type { DeltaState, ScanPartition, ScanState, Watermark } from './cursor.ts'
import { PageChannel } from './page-channel.ts'
import { assertName, combine, condition } from './query.ts'
import { PageTooLargeError } from './transport.ts'
import type { ClientLogger } from './options.ts'
import type { Transport } from './transport.ts'

export type SnRecord = Record<string, unknown> & { sys_id: string }

export interface TableReadOptions {
  /** columns to fetch (sys_id and sys_updated_on are always added); all columns when absent */
  fields?: readonly string[]
  /** an encoded query; its ORDERBY terms are replaced by the reader's own order */
  filter?: string
  /** resume after the page that handed out this cursor */
  cursor?: string | null
  /** read only rows changed after this watermark (from a previous read's pages) */
  since?: string | null
  /** sys_id partitions of a full scan; by default the concurrency limit for tables above the threshold, else 1 */
  partitions?: number
  /** rows per page when below the connection's page size (a preview of a few rows asks for no more) */
  pageSize?: number
  signal?: AbortSignal
}

export interface TableReaderSettings {
  pageSize: number
  minPageSize: number
  partitionThreshold: number
  countTimeoutMs: number
  deltaSafetyLagSeconds: number
  countRows(table: string, filter: string | undefined, signal?: AbortSignal): Promise<number>
  /** the client's own user, whose writes deltas leave out; undefined: deltas read every change */
  ownUser?: () => string | undefined
  logger?: ClientLogger
}

/** The page size of one read: halves when a page is too large for the instance to answer. */
class PageSizer {
  size: number
  readonly #min: number
  constructor(size: number, min: number) {
    this.size = size
    this.#min = Math.min(min, size)
  }
  /** false when the page cannot get smaller */
  shrink(used: number): boolean {
    if (this.size < used) return true // another partition already shrank it
    if (used <= this.#min) return false
    this.size = Math.max(this.#min, Math.floor(used / 2))
    return true
  }
}

/** sys_id range bounds splitting the 32-bit prefix space evenly: n-1 bounds for n partitions. */
export function partitionBounds(n: number): string[] {
  const bounds: string[] = []
  for (let i = 1; i < n; i++) {
    bounds.push(
      Math.floor((i * 2 ** 32) / n)
        .toString(16)
        .padStart(8, '0') + '0'.repeat(24),
    )
  }
  return bounds
}

function initialPartitions(n: number): ScanPartition[] {
  const bounds = partitionBounds(n)
  return Array.from({ length: n }, (_, i) => ({
    ...(i > 0 ? { lo: bounds[i - 1] } : {}),
    ...(i < n - 1 ? { hi: bounds[i] } : {}),
    done: false,
  }))
}

function partitionConditions(part: ScanPartition): string[] {
  const conditions: string[] = []
  if (part.after !== undefined) conditions.push(condition('sys_id', '>', part.after))
  else if (part.lo !== undefined) conditions.push(condition('sys_id', '>=', part.lo))
  if (part.hi !== undefined) conditions.push(condition('sys_id', '<', part.hi))
  return conditions
}

/** answers of the Aggregate API that mean "no count here", not "nothing works" */
const COUNT_REFUSED = [
  ServiceNowErrors.FORBIDDEN,
  ServiceNowErrors.NOT_FOUND,
  ServiceNowErrors.REQUEST_REJECTED,
  ServiceNowErrors.UNEXPECTED_RESPONSE,
]

export class TableReader {
  readonly #transport: Transport
  readonly #settings: TableReaderSettings

  constructor(transport: Transport, settings: TableReaderSettings) {
    this.#transport = transport
    this.#settings = settings
  }

  read(table: string, options: TableReadOptions = {}): AsyncIterable<Page<SnRecord>> {
    assertName(table)
    const fields = options.fields ? fieldList(options.fields) : undefined
    combine(options.filter, []) // a malformed filter fails here, before any request
    return this.#pages(table, fields, options)
  }

  async *#pages(table: string, fields: string | undefined, options: TableReadOptions): AsyncGenerator<Page<SnRecord>> {
    const { filter, signal } = options
    const size =
      options.pageSize === undefined
        ? this.#settings.pageSize
        : Math.max(1, Math.min(Math.floor(options.pageSize), this.#settings.pageSize))
    if (options.cursor) {
      const state = decodeState(options.cursor)
      if (state.kind === 'scan') yield* this.#scan(table, fields, filter, state, signal, size)
      else yield* this.#delta(table, fields, filter, state, signal, size)
      return
    }
    if (options.since) {
      const at = decodeWatermark(options.since)
      const to = glideDateTime((await this.#serverNow(table, signal)) - this.#settings.deltaSafetyLagSeconds * 1000)
      yield* this.#delta(table, fields, filter, { kind: 'delta', phase: 'same', at, to }, signal, size)
      return
    }
    const partitions = options.partitions ?? (await this.#partitionsFor(table, filter, signal))
    // the next delta starts a safety lag before this scan began, so changes made during it are read again
    const start = (await this.#serverNow(table, signal)) - this.#settings.deltaSafetyLagSeconds * 1000
    const watermark: Watermark = { ts: glideDateTime(start), id: '' }
    const state: ScanState = { kind: 'scan', parts: initialPartitions(Math.max(1, partitions)), watermark }
    yield* this.#scan(table, fields, filter, state, signal, size)
  }

  /**
   * Partitions for a full scan: the concurrency limit when the Aggregate API counts at least the
   * threshold, else one. A count that takes longer than countTimeoutMs means a large table (the
   * count itself is a scan on the instance); a count the Aggregate API refuses (no stats ACL, no
   * such API) means one partition. Any other failure (credentials, network, the instance down)
   * would fail the read too: it ends the read now rather than after another round of requests.
   */
  async #partitionsFor(table: string, filter: string | undefined, signal: AbortSignal | undefined): Promise<number> {
    const timeout = AbortSignal.timeout(this.#settings.countTimeoutMs)
    const countSignal = signal ? AbortSignal.any([signal, timeout]) : timeout
    const rows = await this.#settings.countRows(table, filter, countSignal).catch((error: unknown) => {
      if (signal?.aborted) throw error
      if (timeout.aborted) return Number.POSITIVE_INFINITY
      if (COUNT_REFUSED.some((refusal) => error instanceof refusal)) return 0
      throw error
    })
    return rows >= this.#settings.partitionThreshold ? this.#transport.concurrency : 1
  }

  async *#scan(
    table: string,
    fields: string | undefined,
    filter: string | undefined,
    state: ScanState,
    signal: AbortSignal | undefined,
    pageSize: number,
  ): AsyncGenerator<Page<SnRecord>> {
    const watermark = encodeWatermark(state.watermark)
    const pending = state.parts.flatMap((part, index) => (part.done ? [] : [index]))
    if (pending.length === 0) {
      yield { records: [], cursor: null, watermark }
      return
    }
    const sizer = new PageSizer(pageSize, this.#settings.minPageSize)
    const stop = new AbortController()
    const onAbort = () => stop.abort(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    // a signal aborted already fires no event: without this, a read cancelled before it began
    // (a graph-rule read between two tables) would fetch every page
    if (signal?.aborted) onAbort()
    // one page waiting at most: with more, pages of all partitions pile up while the consumer
    // works, survive young collections, and the old generation (RSS) grows with the table
    const channel = new PageChannel<{ index: number; records: SnRecord[] }>(1)
    let next = 0
    const worker = async () => {
      while (next < pending.length) {
        const index = pending[next++] as number
        const part = { ...(state.parts[index] as ScanPartition) }
        for (;;) {
          const query = combine(filter, partitionConditions(part), ['sys_id'])
          const records = await this.#fetch(table, fields, query, sizer, stop.signal)
          const last = records.at(-1)
          if (last && part.after !== undefined && last.sys_id <= part.after) {
            throw new ServiceNowErrors.UNEXPECTED_RESPONSE(
              'GET',
              table,
              'rows not ordered by sys_id (keyset paging would loop)',
            )
          }
          await channel.push({ index, records })
          if (!last || stop.signal.aborted) break
          part.after = last.sys_id
        }
      }
    }
    const workers = Math.min(pending.length, this.#transport.concurrency)
    Promise.all(Array.from({ length: workers }, worker)).then(
      () => channel.close(),
      (error: unknown) => channel.fail(error),
    )
    try {
      for (;;) {
        const item = await channel.pull()
        if (!item) return
        const part = state.parts[item.index] as ScanPartition
        const last = item.records.at(-1)
        if (last) part.after = last.sys_id
        else part.done = true
        const complete = state.parts.every((p) => p.done)
        if (!last && !complete) continue
        yield { records: item.records, cursor: complete ? null : encodeState(state), watermark }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort)
      stop.abort()
      channel.close()
    }
  }

  async *#delta(
    table: string,
    fields: string | undefined,
    filter: string | undefined,
    state: DeltaState,
    signal: AbortSignal | undefined,
    pageSize: number,
  ): AsyncGenerator<Page<SnRecord>> {
    const sizer = new PageSizer(pageSize, this.#settings.minPageSize)
    // the hub's own writes are left out: the engine learns of an edit made between its read and
    // its write from the write's answer, and queues that record itself
    const own = this.#settings.ownUser?.()
    const notOwn = own ? [condition('sys_updated_by', '!=', own)] : []
    for (;;) {
      const { at } = state
      if (state.phase === 'same') {
        // bounded at `to` like the later seconds: a watermark in a second that is still open
        // (newer than `to`) is read by a later delta, when that second is over, not now
        const conditions = [condition('sys_updated_on', '=', at.ts), condition('sys_updated_on', '<=', state.to)]
        if (at.id !== '') conditions.push(condition('sys_id', '>', at.id))
        conditions.push(...notOwn)
        const records = await this.#fetch(table, fields, combine(filter, conditions, ['sys_id']), sizer, signal)
        const last = records.at(-1)
        if (!last) {
          state.phase = 'after'
          continue
        }
        state.at = { ts: at.ts, id: last.sys_id }
        yield { records, cursor: encodeState(state), watermark: encodeWatermark(state.at) }
      } else {
        const conditions = [
          condition('sys_updated_on', '>', at.ts),
          condition('sys_updated_on', '<=', state.to),
          ...notOwn,
        ]
        const query = combine(filter, conditions, ['sys_updated_on', 'sys_id'])
        const records = await this.#fetch(table, fields, query, sizer, signal)
        const last = records.at(-1)
        if (!last) {
          // nothing (of anyone else's) up to `to`: the next delta starts there, not back at the
          // last row read, so it does not walk the hub's own writes again
          yield { records: [], cursor: null, watermark: encodeWatermark(later(at, state.to)) }
          return
        }
        const ts = last.sys_updated_on
        if (typeof ts !== 'string' || ts <= at.ts) {
          throw new ServiceNowErrors.UNEXPECTED_RESPONSE('GET', table, 'rows not ordered by sys_updated_on')
        }
        // later rows of the last row's second come in the next 'same' phase
        state.at = { ts, id: last.sys_id }
        state.phase = 'same'
        yield { records, cursor: encodeState(state), watermark: encodeWatermark(state.at) }
      }
    }
  }

  async #fetch(
    table: string,
    fields: string | undefined,
    query: string,
    sizer: PageSizer,
    signal: AbortSignal | undefined,
  ): Promise<SnRecord[]> {
    for (;;) {
      const limit = sizer.size
      try {
        const res = await this.#transport.request({
          method: 'GET',
          path: `/api/now/table/${table}`,
          query: {
            sysparm_query: query,
            sysparm_fields: fields,
            sysparm_limit: limit,
            sysparm_display_value: 'false',
            sysparm_exclude_reference_link: 'true',
            sysparm_no_count: 'true',
            sysparm_suppress_pagination_header: 'true',
          },
          idempotent: true,
          shrinkablePage: true,
          ...(signal ? { signal } : {}),
        })
        return resultRows(table, res.body)
      } catch (error) {
        if (!(error instanceof PageTooLargeError)) throw error
        if (!sizer.shrink(limit)) throw error.cause
        this.#settings.logger?.warn(
          { table, from: limit, to: sizer.size, code: error.cause.code },
          'servicenow page size reduced',
        )
      }
    }
  }

  async #serverNow(table: string, signal: AbortSignal | undefined): Promise<number> {
    const known = this.#transport.serverNow()
    if (known !== undefined) return known
    // one tiny request to learn the instance's clock
    await this.probe(table, signal)
    return this.#transport.serverNow() ?? Date.now()
  }

  /** Reads one sys_id of the table: fails unless the table exists and the user may read it. */
  async probe(table: string, signal?: AbortSignal): Promise<void> {
    await this.#transport.request({
      method: 'GET',
      path: `/api/now/table/${assertName(table)}`,
      query: {
        // ordered, as every list request of this client: without an order an instance may sort
        // the whole table its own way, and answers differ from one call to the next
        sysparm_query: 'ORDERBYsys_id',
        sysparm_limit: 1,
        sysparm_fields: 'sys_id',
        sysparm_no_count: 'true',
        sysparm_suppress_pagination_header: 'true',
      },
      idempotent: true,
      ...(signal ? { signal } : {}),
    })
  }
}

/** The later of a watermark and the start of the second `ts` (a watermark never goes back). */
function later(at: Watermark, ts: string): Watermark {
  return ts > at.ts ? { ts, id: '' } : at
}

function fieldList(fields: readonly string[]): string {
  const all = new Set(['sys_id', 'sys_updated_on'])
  for (const field of fields) all.add(assertName(field))
  return [...all].join(',')
}

export function resultRows(table: string, body: unknown): SnRecord[] {
  const result = (body as { result?: unknown } | undefined)?.result
  if (!Array.isArray(result)) throw new ServiceNowErrors.UNEXPECTED_RESPONSE('GET', table, 'no result array')
  for (const row of result as unknown[]) {
    if (typeof (row as { sys_id?: unknown } | null)?.sys_id !== 'string') {
      throw new ServiceNowErrors.UNEXPECTED_RESPONSE('GET', table, 'a row without sys_id')
    }
  }
  return result as SnRecord[]
}
