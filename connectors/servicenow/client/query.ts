// Building encoded queries safely. ServiceNow has no escape character: a "^" in a value starts a
// new condition ("^NQ..." even a new OR group), so values are checked, never escaped, and names
// are checked against ServiceNow's naming rules. Filters given by a person are combined with the
// client's own conditions group by group, because "a^NQb" AND c is "a^c^NQb^c", not "a^NQb^c".
import { ServiceNowErrors } from '../errors.ts'

const NAME = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/

export function assertName(name: string): string {
  if (!NAME.test(name)) throw new ServiceNowErrors.INVALID_FIELD_NAME(name)
  return name
}

export function assertValue(field: string, value: string, forbidden: readonly string[] = ['^']): string {
  for (const bad of forbidden) if (value.includes(bad)) throw new ServiceNowErrors.UNSAFE_QUERY_VALUE(field, bad)
  if (/[\r\n]/.test(value)) throw new ServiceNowErrors.UNSAFE_QUERY_VALUE(field, 'a line break')
  return value
}

export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'STARTSWITH' | 'LIKE'

/** One condition `field<op>value` with the name and value checked. */
export function condition(field: string, op: Operator, value: string): string {
  return `${assertName(field)}${op}${assertValue(field, value)}`
}

/** `fieldINa,b,c`; a value may contain neither "^" nor ",". */
export function inList(field: string, values: readonly string[]): string {
  return `${assertName(field)}IN${values.map((v) => assertValue(field, v, ['^', ','])).join(',')}`
}

const ORDER_TERM = /^(ORDERBY|ORDERBYDESC|GROUPBY)[a-z0-9_.]*$/

/**
 * The groups of a filter (its ^NQ-separated parts), without ordering terms and the ^EQ end marker,
 * which the client sets itself. An empty filter has one empty group.
 */
export function filterGroups(filter: string | undefined): string[] {
  const text = (filter ?? '').trim()
  if (text === '') return ['']
  return text.split('^NQ').map((group) =>
    group
      .split('^')
      .filter((term) => term !== '' && term !== 'EQ' && !ORDER_TERM.test(term))
      .join('^'),
  )
}

/** filter AND every one of `conditions`, then the ordering. */
export function combine(
  filter: string | undefined,
  conditions: readonly string[],
  orderBy: readonly string[] = [],
): string {
  const extra = conditions.filter((c) => c !== '')
  const groups = filterGroups(filter).map((group) => [group, ...extra].filter((t) => t !== '').join('^'))
  const order = orderBy.map((field) => `ORDERBY${assertName(field)}`)
  return [groups.join('^NQ'), ...order].filter((t) => t !== '').join('^')
}
