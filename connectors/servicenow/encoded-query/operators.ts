// The operator inventory of ServiceNow's encoded query language, as the parser recognises it.
// Sources:
// - D-OPS: ServiceNow docs, "Operators available for filters and queries",
//   https://www.servicenow.com/docs/r/platform-user-interface/r_OpAvailableFiltersQueries.html
// - SDK-EQ: the ServiceNow SDK's encoded-query guide,
//   https://servicenow.github.io/sdk/guides/encoded-query-guide
// - UI-OPS: the condition builder's operator list (UI script condition_global_variables14.js, as
//   kept in https://github.com/jacebenson/sndocs; cited, not copied)

/** Canonical operator spellings; the AST only ever holds these. */
export const OPERATORS = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'IN',
  'NOT IN',
  'LIKE',
  'NOT LIKE',
  'STARTSWITH',
  'ENDSWITH',
  'ISEMPTY',
  'ISNOTEMPTY',
  'EMPTYSTRING',
  'ANYTHING',
  'BETWEEN',
  'SAMEAS',
  'NSAMEAS',
  'GT_FIELD',
  'LT_FIELD',
  'GT_OR_EQUALS_FIELD',
  'LT_OR_EQUALS_FIELD',
  'INSTANCEOF',
  'DYNAMIC',
  'VALCHANGES',
  'CHANGESFROM',
  'CHANGESTO',
  'ON',
  'NOTON',
  'RELATIVEGT',
  'RELATIVELT',
  'RELATIVEGE',
  'RELATIVELE',
  'RELATIVEEE',
  'DATEPART',
  'MORETHAN',
  'LESSTHAN',
  'SINCE',
  'IN_HIERARCHY',
  'IN_HIERARCHY_DYNAMIC',
  'MATCH_PAT',
  'MATCH_RGX',
  'DOESNOTHAVE',
  'EXCLUDING',
  'HASVARIABLE',
  'HASITEMVARIABLE',
  'HASQUESTION',
  'HASLABEL',
] as const

export type Operator = (typeof OPERATORS)[number]

/**
 * Other spellings real clients and the docs use, mapped to the canonical operator. D-OPS lists
 * `*` and `%` as symbol forms of LIKE and ENDSWITH, `!*`/`NOTLIKE` for NOT LIKE (the form the docs,
 * pysnow and PySNC emit), `EMPTY`/`NOTEMPTY` for the emptiness tests; GlideRecord.addQuery spells
 * CONTAINS / DOES NOT CONTAIN.
 */
export const OPERATOR_ALIASES: Readonly<Record<string, Operator>> = {
  '*': 'LIKE',
  CONTAINS: 'LIKE',
  '!*': 'NOT LIKE',
  NOTLIKE: 'NOT LIKE',
  'DOES NOT CONTAIN': 'NOT LIKE',
  DOESNOTCONTAIN: 'NOT LIKE',
  '%': 'ENDSWITH',
  EMPTY: 'ISEMPTY',
  NOTEMPTY: 'ISNOTEMPTY',
}

/** Operators that take no value: `assigned_toISEMPTY`. */
export const UNARY_OPERATORS: ReadonlySet<Operator> = new Set<Operator>([
  'ISEMPTY',
  'ISNOTEMPTY',
  'EMPTYSTRING',
  'ANYTHING',
  'VALCHANGES',
])

/** Operators whose value names another field of the same record (`short_descriptionSAMEASdescription`). */
export const FIELD_COMPARISON_OPERATORS: ReadonlySet<Operator> = new Set<Operator>([
  'SAMEAS',
  'NSAMEAS',
  'GT_FIELD',
  'LT_FIELD',
  'GT_OR_EQUALS_FIELD',
  'LT_OR_EQUALS_FIELD',
])

/**
 * Operators the local evaluator does not evaluate: it throws CW_SN_QUERY_UNSUPPORTED for them
 * rather than guess (data hierarchies, tags, catalog variables, regex/pattern matching, trend and
 * date-difference operators whose exact granularity rules are not documented).
 */
export const UNEVALUATED_OPERATORS: ReadonlySet<Operator> = new Set<Operator>([
  'DATEPART',
  'MORETHAN',
  'LESSTHAN',
  'SINCE',
  'IN_HIERARCHY',
  'IN_HIERARCHY_DYNAMIC',
  'MATCH_PAT',
  'MATCH_RGX',
  'DOESNOTHAVE',
  'EXCLUDING',
  'HASVARIABLE',
  'HASITEMVARIABLE',
  'HASQUESTION',
  'HASLABEL',
])

/** Every spelling the parser accepts, longest first, so that a prefix never wins over a longer word (IN vs INSTANCEOF). */
export const OPERATOR_SPELLINGS: readonly { spelling: string; operator: Operator }[] = [
  ...OPERATORS.map((op) => ({ spelling: op as string, operator: op })),
  ...Object.entries(OPERATOR_ALIASES).map(([spelling, operator]) => ({ spelling, operator })),
].sort((a, b) => b.spelling.length - a.spelling.length)

/** The longest operator spelling that starts at `pos` in `text`, if any. */
export function matchOperator(text: string, pos: number): { spelling: string; operator: Operator } | undefined {
  for (const candidate of OPERATOR_SPELLINGS) {
    if (text.startsWith(candidate.spelling, pos)) return candidate
  }
  return undefined
}
