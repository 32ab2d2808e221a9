// Building encoded queries safely, with the encoded-query module (one parser and builder for
// the whole hub). ServiceNow has no escape character: a "^" in a value starts a new condition,
// so values that cannot be expressed are refused (CW_SN_QUERY_VALUE_UNSAFE), never sent. A filter
// given by a person is parsed (CW_SN_QUERY_INVALID when malformed) and the client's own
// conditions are ANDed into every ^NQ group, because "a^NQb" AND c is "a^c^NQb^c".
import { encodeCondition, parseEncodedQuery, printEncodedQuery } from '../encoded-query/index.ts'
import type { EncodedQuery, OrClause, QueryGroup } from '../encoded-query/index.ts'
import { ServiceNowErrors } from '../errors.ts'

const NAME = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/

/** Table, field and sys_id names go into URL paths and queries: lowercase letters, digits, _ and dots only. */
export function assertName(name: string): string {
  if (!NAME.test(name)) throw new ServiceNowErrors.INVALID_FIELD_NAME(name)
  return name
}

export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'STARTSWITH' | 'LIKE' | 'ISNOTEMPTY'

/** One condition `field<op>value`, checked. */
export function condition(field: string, op: Operator, value = ''): string {
  return encodeCondition(assertName(field), op, value)
}

/** `fieldINa,b,c`; no item may contain "^" or ",". */
export function inList(field: string, values: readonly string[]): string {
  return encodeCondition(assertName(field), 'IN', values)
}

function asClause(text: string): OrClause[] {
  const parsed = parseEncodedQuery(text)
  return parsed.groups.flatMap((group) => group.clauses)
}

/**
 * `filter` AND every one of `conditions` (each an encoded condition or AND-chain), ordered by
 * `orderBy` instead of any order the filter asked for (the reader's paging depends on its order).
 */
export function combine(
  filter: string | undefined,
  conditions: readonly string[],
  orderBy: readonly string[] = [],
): string {
  const parsed: EncodedQuery = parseEncodedQuery((filter ?? '').trim())
  const extra = conditions.filter((c) => c !== '').flatMap(asClause)
  const groups: QueryGroup[] =
    parsed.groups.length === 0
      ? extra.length > 0
        ? [{ kind: 'group', clauses: extra }]
        : []
      : parsed.groups.map((group) => ({ kind: 'group', clauses: [...group.clauses, ...extra] }))
  return printEncodedQuery({
    ...parsed,
    groups,
    orderBy: orderBy.map((field) => ({ field: assertName(field), descending: false })),
    groupBy: [],
  })
}
