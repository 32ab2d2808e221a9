// What the emulator needs to serve keyset paging fast: the `sys_id>X^ORDERBYsys_id` shape real
// clients send (PySNC always appends ORDERBYsys_id, https://github.com/ServiceNow/PySNC `pysnc/record.py`). Detects a top-level sys_id lower bound (an AND clause of
// a single-group query, so every match must satisfy it) and whether sys_id is the primary order.
import type { Condition, EncodedQuery } from './ast.ts'

export interface KeysetCursor {
  /** The bound: `sys_id>X` (exclusive) or `sys_id>=X` (inclusive). */
  readonly operator: '>' | '>='
  readonly after: string
  /** The same query without the bound, for evaluating the remaining filter. */
  readonly rest: EncodedQuery
  /** True when the first ORDERBY term is ascending sys_id, so rows can be streamed from the index. */
  readonly orderedBySysId: boolean
}

function isSysIdBound(condition: Condition): condition is Condition & { operator: '>' | '>=' } {
  return condition.field === 'sys_id' && (condition.operator === '>' || condition.operator === '>=')
}

/** The keyset bound of `query`, if it has exactly one in a position that constrains every match. */
export function findKeysetCursor(query: EncodedQuery): KeysetCursor | undefined {
  if (query.groups.length !== 1) return undefined
  const group = query.groups[0]
  if (group === undefined) return undefined
  const index = group.clauses.findIndex(
    (clause) => clause.terms.length === 1 && clause.terms[0]?.kind === 'condition' && isSysIdBound(clause.terms[0]),
  )
  if (index < 0) return undefined
  const bound = group.clauses[index]?.terms[0] as Condition & { operator: '>' | '>=' }
  const remaining = group.clauses.filter((_, i) => i !== index)
  const first = query.orderBy[0]
  return {
    operator: bound.operator,
    after: bound.value,
    rest: { ...query, groups: remaining.length === 0 ? [] : [{ kind: 'group', clauses: remaining }] },
    orderedBySysId: first !== undefined && first.field === 'sys_id' && !first.descending,
  }
}
