// Runs a Table API list query over the sorted stores: filter with the shared encoded-query
// evaluator, order, page. Keyset pages (`sys_id>X^ORDERBYsys_id`, the pattern experienced clients
// use on big tables) start with a binary search, evaluate only what the bound does not already
// guarantee, and stop after `limit` matches: a page of a million-row table costs O(log n + limit).
import {
  fieldsOfQuery,
  findKeysetCursor,
  matchesEncodedQuery,
  sortByOrder,
  type EncodedQuery,
  type EvaluationContext,
  type OrderBy,
  type ServiceNowRecord,
} from '../../encoded-query/index.ts'
import type { Instance, RecordRef } from '../instance/instance.ts'
import type { TableStore } from '../instance/table-store.ts'
import { recordContext } from './record-context.ts'
import { matchReferencesByDisplay } from './reference-display.ts'

export interface ListQuery {
  table: string
  query: EncodedQuery
  offset: number
  limit: number
  /** compute the total match count (X-Total-Count); costs a full pass unless the fast path knows it */
  withCount: boolean
  /** when set and the query has no ORDERBY, rows come back in a different order on every call */
  unstableOrder?: boolean
  evaluation?: Pick<EvaluationContext, 'now' | 'userSysId' | 'caseSensitive' | 'invalidQueryReturnsNoRows'>
}

export interface ListResult {
  refs: RecordRef[]
  total: number | undefined
}

interface Range {
  start: number
  end: number
  /** the query left to evaluate on rows inside the range */
  residual: EncodedQuery
  /** the range alone decides membership (the total is end - start) */
  rangeOnly: boolean
}

/** `sys_id=X` alone: a single binary search */
function exactSysId(query: EncodedQuery): string | undefined {
  const clauses = query.groups.length === 1 ? (query.groups[0]?.clauses ?? []) : []
  const term = clauses.length === 1 && clauses[0]?.terms.length === 1 ? clauses[0].terms[0] : undefined
  return term?.kind === 'condition' && term.field === 'sys_id' && term.operator === '=' ? term.value : undefined
}

function rangeOf(store: TableStore, query: EncodedQuery, strict: boolean): Range {
  const exact = strict ? undefined : exactSysId(query)
  if (exact !== undefined) {
    const i = store.indexOf(exact)
    return i < 0
      ? { start: 0, end: 0, residual: query, rangeOnly: true }
      : { start: i, end: i + 1, residual: { ...query, groups: [] }, rangeOnly: true }
  }
  const cursor = strict ? undefined : findKeysetCursor(query)
  if (!cursor) return { start: 0, end: store.size, residual: query, rangeOnly: query.groups.length === 0 }
  return {
    start: store.lowerBound(cursor.after, cursor.operator === '>'),
    end: store.size,
    residual: cursor.rest,
    rangeOnly: cursor.rest.groups.length === 0,
  }
}

const isNaturalOrder = (orderBy: readonly OrderBy[]): boolean =>
  orderBy.length === 0 || (orderBy.length === 1 && orderBy[0]?.field === 'sys_id' && !orderBy[0].descending)

/** first hops of the fields a query reads, limited to known columns (a present key counts as known) */
function copiedFields(instance: Instance, table: string, query: EncodedQuery): string[] {
  const fields = instance.table(table).fields
  return [...new Set(fieldsOfQuery(query).map((f) => f.split('.')[0] as string))].filter((f) => fields.has(f))
}

export function executeList(instance: Instance, q: ListQuery): ListResult {
  const t = instance.table(q.table)
  const store = instance.storeOf(t)
  const classes = t.root === t.name ? undefined : new Set(instance.schema.descendants(t.name))
  const ctx = recordContext(instance, q.table, q.evaluation)
  // with invalidQueryReturnsNoRows the whole query must reach the evaluator
  const query = matchReferencesByDisplay(instance.schema, q.table, q.query)
  const range = rangeOf(store, query, q.evaluation?.invalidQueryReturnsNoRows === true)
  const fields = copiedFields(instance, q.table, range.residual)
  const hasConditions = range.residual.groups.length > 0
  const scratch: Record<string, string> = {}

  const matches = (row: string[]): boolean => {
    if (classes && !classes.has(instance.classOf(store, row))) return false
    if (!hasConditions) return true
    for (const f of fields) scratch[f] = store.value(row, f)
    return matchesEncodedQuery(range.residual, scratch as ServiceNowRecord, ctx)
  }
  const refOf = (row: string[]): RecordRef => ({ table: instance.classOf(store, row), store, row })

  if (isNaturalOrder(q.query.orderBy) && !(q.unstableOrder && q.query.orderBy.length === 0)) {
    const refs: RecordRef[] = []
    let skipped = 0
    let seen = 0
    const countFast = q.withCount && !classes && range.rangeOnly
    for (let i = range.start; i < range.end; i++) {
      const row = store.at(i) as string[]
      if (!matches(row)) continue
      seen++
      if (skipped < q.offset) {
        skipped++
        continue
      }
      if (refs.length < q.limit) refs.push(refOf(row))
      else if (!q.withCount || countFast) break
    }
    const total = !q.withCount ? undefined : countFast ? range.end - range.start : seen
    return { refs, total }
  }

  let rows: string[][] = []
  for (let i = range.start; i < range.end; i++) {
    const row = store.at(i) as string[]
    if (matches(row)) rows.push(row)
  }
  if (q.query.orderBy.length === 0) shuffle(rows)
  else rows = sortRows(instance, q.table, store, rows, q.query.orderBy, ctx)
  return {
    refs: rows.slice(q.offset, q.offset + q.limit).map(refOf),
    total: q.withCount ? rows.length : undefined,
  }
}

/** ORDERBY with the shared comparator: each row is decorated once with the values it sorts on */
function sortRows(
  instance: Instance,
  table: string,
  store: TableStore,
  rows: string[][],
  orderBy: readonly OrderBy[],
  ctx: EvaluationContext,
): string[][] {
  const known = instance.table(table).fields
  const keys = [...new Set(orderBy.map((o) => o.field.split('.')[0] as string))].filter((f) => known.has(f))
  const rowOf = new Map<ServiceNowRecord, string[]>()
  const records = rows.map((row) => {
    const record: Record<string, string> = {}
    for (const k of keys) record[k] = store.value(row, k)
    rowOf.set(record, row)
    return record
  })
  return sortByOrder(records, orderBy, ctx).map((r) => rowOf.get(r) as string[])
}

/** Fisher-Yates: the "no ORDERBY means no order" fault */
function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    const tmp = items[i] as T
    items[i] = items[j] as T
    items[j] = tmp
  }
}
