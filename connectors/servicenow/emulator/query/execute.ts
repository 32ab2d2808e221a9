// Runs a Table API list query over the sorted stores: filter with the shared encoded-query
// evaluator, order, page. Keyset pages (`sys_id>X^ORDERBYsys_id`, the pattern experienced clients
// use on big tables, with a `sys_id<Y` upper bound when the key space is read in partitions)
// start with binary searches, evaluate only what the bounds do not already guarantee, and stop
// after `limit` matches: a page of a million-row table costs O(log n + limit), and so does its
// last, empty page.
import {
  fieldsOfQuery,
  findKeysetCursor,
  listItems,
  matchesEncodedQuery,
  sortByOrder,
  type Condition,
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

/**
 * A value the store's plain string order compares like the evaluator does: a GUID as the platform
 * makes them (the evaluator folds case and compares all-digit values as numbers).
 */
const SYS_ID_VALUE = /^[0-9a-f]{32}$/

/**
 * System time columns an instance's database indexes: a delta's "rest of this second" page
 * (`sys_updated_on=<second>^sys_id>X^ORDERBYsys_id`) is answered from them, not by testing every
 * row after X. Only the canonical form the store keeps qualifies, so the index finds every row
 * the evaluator would.
 */
const INDEXED_TIMES = new Set(['sys_updated_on', 'sys_created_on'])
const GLIDE_TIME_VALUE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/**
 * A top-level `sys_id<X` / `sys_id<=X` of a single-group query (every match must satisfy it): the
 * upper end of a partitioned keyset scan (`sys_id>=lo^sys_id<hi`), which the store answers with
 * one more binary search instead of testing every row up to the end of the table.
 */
function upperBound(query: EncodedQuery): { before: string; inclusive: boolean; rest: EncodedQuery } | undefined {
  if (query.groups.length !== 1) return undefined
  const clauses = query.groups[0]?.clauses ?? []
  const index = clauses.findIndex((clause) => {
    const term = clause.terms.length === 1 ? clause.terms[0] : undefined
    return (
      term?.kind === 'condition' &&
      term.field === 'sys_id' &&
      (term.operator === '<' || term.operator === '<=') &&
      SYS_ID_VALUE.test(term.value)
    )
  })
  if (index < 0) return undefined
  const bound = clauses[index]?.terms[0] as Condition
  const remaining = clauses.filter((_, i) => i !== index)
  return {
    before: bound.value,
    inclusive: bound.operator === '<=',
    rest: { ...query, groups: remaining.length === 0 ? [] : [{ kind: 'group', clauses: remaining }] },
  }
}

function rangeOf(store: TableStore, query: EncodedQuery, strict: boolean): Range {
  const exact = strict ? undefined : exactSysId(query)
  if (exact !== undefined) {
    const i = store.indexOf(exact)
    return i < 0
      ? { start: 0, end: 0, residual: query, rangeOnly: true }
      : { start: i, end: i + 1, residual: { ...query, groups: [] }, rangeOnly: true }
  }
  if (strict) return { start: 0, end: store.size, residual: query, rangeOnly: query.groups.length === 0 }
  // a bound is answered by the store's plain string order only when it is a GUID; any other value
  // (`sys_id>B`) goes to the evaluator, which folds case
  const found = findKeysetCursor(query)
  const cursor = found && SYS_ID_VALUE.test(found.after) ? found : undefined
  const afterLower = cursor ? cursor.rest : query
  const upper = upperBound(afterLower)
  const residual = upper ? upper.rest : afterLower
  const start = cursor ? store.lowerBound(cursor.after, cursor.operator === '>') : 0
  const end = upper ? store.lowerBound(upper.before, upper.inclusive) : store.size
  return { start, end: Math.max(start, end), residual, rangeOnly: residual.groups.length === 0 }
}

/**
 * The rows of the range that a top-level `ref=<sys_id>` or `refIN<sys_ids>` on a reference field
 * (or on sys_id itself), or `sys_updated_on=<time>`, allows (every match must satisfy it), in store order, from the store's
 * index on that column: what a real instance answers from its database index instead of reading
 * the table. Of several such terms the one with the fewest rows is taken (`type=<one type>` holds
 * most of cmdb_rel_ci; `childIN<500 ids>` a few rows each). Only exact sys_ids qualify, so the
 * index's lowercased equality finds every row the evaluator would; the whole query is still
 * evaluated on each.
 */
function indexedCandidates(instance: Instance, table: string, store: TableStore, range: Range): number[] | undefined {
  if (range.residual.groups.length !== 1) return undefined
  const fields = instance.table(table).fields
  let best: { field: string; values: string[]; rows: number } | undefined
  for (const clause of range.residual.groups[0]?.clauses ?? []) {
    const term = clause.terms.length === 1 ? clause.terms[0] : undefined
    if (term?.kind !== 'condition' || (term.operator !== '=' && term.operator !== 'IN')) continue
    const values = term.operator === 'IN' ? listItems(term.value) : [term.value]
    if (INDEXED_TIMES.has(term.field)) {
      if (!values.every((v) => GLIDE_TIME_VALUE.test(v))) continue
    } else {
      if (term.field !== 'sys_id' && fields.get(term.field)?.type !== 'reference') continue
      if (!values.every((v) => SYS_ID_VALUE.test(v))) continue
    }
    const rows = store.countWith(term.field, values)
    if (rows !== undefined && (!best || rows < best.rows)) best = { field: term.field, values, rows }
  }
  if (!best) return undefined
  const positions: number[] = []
  for (const row of store.rowsWith(best.field, best.values) ?? []) {
    const at = store.indexOf(row[0] as string)
    if (at >= range.start && at < range.end) positions.push(at)
  }
  return positions.sort((a, b) => a - b)
}

/**
 * The top-level `field!=value` terms of a single-group query (every match must satisfy them) on
 * plain columns, as [column index, value]: a row holding exactly that value fails the query,
 * whatever else it holds, so it is dropped before the evaluator copies and tests it. A delta
 * read's `sys_updated_by!=<the hub's user>` walks every row the hub wrote; a database answers
 * that from its index, the emulator from this one string comparison per row. Values the
 * evaluator would rewrite first (`javascript:`, `NULL`, empty) and references (matched by
 * display value too) keep the evaluator's path.
 */
function exclusions(
  instance: Instance,
  table: string,
  store: TableStore,
  query: EncodedQuery,
): Array<[number, string]> {
  if (query.groups.length !== 1) return []
  const fields = instance.table(table).fields
  const out: Array<[number, string]> = []
  for (const clause of query.groups[0]?.clauses ?? []) {
    const term = clause.terms.length === 1 ? clause.terms[0] : undefined
    if (term?.kind !== 'condition' || term.operator !== '!=') continue
    const { field, value } = term
    if (value === '' || value === 'NULL' || value.startsWith('javascript:')) continue
    const type = fields.get(field)?.type
    if (type === undefined || type === 'reference') continue
    const column = store.columns.get(field)
    if (column !== undefined) out.push([column, value])
  }
  return out
}

const isNaturalOrder = (orderBy: readonly OrderBy[]): boolean =>
  orderBy.length === 0 || (orderBy.length === 1 && orderBy[0]?.field === 'sys_id' && !orderBy[0].descending)

/** first hops of the fields a query reads, limited to known columns (a present key counts as known) */
function copiedFields(instance: Instance, table: string, query: EncodedQuery): string[] {
  const fields = instance.table(table).fields
  return [...new Set(fieldsOfQuery(query).map((f) => f.split('.')[0] as string))].filter((f) => fields.has(f))
}

/** The matcher of one query over its store: the row range to visit and a test for rows inside it. */
function planQuery(
  instance: Instance,
  table: string,
  query: EncodedQuery,
  evaluation: ListQuery['evaluation'],
): {
  store: TableStore
  range: Range
  /** the positions inside the range an index allows, ascending; undefined: all of the range */
  candidates: number[] | undefined
  /** the table is a class below its hierarchy's root: rows of other classes share the store */
  classFiltered: boolean
  matches: (row: string[]) => boolean
  ctx: EvaluationContext
} {
  const t = instance.table(table)
  const store = instance.storeOf(t)
  const classes = t.root === t.name ? undefined : new Set(instance.schema.descendants(t.name))
  const ctx = recordContext(instance, table, evaluation)
  // with invalidQueryReturnsNoRows the whole query must reach the evaluator
  const resolved = matchReferencesByDisplay(instance.schema, table, query)
  const range = rangeOf(store, resolved, evaluation?.invalidQueryReturnsNoRows === true)
  const fields = copiedFields(instance, table, range.residual)
  const hasConditions = range.residual.groups.length > 0
  // a term the evaluator refuses, or a malformed related-list / join term, fails the query even
  // when no row is there to evaluate it on
  if (hasConditions) matchesEncodedQuery(range.residual, {}, ctx)
  const scratch: Record<string, string> = {}
  const excluded = exclusions(instance, table, store, range.residual)
  const matches = (row: string[]): boolean => {
    if (classes && !classes.has(instance.classOf(store, row))) return false
    if (!hasConditions) return true
    for (const [column, value] of excluded) if (row[column] === value) return false
    for (const f of fields) scratch[f] = store.value(row, f)
    return matchesEncodedQuery(range.residual, scratch as ServiceNowRecord, ctx)
  }
  const candidates = indexedCandidates(instance, table, store, range)
  return { store, range, candidates, classFiltered: classes !== undefined, matches, ctx }
}

/** Visits the positions of a plan in store order until `visit` returns false. */
function eachPosition(range: Range, candidates: number[] | undefined, visit: (at: number) => boolean | void): void {
  if (candidates) {
    for (const at of candidates) if (visit(at) === false) return
  } else for (let at = range.start; at < range.end; at++) if (visit(at) === false) return
}

/**
 * How many rows match (the Aggregate API's count): O(log n) when sys_id bounds alone decide, else
 * one pass over the bounded range without building any result.
 */
export function countMatches(
  instance: Instance,
  table: string,
  query: EncodedQuery,
  evaluation?: ListQuery['evaluation'],
): number {
  const { store, range, candidates, classFiltered, matches } = planQuery(instance, table, query, evaluation)
  if (range.rangeOnly && !classFiltered) return range.end - range.start
  let count = 0
  eachPosition(range, candidates, (at) => {
    if (matches(store.at(at) as string[])) count++
  })
  return count
}

export function executeList(instance: Instance, q: ListQuery): ListResult {
  const { store, range, candidates, classFiltered, matches, ctx } = planQuery(instance, q.table, q.query, q.evaluation)
  const refOf = (row: string[]): RecordRef => ({ table: instance.classOf(store, row), store, row })

  if (isNaturalOrder(q.query.orderBy) && !(q.unstableOrder && q.query.orderBy.length === 0)) {
    const refs: RecordRef[] = []
    let skipped = 0
    let seen = 0
    const countFast = q.withCount && !classFiltered && range.rangeOnly
    eachPosition(range, candidates, (at) => {
      const row = store.at(at) as string[]
      if (!matches(row)) return true
      seen++
      if (skipped < q.offset) {
        skipped++
        return true
      }
      if (refs.length < q.limit) refs.push(refOf(row))
      else if (!q.withCount || countFast) return false
      return true
    })
    const total = !q.withCount ? undefined : countFast ? range.end - range.start : seen
    return { refs, total }
  }

  const ordered = orderedByDateTime(instance, q, store, range, candidates)
  if (ordered) {
    const refs: RecordRef[] = []
    let seen = 0
    for (let at = ordered.start; at < ordered.rows.length; at++) {
      const row = ordered.rows[at] as string[]
      if (!matches(row)) continue
      seen++
      if (seen > q.offset && refs.length < q.limit) refs.push(refOf(row))
      else if (refs.length === q.limit && !q.withCount) break
    }
    return { refs, total: q.withCount ? seen : undefined }
  }

  let rows: string[][] = []
  eachPosition(range, candidates, (at) => {
    const row = store.at(at) as string[]
    if (matches(row)) rows.push(row)
  })
  if (q.query.orderBy.length === 0) shuffle(rows)
  else rows = sortRows(instance, q.table, store, rows, q.query.orderBy, ctx)
  return {
    refs: rows.slice(q.offset, q.offset + q.limit).map(refOf),
    total: q.withCount ? rows.length : undefined,
  }
}

const GLIDE_DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/**
 * A query ordered ascending by a date-time column (then, optionally, sys_id) with a lower bound
 * on it (`col>X`, `col>=X`, `col=X`), as a delta read asks: the store's rows in that column's
 * order from the bound on, instead of every match of the table sorted for each page. The text of
 * a stored date-time sorts as its value, ties stay in sys_id order, and rows with no value are
 * never inside a lower bound. Every row is still tested with the whole query.
 */
function orderedByDateTime(
  instance: Instance,
  q: ListQuery,
  store: TableStore,
  range: Range,
  candidates: number[] | undefined,
): { rows: readonly string[][]; start: number } | undefined {
  const [first, second, ...more] = q.query.orderBy
  if (!first || first.descending || more.length > 0) return undefined
  if (second && (second.field !== 'sys_id' || second.descending)) return undefined
  const column = first.field
  if (instance.table(q.table).fields.get(column)?.type !== 'glide_date_time') return undefined
  // sys_id bounds and index look-ups narrow by another order; those keep the general path
  if (candidates || range.start !== 0 || range.end !== store.size || range.residual.groups.length !== 1)
    return undefined
  let bound: { value: string; inclusive: boolean } | undefined
  for (const clause of range.residual.groups[0]?.clauses ?? []) {
    const term = clause.terms.length === 1 ? clause.terms[0] : undefined
    if (term?.kind !== 'condition' || term.field !== column || !GLIDE_DATE_TIME.test(term.value)) continue
    if (term.operator !== '>' && term.operator !== '>=' && term.operator !== '=') continue
    const inclusive = term.operator !== '>'
    if (!bound || term.value > bound.value || (term.value === bound.value && !inclusive))
      bound = { value: term.value, inclusive }
  }
  if (!bound) return undefined
  const rows = store.orderedBy(column)
  if (!rows) return undefined
  const i = store.columns.get(column) as number
  let lo = 0
  let hi = rows.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const v = (rows[mid] as string[])[i] ?? ''
    if (v < bound.value || (v === bound.value && !bound.inclusive)) lo = mid + 1
    else hi = mid
  }
  return { rows, start: lo }
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
