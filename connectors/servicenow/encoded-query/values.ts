// What a condition's value may look like per operator. One rule set, used by the parser (to
// reject malformed text with a position) and by the printer and builder (to refuse values that
// cannot be written without changing the query's meaning).
import { FIELD_PATTERN } from './ast.ts'
import { FIELD_COMPARISON_OPERATORS, matchOperator, UNARY_OPERATORS, type Operator } from './operators.ts'

export const RELATIVE_UNITS = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const
export type RelativeUnit = (typeof RELATIVE_UNITS)[number]

/** Field-to-field comparisons on dates may carry a granularity: `sla_dueSAMEASactivity_due@day`. */
const SAMEAS_GRANULARITY = /^(?:second|minute|hour|day|week|month|quarter|year)$/

/**
 * Why `value` cannot stand after `operator` in an encoded query, or undefined when it can.
 * The language has no escape character (https://servicenow.github.io/sdk/guides/encoded-query-guide): `^` always ends a condition, `,` always
 * separates IN items and `@` always separates range parts.
 */
export function valueProblem(operator: Operator, value: string): string | undefined {
  if (value.includes('^')) {
    return `the value contains "^", which always ends a condition (ServiceNow has no escape for it); it would inject query terms`
  }
  if (UNARY_OPERATORS.has(operator)) {
    return value === '' ? undefined : `operator ${operator} takes no value, found "${value}"`
  }
  const glued = matchOperator(operator + value, 0)
  if (glued !== undefined && glued.spelling.length > operator.length) {
    return `the value "${value}" after ${operator} would be read as operator ${glued.spelling}`
  }
  const parts = value.split('@')
  switch (operator) {
    case 'BETWEEN':
      return parts.length === 2 ? undefined : `BETWEEN needs "low@high" (exactly one "@"), found "${value}"`
    case 'ON':
    case 'NOTON':
      return parts.length === 3 ? undefined : `${operator} needs "label@start@end" (exactly two "@"), found "${value}"`
    case 'RELATIVEGT':
    case 'RELATIVELT':
    case 'RELATIVEGE':
    case 'RELATIVELE':
    case 'RELATIVEEE':
      return relativeProblem(operator, parts)
    default:
      break
  }
  if (FIELD_COMPARISON_OPERATORS.has(operator)) {
    const [other = '', granularity] = parts
    if (!FIELD_PATTERN.test(other)) return `${operator} needs another field name, found "${value}"`
    if (parts.length > 2 || (granularity !== undefined && !SAMEAS_GRANULARITY.test(granularity))) {
      return `${operator} accepts "field" or "field@<granularity>", found "${value}"`
    }
  }
  return undefined
}

function relativeProblem(operator: Operator, parts: string[]): string | undefined {
  const [lead, unit, direction, count] = parts
  const ok =
    parts.length === 4 &&
    lead === '' &&
    (RELATIVE_UNITS as readonly string[]).includes(unit ?? '') &&
    (direction === 'ago' || direction === 'ahead') &&
    /^\d+$/.test(count ?? '')
  return ok ? undefined : `${operator} needs "@<unit>@<ago|ahead>@<count>", found "${parts.join('@')}"`
}

/** The items of an IN / NOT IN value: split on "," only, never trimmed (values may contain spaces). */
export function listItems(value: string): string[] {
  return value.split(',')
}

/** Why `field` is not a usable field name, or undefined. */
export function fieldProblem(field: string): string | undefined {
  return FIELD_PATTERN.test(field)
    ? undefined
    : `"${field}" is not a field name (lowercase letters, digits and "_", dot-walks joined by ".")`
}
