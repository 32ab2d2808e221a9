// ServiceNow encoded query language: one parser, printer, evaluator and builder, shared by the
// ServiceNow emulator (to filter and sort its tables) and the ServiceNow connector (to check a
// changed record against a mapping's constraint, and to build sysparm_query safely).
//
// PARSE / PRINT
//   parseEncodedQuery(text, opts?): EncodedQuery  throws EncodedQueryError (CW_SN_QUERY_INVALID,
//                                                 .position = 0-based index, .reason) and nothing else;
//     opts.dropInvalidTerms skips malformed terms instead (as the platform drops invalid parts),
//     reporting each to opts.onDrop
//   printEncodedQuery(ast): string                canonical text; parse(print(ast)) deep-equals ast
//   AST (ast.ts): { groups: QueryGroup[] (ORed, ^NQ), orderBy: {field, descending}[], groupBy }
//     QueryGroup.clauses: OrClause[] (ANDed, ^), OrClause.terms: Term[] (ORed, ^OR)
//     Term = Condition {kind:'condition', field, operator, value} | OpaqueTerm (RLQUERY, JOIN, text search)
//   Precedence is ServiceNow's: a^b^ORc^NQd^e = (a AND (b OR c)) OR (d AND e).
//   Values are verbatim strings; IN keeps "a,b,c", BETWEEN "low@high" (listItems() splits IN).
//   Aliases are normalised: NOTLIKE, !* -> "NOT LIKE"; *, CONTAINS -> LIKE; % -> ENDSWITH;
//   EMPTY -> ISEMPTY; NOTEMPTY -> ISNOTEMPTY. ^EQ (end marker) and empty terms are ignored.
//
// EVALUATE
//   matchesEncodedQuery(queryOrAst, record, ctx?): boolean
//   record: Record<string, string>, every value a string ("" = empty), date-times
//   "YYYY-MM-DD HH:mm:ss" UTC. Comparison follows the column type when ctx.fieldType knows it
//   (integer/decimal… numeric, glide_date_time/glide_date chronological, anything else text);
//   otherwise the values decide: numeric when both are numbers (exact, no float rounding),
//   chronological when both are dates/date-times, else text. Text is case- and
//   accent-insensitive unless ctx.caseSensitive (ServiceNow's database default is insensitive).
//   EvaluationContext (all optional):
//     table                      table of the record; handed back to the hooks
//     deref(table, field, value) record a reference points to (value = sys_id); needed for dot-walks
//                                like assigned_to.department.name. A flat key "assigned_to.name" in
//                                the record (Table API dot-walked sysparm_fields) is used first.
//     referenceTableOf(table, f) target table of reference field f, so the next step knows its table
//     hasField(table, field)     is it a column? default: the record has the key. Unknown fields
//                                are DROPPED from the query (ServiceNow default);
//     invalidQueryReturnsNoRows  true = glide.invalid_query.returns_no_rows: unknown field -> no match
//     isInstanceOf(cls, ancestor) for INSTANCEOF (value of the field, e.g. sys_class_name, is cls)
//     fieldType(table, field)    "boolean" etc.; `!=` matches empty values only on booleans
//                                (without it, a true/false operand marks a boolean)
//     displayValue(table, f, v)  display text of a reference: with fieldType "reference", LIKE,
//                                NOT LIKE, STARTSWITH, ENDSWITH match it as the platform does
//                                (without the hook they match the stored sys_id)
//     previous                   the record before the change: enables VALCHANGES/CHANGESFROM/CHANGESTO
//     now                        Date for RELATIVE* and javascript:gs.* date values (default: clock)
//     userSysId / resolveDynamic DYNAMIC options ("Me" = DYNAMIC_ME) and gs.getUserID()
//     countRelated(t, f, v, q)   rows of table t with f = v matching q: evaluates RLQUERY (count of
//                                rows referencing the record's sys_id) and JOIN (some row exists)
//   Evaluated: = != < <= > >= IN, NOT IN, LIKE, NOT LIKE, STARTSWITH, ENDSWITH, ISEMPTY,
//     ISNOTEMPTY, EMPTYSTRING, ANYTHING, BETWEEN, ON, NOTON, RELATIVEGT/LT/GE/LE/EE, SAMEAS,
//     NSAMEAS (optionally @granularity), GT_FIELD, LT_FIELD, GT_OR_EQUALS_FIELD,
//     LT_OR_EQUALS_FIELD, INSTANCEOF (with isInstanceOf), DYNAMIC (with userSysId/resolveDynamic),
//     VALCHANGES, CHANGESFROM, CHANGESTO (with previous), RLQUERY and JOIN (with countRelated;
//     related.ts parses them: parseRelatedListQuery, parseJoinQuery), `=NULL`/`!=NULL`, and values
//     `javascript:gs.<date fn>(…)` from the GlideSystem whitelist (date-functions.ts).
//   Parsed but NOT evaluated (throw CW_SN_QUERY_UNSUPPORTED, never a guess): DATEPART, MORETHAN,
//     LESSTHAN, SINCE, IN_HIERARCHY(_DYNAMIC), MATCH_PAT, MATCH_RGX, DOESNOTHAVE, EXCLUDING,
//     HASVARIABLE, HASITEMVARIABLE, HASQUESTION, HASLABEL, 123TEXTQUERY321, any
//     other javascript: value, and the hooks above when missing.
//   Empty values act like SQL NULL: != / NOT IN / NOT LIKE / SAMEAS / NSAMEAS / < > never match "".
//
// SORT:    compareByOrder(ast.orderBy | ast, ctx?) -> (a, b) => number, values compared like above
//          (column type from ctx.fieldType when known), empty values first ascending;
//          sortByOrder(records, ast, ctx?) resolves each key once per record: use it for big tables.
//          compareForSort(a, b, caseSensitive?, kind?) compares two raw values the same way.
// BUILD:   buildCondition(field, op, value | items) / encodeCondition / EncodedQueryBuilder refuse
//          values that cannot be expressed ("^", "," in IN items, "@" in BETWEEN bounds):
//          CW_SN_QUERY_VALUE_UNSAFE.
// COMBINE: conjoinQueries(a, b) = a AND b, distributing over ^NQ groups (text "a^NQb" + "^c"
//          would mean a OR (b AND c)).
// FIELDS:  fieldsOfQuery(ast) lists every field path the query reads (validate before sending:
//          the platform silently drops unknown fields).
// KEYSET:  findKeysetCursor(ast) -> { operator: '>'|'>=', after, rest, orderedBySysId } when the
//          query is `…^sys_id>X^ORDERBYsys_id` (single group, top-level AND bound), else undefined.
export type { Condition, EncodedQuery, OpaqueTerm, Operator, OrClause, OrderBy, QueryGroup, Term } from './ast.ts'
export { FIELD_PATTERN } from './ast.ts'
export { OPERATORS, UNARY_OPERATORS, UNEVALUATED_OPERATORS, FIELD_COMPARISON_OPERATORS } from './operators.ts'
export { EncodedQueryError, EncodedQueryErrors } from './errors.ts'
export { parseEncodedQuery, type ParseOptions } from './parser.ts'
export { printEncodedQuery, printCondition } from './printer.ts'
export {
  matchesEncodedQuery,
  matchesEncodedQuery as matches,
  resolveField,
  DYNAMIC_ME,
  type EvaluationContext,
  type ServiceNowRecord,
} from './evaluator.ts'
export { compareValues, valuesEqual, compareForSort, kindOfFieldType, type ValueKind } from './compare.ts'
export { compareByOrder, sortByOrder, type RecordComparator } from './order.ts'
export { buildCondition, encodeCondition, EncodedQueryBuilder, type ConditionValue } from './builder.ts'
export { findKeysetCursor, type KeysetCursor } from './keyset.ts'
export { fieldsOfQuery } from './fields.ts'
export {
  parseRelatedListQuery,
  parseJoinQuery,
  compareCount,
  type RelatedListQuery,
  type JoinQuery,
  type CountComparison,
} from './related.ts'
export { conjoinQueries } from './combine.ts'
export { listItems, valueProblem } from './values.ts'
