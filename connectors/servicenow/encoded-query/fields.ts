// Every field path a query reads, so a client can check them against the table's schema before
// sending: ServiceNow silently drops conditions on unknown fields, and a typo then returns the
// whole table (glide.invalid_query.returns_no_rows, Table API docs
// https://www.servicenow.com/docs/r/api-reference/rest-apis/c_TableAPI.html).
import type { EncodedQuery, OpaqueTerm } from './ast.ts'
import { EncodedQueryError } from './errors.ts'
import { FIELD_COMPARISON_OPERATORS } from './operators.ts'
import { parseJoinQuery } from './related.ts'

/** The record's own field an RLQUERY (its sys_id) or JOIN (its join field) reads; none for malformed ones. */
function fieldOfRelated(term: OpaqueTerm): string | undefined {
  if (term.type === 'RLQUERY') return 'sys_id'
  if (term.type !== 'JOIN') return undefined
  try {
    return parseJoinQuery(term.text).field
  } catch (err) {
    if (err instanceof EncodedQueryError) return undefined
    throw err
  }
}

/**
 * Field paths in order of first appearance: conditions, compared-to fields, the record's own
 * fields RLQUERY and JOIN read, ORDERBY, GROUPBY.
 */
export function fieldsOfQuery(query: EncodedQuery): string[] {
  const fields = new Set<string>()
  for (const group of query.groups) {
    for (const clause of group.clauses) {
      for (const term of clause.terms) {
        if (term.kind !== 'condition') {
          const own = fieldOfRelated(term)
          if (own !== undefined) fields.add(own)
          continue
        }
        fields.add(term.field)
        if (FIELD_COMPARISON_OPERATORS.has(term.operator)) fields.add(term.value.split('@')[0] ?? '')
      }
    }
  }
  for (const order of query.orderBy) fields.add(order.field)
  for (const field of query.groupBy) fields.add(field)
  return [...fields]
}
