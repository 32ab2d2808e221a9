// On a reference field, LIKE / NOT LIKE / STARTSWITH / ENDSWITH match the referenced record's
// display value, not its sys_id (D-OPS: "callerLIKEon" finds callers whose name contains "on").
// The shared evaluator compares what it is given, so these conditions are rewritten into the
// dot-walk to the target's display field before evaluation.
import type { Condition, EncodedQuery, Operator } from '../../encoded-query/index.ts'
import type { Schema } from '../schema/schema.ts'

const TEXT_OPERATORS: ReadonlySet<Operator> = new Set<Operator>(['LIKE', 'NOT LIKE', 'STARTSWITH', 'ENDSWITH'])

export function matchReferencesByDisplay(schema: Schema, table: string, query: EncodedQuery): EncodedQuery {
  const fields = schema.table(table)?.fields
  if (!fields) return query
  let changed = false
  const rewrite = (c: Condition): Condition => {
    if (!TEXT_OPERATORS.has(c.operator) || c.field.includes('.')) return c
    const def = fields.get(c.field)
    const display = def?.type === 'reference' && def.reference ? schema.table(def.reference)?.displayField : undefined
    if (!display) return c
    changed = true
    return { ...c, field: `${c.field}.${display}` }
  }
  const groups = query.groups.map((g) => ({
    ...g,
    clauses: g.clauses.map((cl) => ({
      ...cl,
      terms: cl.terms.map((term) => (term.kind === 'condition' ? rewrite(term) : term)),
    })),
  }))
  return changed ? { ...query, groups } : query
}
