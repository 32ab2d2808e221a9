// Building queries from field / operator / value safely. ServiceNow has no escape character, so
// a user value holding "^" would end the condition and inject terms (`x^NQsys_idANYTHING`
// matches every row); "," splits IN lists and "@" splits ranges. The builder refuses such values
// with CW_SN_QUERY_VALUE_UNSAFE instead of sending a query that means something else.
import type { Condition, EncodedQuery, OrClause, OrderBy, QueryGroup, Term } from './ast.ts'
import { EncodedQueryErrors } from './errors.ts'
import { OPERATOR_ALIASES, OPERATORS, type Operator } from './operators.ts'
import { printCondition, printEncodedQuery } from './printer.ts'
import { fieldProblem } from './values.ts'

/** A value: a string, or for IN / NOT IN a list of items, for BETWEEN a [low, high] pair. */
export type ConditionValue = string | readonly string[]

function toOperator(operator: string): Operator {
  if ((OPERATORS as readonly string[]).includes(operator)) return operator as Operator
  const alias = OPERATOR_ALIASES[operator]
  if (alias !== undefined) return alias
  throw new EncodedQueryErrors.VALUE_UNSAFE(`"${operator}" is not an encoded-query operator`)
}

function joinItems(operator: Operator, items: readonly string[]): string {
  const separator = operator === 'IN' || operator === 'NOT IN' ? ',' : operator === 'BETWEEN' ? '@' : undefined
  if (separator === undefined) {
    throw new EncodedQueryErrors.VALUE_UNSAFE(`operator ${operator} takes a single value, not a list`)
  }
  if (operator === 'BETWEEN' && items.length !== 2) {
    throw new EncodedQueryErrors.VALUE_UNSAFE(`BETWEEN takes [low, high], got ${items.length} values`)
  }
  if (items.length === 0) throw new EncodedQueryErrors.VALUE_UNSAFE(`${operator} needs at least one value`)
  for (const item of items) {
    if (item.includes(separator)) {
      throw new EncodedQueryErrors.VALUE_UNSAFE(
        `${operator} item "${item}" contains "${separator}", which always separates items (no escape exists)`,
      )
    }
  }
  return items.join(separator)
}

/**
 * One condition, checked: `buildCondition('name', '=', userInput)`. Throws
 * CW_SN_QUERY_VALUE_UNSAFE when the value cannot be expressed (a "^", a "," inside an IN item,
 * an "@" inside a BETWEEN bound, a value after a unary operator, a bad field name).
 */
export function buildCondition(field: string, operator: Operator | string, value: ConditionValue = ''): Condition {
  const op = toOperator(operator)
  const text = typeof value === 'string' ? value : joinItems(op, value)
  const condition: Condition = { kind: 'condition', field, operator: op, value: text }
  printCondition(condition) // validates field and value the same way the printer does
  return condition
}

/** The condition as encoded-query text, e.g. for `sysparm_query`. */
export function encodeCondition(field: string, operator: Operator | string, value: ConditionValue = ''): string {
  return printCondition(buildCondition(field, operator, value))
}

/**
 * Fluent builder. `where`/`and` add an AND clause, `or` ORs onto the previous clause (ServiceNow's
 * ^OR binds only its neighbours), `newQuery` starts an ^NQ group.
 *
 *   new EncodedQueryBuilder().where('active', '=', 'true').or('priority', '=', '1')
 *     .newQuery().where('state', 'IN', ['1', '2']).orderBy('sys_id').toString()
 */
export class EncodedQueryBuilder {
  private readonly groups: Term[][][] = [[]]
  private readonly order: OrderBy[] = []

  where(field: string, operator: Operator | string, value?: ConditionValue): this {
    this.currentGroup().push([buildCondition(field, operator, value)])
    return this
  }

  and(field: string, operator: Operator | string, value?: ConditionValue): this {
    return this.where(field, operator, value)
  }

  or(field: string, operator: Operator | string, value?: ConditionValue): this {
    const last = this.currentGroup().at(-1)
    if (last === undefined) throw new EncodedQueryErrors.VALUE_UNSAFE('or() needs a condition before it')
    last.push(buildCondition(field, operator, value))
    return this
  }

  newQuery(): this {
    if (this.currentGroup().length === 0)
      throw new EncodedQueryErrors.VALUE_UNSAFE('newQuery() needs a condition before it')
    this.groups.push([])
    return this
  }

  orderBy(field: string): this {
    return this.addOrder(field, false)
  }

  orderByDesc(field: string): this {
    return this.addOrder(field, true)
  }

  build(): EncodedQuery {
    const groups: QueryGroup[] = this.groups
      .filter((g) => g.length > 0)
      .map((g) => ({ kind: 'group', clauses: g.map((terms): OrClause => ({ kind: 'or', terms: [...terms] })) }))
    return { groups, orderBy: [...this.order], groupBy: [] }
  }

  toString(): string {
    return printEncodedQuery(this.build())
  }

  private addOrder(field: string, descending: boolean): this {
    const problem = fieldProblem(field)
    if (problem !== undefined) throw new EncodedQueryErrors.VALUE_UNSAFE(`ORDERBY: ${problem}`)
    this.order.push({ field, descending })
    return this
  }

  private currentGroup(): Term[][] {
    return this.groups[this.groups.length - 1] as Term[][]
  }
}
