// EncodedQuery -> canonical encoded query text: conditions in AST order, ^OR inside clauses, ^
// between clauses, ^NQ between groups, then ORDERBY/ORDERBYDESC and GROUPBY terms at the very end
// (where PySNC and the SDK guide put them). parseEncodedQuery(printEncodedQuery(q)) deep-equals q.
// A tree that no text can express (a value holding "^", a bad field name…) is refused with
// CW_SN_QUERY_VALUE_UNSAFE rather than printed into a query that means something else.
import type { Condition, EncodedQuery, OrderBy, Term } from './ast.ts'
import { EncodedQueryErrors } from './errors.ts'
import { fieldProblem, valueProblem } from './values.ts'

const RL_END = '^ENDRLQUERY'

export function printCondition(condition: Condition): string {
  const problem = fieldProblem(condition.field) ?? valueProblem(condition.operator, condition.value)
  if (problem !== undefined) {
    throw new EncodedQueryErrors.VALUE_UNSAFE(`${condition.field} ${condition.operator}: ${problem}`)
  }
  return condition.field + condition.operator + condition.value
}

function printTerm(term: Term): string {
  if (term.kind === 'condition') return printCondition(term)
  switch (term.type) {
    case 'RLQUERY':
      if (term.text.includes(RL_END)) {
        throw new EncodedQueryErrors.VALUE_UNSAFE(`a related-list query cannot contain "${RL_END}"`)
      }
      return `RLQUERY${term.text}${RL_END}`
    case 'JOIN':
    case 'TEXTQUERY':
    case 'TEXTINDEXGROUP': {
      if (term.text.includes('^')) {
        throw new EncodedQueryErrors.VALUE_UNSAFE(`a ${term.type} term cannot contain "^"`)
      }
      const prefix =
        term.type === 'JOIN' ? 'JOIN' : term.type === 'TEXTQUERY' ? '123TEXTQUERY321=' : '123TEXTINDEXGROUP321='
      return prefix + term.text
    }
  }
}

function printOrderBy(order: OrderBy): string {
  const problem = fieldProblem(order.field)
  if (problem !== undefined) throw new EncodedQueryErrors.VALUE_UNSAFE(`ORDERBY: ${problem}`)
  return (order.descending ? 'ORDERBYDESC' : 'ORDERBY') + order.field
}

export function printEncodedQuery(query: EncodedQuery): string {
  const groups = query.groups.map((group) => {
    if (group.clauses.length === 0) {
      throw new EncodedQueryErrors.VALUE_UNSAFE('a ^NQ group must hold at least one condition')
    }
    return group.clauses
      .map((clause) => {
        if (clause.terms.length === 0)
          throw new EncodedQueryErrors.VALUE_UNSAFE('an ^OR clause must hold at least one term')
        return clause.terms.map(printTerm).join('^OR')
      })
      .join('^')
  })
  const tail = [
    ...query.orderBy.map(printOrderBy),
    ...query.groupBy.map((field) => {
      const problem = fieldProblem(field)
      if (problem !== undefined) throw new EncodedQueryErrors.VALUE_UNSAFE(`GROUPBY: ${problem}`)
      return `GROUPBY${field}`
    }),
  ]
  return [groups.join('^NQ'), ...tail].filter((part) => part !== '').join('^')
}
