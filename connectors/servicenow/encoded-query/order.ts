// A sort comparator from ORDERBY / ORDERBYDESC terms: the first term is the primary key, later
// ones break ties. Values compare like the evaluator's (numbers numerically, date-times
// chronologically, text case-insensitively by default; by column type when ctx.fieldType
// knows it), with empty values first in ascending
// order as a database sorts NULLs. An ORDERBY on an unknown field is ignored, as ServiceNow
// ignores invalid query parts.
import type { EncodedQuery, OrderBy } from './ast.ts'
import { compareForSort, kindOfFieldType } from './compare.ts'
import { resolveTypedField, type EvaluationContext, type ServiceNowRecord } from './evaluator.ts'

export type RecordComparator = (a: ServiceNowRecord, b: ServiceNowRecord) => number

export function compareByOrder(
  orderBy: readonly OrderBy[] | EncodedQuery,
  ctx: EvaluationContext = {},
): RecordComparator {
  const keys = 'groups' in orderBy ? orderBy.orderBy : orderBy
  const caseSensitive = ctx.caseSensitive === true
  return (a, b) => {
    for (const key of keys) {
      const va = resolveTypedField(a, key.field, ctx)
      const vb = resolveTypedField(b, key.field, ctx)
      if (va === undefined || vb === undefined) continue
      const cmp = compareForSort(va.value, vb.value, caseSensitive, kindOfFieldType(va.type))
      if (cmp !== 0) return key.descending ? -cmp : cmp
    }
    return 0
  }
}
