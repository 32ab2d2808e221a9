// The syntax tree of an encoded query. Plain JSON-able data, so callers (the emulator, the
// connector) can inspect it, deep-compare it and build it by hand.
//
//   query   = group ( "^NQ" group )*          groups are ORed ("new query")
//   group   = clause ( "^" clause )*          clauses are ANDed
//   clause  = term ( "^OR" term )*            ^OR binds only its neighbours: a^b^ORc = a AND (b OR c)
//
// ORDERBY / ORDERBYDESC / GROUPBY terms may stand anywhere in the text; they are collected in
// order of appearance into `orderBy` / `groupBy` and printed at the end.
import type { Operator } from './operators.ts'

export type { Operator } from './operators.ts'

/** `field` + operator + value. Dot-walked fields keep their dots: `assigned_to.department.name`. */
export interface Condition {
  readonly kind: 'condition'
  readonly field: string
  readonly operator: Operator
  /**
   * The value exactly as written (no trimming, no unescaping: the language has no escapes). Empty
   * for unary operators. List and range operators keep their separators: IN/NOT IN hold
   * `a,b,c`, BETWEEN holds `low@high`, ON holds `label@start@end`; `splitValue` splits them.
   */
  readonly value: string
}

/**
 * A term the parser keeps verbatim because it is not a field condition: a related-list query
 * (`RLQUERYincident.problem_id,>=1^ENDRLQUERY`, `text` = what lies between RLQUERY and ^ENDRLQUERY),
 * a join subquery (`JOIN…`), or a text-index search (`123TEXTQUERY321=…`,
 * `123TEXTINDEXGROUP321=…`). The evaluator does not evaluate them.
 */
export interface OpaqueTerm {
  readonly kind: 'opaque'
  readonly type: 'RLQUERY' | 'JOIN' | 'TEXTQUERY' | 'TEXTINDEXGROUP'
  readonly text: string
}

export type Term = Condition | OpaqueTerm

/** One or more terms joined by ^OR. */
export interface OrClause {
  readonly kind: 'or'
  readonly terms: readonly Term[]
}

/** Clauses joined by ^ (AND). */
export interface QueryGroup {
  readonly kind: 'group'
  readonly clauses: readonly OrClause[]
}

export interface OrderBy {
  readonly field: string
  readonly descending: boolean
}

export interface EncodedQuery {
  /** ORed groups (^NQ). Empty when the query has no conditions: it then matches every record. */
  readonly groups: readonly QueryGroup[]
  readonly orderBy: readonly OrderBy[]
  readonly groupBy: readonly string[]
}

/** Field names are lowercase words joined by dots; that is what lets the parser find where the operator starts. */
export const FIELD_PATTERN = /^[a-z0-9_]+(?:\.[a-z0-9_]+)*$/
