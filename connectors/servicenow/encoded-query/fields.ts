// Every field path a query reads, so a client can check them against the table's schema before
// sending: ServiceNow silently drops conditions on unknown fields, and a typo then returns the
// whole table (glide.invalid_query.returns_no_rows, Table API docs
// https://www.servicenow.com/docs/r/api-reference/rest-apis/c_TableAPI.html).
import type { EncodedQuery } from './ast.ts'
import { FIELD_COMPARISON_OPERATORS } from './operators.ts'

/** Field paths in order of first appearance: conditions, compared-to fields, ORDERBY, GROUPBY. */
export function fieldsOfQuery(query: EncodedQuery): string[] {
  const fields = new Set<string>()
  for (const group of query.groups) {
    for (const clause of group.clauses) {
      for (const term of clause.terms) {
        if (term.kind !== 'condition') continue
        fields.add(term.field)
        if (FIELD_COMPARISON_OPERATORS.has(term.operator)) fields.add(term.value.split('@')[0] ?? '')
      }
    }
  }
  for (const order of query.orderBy) fields.add(order.field)
  for (const field of query.groupBy) fields.add(field)
  return [...fields]
}
