// AND of two queries. ^NQ groups are ORed, so (A1 ^NQ A2) AND (B1 ^NQ B2) must be distributed
// into A1^B1 ^NQ A1^B2 ^NQ A2^B1 ^NQ A2^B2; appending "^B" to the text would bind B to the last
// group only ("a^NQb^c" is a OR (b AND c)).
import type { EncodedQuery, QueryGroup } from './ast.ts'

/** A query matching exactly the records both `a` and `b` match; ORDERBY terms of `a` first. */
export function conjoinQueries(a: EncodedQuery, b: EncodedQuery): EncodedQuery {
  let groups: QueryGroup[]
  if (a.groups.length === 0) groups = [...b.groups]
  else if (b.groups.length === 0) groups = [...a.groups]
  else {
    groups = a.groups.flatMap((ga) =>
      b.groups.map((gb): QueryGroup => ({ kind: 'group', clauses: [...ga.clauses, ...gb.clauses] })),
    )
  }
  return { groups, orderBy: [...a.orderBy, ...b.orderBy], groupBy: [...a.groupBy, ...b.groupBy] }
}
