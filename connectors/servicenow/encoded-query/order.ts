// A sort comparator from ORDERBY / ORDERBYDESC terms: the first term is the primary key, later
// ones break ties. Values compare like the evaluator's (numbers numerically, date-times
// chronologically, text case-insensitively by default; by column type when ctx.fieldType knows
// it), with empty values first in ascending order as a database sorts NULLs. An ORDERBY on an
// unknown field is ignored, as ServiceNow ignores invalid query parts.
import type { EncodedQuery, OrderBy } from './ast.ts'
import { compareSortKeys, kindOfFieldType, sortKey, type SortKey } from './compare.ts'
import { resolveTypedField, type EvaluationContext, type ServiceNowRecord } from './evaluator.ts'

export type RecordComparator = (a: ServiceNowRecord, b: ServiceNowRecord) => number

/** A record's resolved sort values, one per ORDERBY key (undefined = unknown field). */
type SortValues = (SortKey | undefined)[]

export function compareByOrder(
  orderBy: readonly OrderBy[] | EncodedQuery,
  ctx: EvaluationContext = {},
): RecordComparator {
  const keys = 'groups' in orderBy ? orderBy.orderBy : orderBy
  // a sort compares each record about log2(n) times: resolve its keys (dot-walks included) once
  const resolved = new WeakMap<ServiceNowRecord, SortValues>()
  const valuesOf = (record: ServiceNowRecord): SortValues => {
    let values = resolved.get(record)
    if (values === undefined) {
      values = resolveKeys(keys, record, ctx)
      resolved.set(record, values)
    }
    return values
  }
  return (a, b) => compareResolved(keys, valuesOf(a), valuesOf(b))
}

/**
 * `records` sorted by the ORDERBY terms (a new array; stable, so equal rows keep their order).
 * Resolves every key once per record up front: the fast way to sort a large table.
 */
export function sortByOrder<R extends ServiceNowRecord>(
  records: readonly R[],
  orderBy: readonly OrderBy[] | EncodedQuery,
  ctx: EvaluationContext = {},
): R[] {
  const keys = 'groups' in orderBy ? orderBy.orderBy : orderBy
  if (keys.length === 0) return [...records]
  const decorated = records.map((record) => ({ record, values: resolveKeys(keys, record, ctx) }))
  decorated.sort((a, b) => compareResolved(keys, a.values, b.values))
  return decorated.map((d) => d.record)
}

function resolveKeys(keys: readonly OrderBy[], record: ServiceNowRecord, ctx: EvaluationContext): SortValues {
  const caseSensitive = ctx.caseSensitive === true
  return keys.map((key) => {
    const field = resolveTypedField(record, key.field, ctx)
    return field === undefined ? undefined : sortKey(field.value, caseSensitive, kindOfFieldType(field.type))
  })
}

function compareResolved(keys: readonly OrderBy[], va: SortValues, vb: SortValues): number {
  for (let i = 0; i < keys.length; i++) {
    const x = va[i]
    const y = vb[i]
    if (x === undefined || y === undefined) continue
    const cmp = compareSortKeys(x, y)
    if (cmp !== 0) return keys[i]?.descending === true ? -cmp : cmp
  }
  return 0
}
