// Runs a Table API list query over the sorted stores: filter with the shared encoded-query
// evaluator, order, page. Keyset pages (`sys_id>X^ORDERBYsys_id`, the pattern experienced clients
// use on big tables) start with a binary search and stop after `limit` matches, so a page of a
// million-row table costs O(log n + limit), not a scan.
import type { EncodedQuery, OrderBy } from '../../encoded-query/ast.ts'
import { compareForSort } from '../../encoded-query/compare.ts'
import { matchesEncodedQuery, type EvaluationContext, type ServiceNowRecord } from '../../encoded-query/evaluator.ts'
import type { Instance, RecordRef } from '../instance/instance.ts'
import { recordContext, referencedFields } from './record-context.ts'

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

interface KeysetBound {
  id: string
  strict: boolean
  exact: boolean
}

/** `sys_id>X`, `sys_id>=X` or `sys_id=X` standing alone as an AND-ed clause of the only group */
function keysetBound(query: EncodedQuery): KeysetBound | undefined {
  if (query.groups.length !== 1) return undefined
  let bound: KeysetBound | undefined
  for (const clause of query.groups[0]?.clauses ?? []) {
    if (clause.terms.length !== 1) continue
    const term = clause.terms[0]
    if (term?.kind !== 'condition' || term.field !== 'sys_id') continue
    const candidate =
      term.operator === '>'
        ? { id: term.value, strict: true, exact: false }
        : term.operator === '>='
          ? { id: term.value, strict: false, exact: false }
          : term.operator === '='
            ? { id: term.value, strict: false, exact: true }
            : undefined
    if (candidate && (!bound || candidate.id > bound.id || candidate.exact)) bound = candidate
  }
  return bound
}

/**
 * The query without the clause the keyset bound already guarantees (`sys_id>X` on rows after the
 * binary search), so a keyset page evaluates nothing per row when that is its only condition.
 */
function withoutKeysetClause(query: EncodedQuery, bound: KeysetBound | undefined): EncodedQuery {
  if (!bound || bound.exact || query.groups.length !== 1) return query
  const group = query.groups[0] as EncodedQuery['groups'][number]
  const clauses = group.clauses.filter((c) => {
    const term = c.terms[0]
    return !(
      c.terms.length === 1 &&
      term?.kind === 'condition' &&
      term.field === 'sys_id' &&
      term.value === bound.id &&
      term.operator === (bound.strict ? '>' : '>=')
    )
  })
  if (clauses.length === group.clauses.length) return query
  return { ...query, groups: clauses.length === 0 ? [] : [{ ...group, clauses }] }
}

const isNaturalOrder = (orderBy: readonly OrderBy[]): boolean =>
  orderBy.length === 0 || (orderBy.length === 1 && orderBy[0]?.field === 'sys_id' && !orderBy[0].descending)

/** does the query contain only the keyset condition (so the total is a subtraction)? */
const onlyKeyset = (query: EncodedQuery): boolean =>
  query.groups.length === 1 &&
  (query.groups[0]?.clauses ?? []).every(
    (c) => c.terms.length === 1 && c.terms[0]?.kind === 'condition' && c.terms[0].field === 'sys_id',
  ) &&
  (query.groups[0]?.clauses.length ?? 0) <= 1

export function executeList(instance: Instance, q: ListQuery): ListResult {
  const t = instance.table(q.table)
  const store = instance.storeOf(t)
  const classes = t.root === t.name ? undefined : new Set(instance.schema.descendants(t.name))
  const ctx = recordContext(instance, q.table, q.evaluation)
  const bound = keysetBound(q.query)
  // with invalidQueryReturnsNoRows the whole query must reach the evaluator
  const residual = q.evaluation?.invalidQueryReturnsNoRows ? q.query : withoutKeysetClause(q.query, bound)
  // only known columns are copied: the evaluator treats a present key as a known field
  const fields = referencedFields(residual).filter((f) => t.fields.has(f))
  const hasConditions = residual.groups.length > 0
  const scratch: Record<string, string> = {}

  const matches = (row: string[]): boolean => {
    if (classes && !classes.has(instance.classOf(store, row))) return false
    if (!hasConditions) return true
    for (const f of fields) scratch[f] = store.value(row, f)
    return matchesEncodedQuery(residual, scratch as ServiceNowRecord, ctx)
  }
  const refOf = (row: string[]): RecordRef => ({ table: instance.classOf(store, row), store, row })

  let start = bound ? store.lowerBound(bound.id, bound.strict) : 0
  let end = store.size
  if (bound?.exact) end = Math.min(end, start + 1)
  if (start > end) start = end

  if (isNaturalOrder(q.query.orderBy) && !(q.unstableOrder && q.query.orderBy.length === 0)) {
    const refs: RecordRef[] = []
    let skipped = 0
    let seen = 0
    const countFast = q.withCount && !classes && (!hasConditions || onlyKeyset(q.query)) && !bound?.exact
    for (let i = start; i < end; i++) {
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
    const total = !q.withCount ? undefined : countFast ? end - start : seen
    return { refs, total }
  }

  const all: string[][] = []
  for (let i = start; i < end; i++) {
    const row = store.at(i) as string[]
    if (matches(row)) all.push(row)
  }
  if (q.query.orderBy.length === 0) shuffle(all)
  else sortRows(instance, store, all, q.query.orderBy, q.evaluation?.caseSensitive === true)
  return {
    refs: all.slice(q.offset, q.offset + q.limit).map(refOf),
    total: q.withCount ? all.length : undefined,
  }
}

function sortRows(
  instance: Instance,
  store: ReturnType<Instance['storeOf']>,
  rows: string[][],
  orderBy: readonly OrderBy[],
  caseSensitive: boolean,
): void {
  rows.sort((a, b) => {
    for (const o of orderBy) {
      const c = compareForSort(store.value(a, o.field), store.value(b, o.field), caseSensitive)
      if (c !== 0) return o.descending ? -c : c
    }
    return 0
  })
  void instance
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
