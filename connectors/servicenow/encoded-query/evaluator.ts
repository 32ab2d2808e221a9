// Does a record match an encoded query? Records are ServiceNow records as the Table API returns
// them: every value a string ("" for empty), booleans "true"/"false", date-times
// "YYYY-MM-DD HH:mm:ss" UTC. See index.ts for the EvaluationContext contract.
//
// Sources: D-OPS https://www.servicenow.com/docs/r/platform-user-interface/r_OpAvailableFiltersQueries.html,
// D-GR https://www.servicenow.com/docs/r/api-reference/scripts/c_UsingGlideRecordToQueryTables.html,
// KB0715430 https://support.servicenow.com/kb_view.do?sysparm_article=KB0715430,
// KB0745159 https://support.servicenow.com/kb_view.do?sysparm_article=KB0745159.
// Semantics emulated:
// - Unknown field names: the condition is dropped and the rest of the query applies (GlideRecord
//   docs); with `invalidQueryReturnsNoRows` (glide.invalid_query.returns_no_rows=true) nothing
//   matches. A dropped term leaves its ^OR clause; a clause or group left empty drops out too;
//   a query whose every condition dropped matches everything.
// - Empty values behave like SQL NULL: "is not", "is not one of", "does not contain", "is same",
//   "is different" and ordering comparisons never match an empty value (KB0715430; D-GR for
//   NOT LIKE), except `!=` on a boolean field, which also matches empty (D-OPS boolean table).
// - `=NULL` / `!=NULL` test emptiness (condition-builder output, KB0745159).
import type { Condition, EncodedQuery, OpaqueTerm, Term } from './ast.ts'
import {
  compareValues,
  foldText,
  formatDateTime,
  kindOfFieldType,
  parseDateTime,
  valuesEqual,
  type ValueKind,
} from './compare.ts'
import { evaluateScriptValue, shift, startOf } from './date-functions.ts'
import { EncodedQueryErrors } from './errors.ts'
import { FIELD_COMPARISON_OPERATORS, UNEVALUATED_OPERATORS, type Operator } from './operators.ts'
import { parseEncodedQuery } from './parser.ts'
import { compareCount, parseJoinQuery, parseRelatedListQuery } from './related.ts'
import { listItems, type RelativeUnit } from './values.ts'

export type ServiceNowRecord = Readonly<Record<string, string>>

/** See index.ts for the full contract. Every member is optional. */
export interface EvaluationContext {
  /** Table of the record under evaluation; passed back to the hooks below. */
  readonly table?: string
  /** Follow a reference: the record that `value` (a sys_id) in `table.field` points to, or undefined if none. */
  deref?(table: string | undefined, field: string, value: string): ServiceNowRecord | undefined
  /** The table a reference field points to, so the next dot-walk step knows its table. */
  referenceTableOf?(table: string | undefined, field: string): string | undefined
  /** Is class `className` the class `ancestor` or one of its subclasses? (INSTANCEOF) */
  isInstanceOf?(className: string, ancestor: string): boolean
  /** Does `table` have column `field`? Default: the record (or referenced record) has the key. */
  hasField?(table: string | undefined, field: string): boolean
  /**
   * Display value of reference `table.field` holding sys_id `value`. With fieldType reporting
   * "reference", LIKE / NOT LIKE / STARTSWITH / ENDSWITH match this text, as the platform does.
   */
  displayValue?(table: string | undefined, field: string, value: string): string | undefined
  /** The column's ServiceNow type ("boolean", "integer", "glide_date_time", …) when known. */
  fieldType?(table: string | undefined, field: string): string | undefined
  /** The record before the change, for VALCHANGES / CHANGESFROM / CHANGESTO. */
  readonly previous?: ServiceNowRecord
  /** "Now" for relative dates and gs.* date functions; default the wall clock. */
  readonly now?: Date
  /** sys_id of the session user: DYNAMIC "Me" and gs.getUserID(). */
  readonly userSysId?: string
  /** Value(s) a DYNAMIC filter option (sys_filter_option_dynamic sys_id) stands for; undefined if unknown. */
  resolveDynamic?(optionSysId: string): string | readonly string[] | undefined
  /** Compare text case- and accent-sensitively. Default false, like ServiceNow's database. */
  readonly caseSensitive?: boolean
  /** glide.invalid_query.returns_no_rows: a query naming an unknown field matches nothing. Default false. */
  readonly invalidQueryReturnsNoRows?: boolean
  /**
   * How many rows of `table` have `field` equal to `value` and match `query`: what RLQUERY and
   * JOIN terms look up in the other table. Without it those terms are refused (UNSUPPORTED).
   */
  countRelated?(table: string, field: string, value: string, query: EncodedQuery): number
}

const TEXT_MATCH: ReadonlySet<Operator> = new Set<Operator>(['LIKE', 'NOT LIKE', 'STARTSWITH', 'ENDSWITH'])

/** sys_id of the "Me" option in sys_filter_option_dynamic (`assigned_toDYNAMIC90d1921e…`). */
export const DYNAMIC_ME = '90d1921e5f510100a9ad2572f2b477fe'

/** Outcome of one term: matched, did not, or dropped because it names an unknown field. */
type Outcome = boolean | 'dropped'

const EMPTY_CONTEXT: EvaluationContext = {}

export function matchesEncodedQuery(
  query: string | EncodedQuery,
  record: ServiceNowRecord,
  ctx: EvaluationContext = EMPTY_CONTEXT,
): boolean {
  const ast = typeof query === 'string' ? parseEncodedQuery(query) : query
  assertEvaluable(ast, ctx)
  const evaluator = new RecordEvaluator(record, ctx)
  if (ctx.invalidQueryReturnsNoRows === true && hasUnknown(ast, evaluator)) return false
  let anyGroupKept = false
  for (const group of ast.groups) {
    let groupOutcome: Outcome = 'dropped'
    for (const clause of group.clauses) {
      const clauseOutcome = evaluateClause(clause.terms, evaluator)
      if (clauseOutcome === 'dropped') continue
      groupOutcome = clauseOutcome
      if (!clauseOutcome) break // AND: one failing clause fails the group
    }
    if (groupOutcome === true) return true
    if (groupOutcome === false) anyGroupKept = true
  }
  // every group dropped (or no conditions at all): the query is empty and matches everything
  return !anyGroupKept
}

/**
 * Refuse up front what cannot be evaluated, so the answer does not depend on whether an ^OR
 * short-circuits past the unsupported term for this particular record.
 */
function assertEvaluable(ast: EncodedQuery, ctx: EvaluationContext): void {
  for (const group of ast.groups) {
    for (const clause of group.clauses) {
      for (const term of clause.terms) {
        const problem = unsupportedReason(term, ctx)
        if (problem !== undefined) throw new EncodedQueryErrors.UNSUPPORTED(problem)
      }
    }
  }
}

function unsupportedReason(term: Term, ctx: EvaluationContext): string | undefined {
  if (term.kind === 'opaque') {
    if ((term.type === 'RLQUERY' || term.type === 'JOIN') && ctx.countRelated !== undefined) {
      // malformed specs are invalid queries (EncodedQueryError), whatever the record
      if (term.type === 'RLQUERY') parseRelatedListQuery(term.text)
      else parseJoinQuery(term.text)
      return undefined
    }
    return `${term.type} terms are not evaluated locally${term.type === 'RLQUERY' || term.type === 'JOIN' ? ' without ctx.countRelated' : ''}`
  }
  const { operator } = term
  if (UNEVALUATED_OPERATORS.has(operator)) return `operator ${operator} (in "${term.field}${operator}${term.value}")`
  if (operator === 'INSTANCEOF' && ctx.isInstanceOf === undefined) {
    return 'INSTANCEOF needs ctx.isInstanceOf (the table hierarchy)'
  }
  if (
    (operator === 'VALCHANGES' || operator === 'CHANGESFROM' || operator === 'CHANGESTO') &&
    ctx.previous === undefined
  ) {
    return `${operator} compares with the previous version of the record; give ctx.previous`
  }
  if (operator === 'RELATIVEEE' && /^@(?:week|quarter)@/.test(term.value)) {
    return `RELATIVEEE with unit ${term.value.split('@')[1]}`
  }
  return SCRIPT_VALUE_OPERATORS.has(operator) ? scriptValueProblem(term, ctx) : undefined
}

/** Operators whose value may be a `javascript:gs.…()` expression the evaluator resolves. */
const SCRIPT_VALUE_OPERATORS: ReadonlySet<Operator> = new Set<Operator>([
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'IN',
  'NOT IN',
  'BETWEEN',
  'ON',
  'NOTON',
])

/** Why a `javascript:` part of the value cannot be resolved (not whitelisted, no user), if it cannot. */
function scriptValueProblem(term: Condition, ctx: EvaluationContext): string | undefined {
  const ranged = term.operator === 'BETWEEN' || term.operator === 'ON' || term.operator === 'NOTON'
  for (const part of ranged ? term.value.split('@') : [term.value]) {
    if (!part.startsWith('javascript:')) continue
    try {
      evaluateScriptValue(part, { now: 0, userSysId: ctx.userSysId })
    } catch (err) {
      if (err instanceof Error) return err.message.replace(/^Unsupported in local evaluation: /, '')
      throw err
    }
  }
  return undefined
}

/** Strict mode: one condition naming an unknown field anywhere makes the whole query match nothing. */
function hasUnknown(ast: EncodedQuery, evaluator: RecordEvaluator): boolean {
  return ast.groups.some((group) =>
    group.clauses.some((clause) =>
      clause.terms.some((term) => term.kind === 'condition' && evaluator.namesUnknownField(term)),
    ),
  )
}

function evaluateClause(terms: readonly Term[], evaluator: RecordEvaluator): Outcome {
  let outcome: Outcome = 'dropped'
  for (const term of terms) {
    const result = evaluator.evaluate(term)
    if (result === 'dropped') continue
    if (result) return true // OR: one matching term matches the clause
    outcome = false
  }
  return outcome
}

/** A resolved field: its value, or unknown when the name is not a field of its table. */
type Resolved =
  { known: true; value: string; type: string | undefined; table: string | undefined; column: string } | { known: false }

class RecordEvaluator {
  private readonly record: ServiceNowRecord
  private readonly ctx: EvaluationContext
  private readonly cs: boolean

  constructor(record: ServiceNowRecord, ctx: EvaluationContext) {
    this.record = record
    this.ctx = ctx
    this.cs = ctx.caseSensitive === true
  }

  namesUnknownField(condition: Condition): boolean {
    if (!this.resolve(this.record, condition.field).known) return true
    const other = otherField(condition)
    return other !== undefined && !this.resolve(this.record, other).known
  }

  evaluate(term: Term): Outcome {
    if (term.kind === 'opaque') return this.related(term)
    const { operator } = term
    const resolved = this.resolve(this.record, term.field)
    if (!resolved.known) return 'dropped'
    if (TEXT_MATCH.has(operator) && resolved.type === 'reference' && resolved.value !== '' && this.ctx.displayValue) {
      // the platform matches LIKE / STARTSWITH / ENDSWITH on a reference against its display value (D-OPS)
      const shown = this.ctx.displayValue(resolved.table, resolved.column, resolved.value) ?? ''
      return this.apply(term, shown, 'string')
    }
    return this.apply(term, resolved.value, resolved.type)
  }

  /** RLQUERY / JOIN through ctx.countRelated (assertEvaluable made sure it exists) */
  private related(term: OpaqueTerm): Outcome {
    const count = this.ctx.countRelated
    if (count === undefined || (term.type !== 'RLQUERY' && term.type !== 'JOIN')) return 'dropped'
    if (term.type === 'RLQUERY') {
      const rl = parseRelatedListQuery(term.text)
      const id = this.record.sys_id ?? ''
      return compareCount(id === '' ? 0 : count(rl.table, rl.field, id, rl.query), rl.comparison, rl.count)
    }
    const join = parseJoinQuery(term.text)
    const own = this.resolve(this.record, join.field)
    if (!own.known) return 'dropped'
    return own.value !== '' && count(join.otherTable, join.otherField, own.value, join.query) > 0
  }

  private apply(c: Condition, v: string, type: string | undefined): Outcome {
    const cs = this.cs
    const kind = kindOfFieldType(type)
    /** `v` against a query literal: negative, zero or positive. */
    const cmp = (literal: string) => compareValues(v, this.literal(literal), cs, kind)
    const inList = (list: string) => listItems(this.literal(list)).some((item) => valuesEqual(v, item, cs, kind))
    switch (c.operator) {
      case '=':
        return c.value === 'NULL' ? v === '' : v === c.value || cmp(c.value) === 0
      case '!=':
        if (c.value === 'NULL') return v !== ''
        if (v === '') return type !== undefined ? type === 'boolean' : c.value === 'true' || c.value === 'false'
        return cmp(c.value) !== 0
      case '<':
        return v !== '' && cmp(c.value) < 0
      case '<=':
        return v !== '' && cmp(c.value) <= 0
      case '>':
        return v !== '' && cmp(c.value) > 0
      case '>=':
        return v !== '' && cmp(c.value) >= 0
      case 'IN':
        return v !== '' && inList(c.value)
      case 'NOT IN':
        return v !== '' && !inList(c.value)
      case 'LIKE':
        return v !== '' && foldText(v, cs).includes(foldText(c.value, cs))
      case 'NOT LIKE':
        return v !== '' && !foldText(v, cs).includes(foldText(c.value, cs))
      case 'STARTSWITH':
        return v !== '' && foldText(v, cs).startsWith(foldText(c.value, cs))
      case 'ENDSWITH':
        return v !== '' && foldText(v, cs).endsWith(foldText(c.value, cs))
      case 'ISEMPTY':
      case 'EMPTYSTRING':
        return v === ''
      case 'ISNOTEMPTY':
        return v !== ''
      case 'ANYTHING':
        return true
      case 'BETWEEN': {
        const [low = '', high = ''] = c.value.split('@')
        return v !== '' && cmp(low) >= 0 && cmp(high) <= 0
      }
      case 'ON':
      case 'NOTON': {
        const [, start = '', end = ''] = c.value.split('@')
        if (v === '') return false
        const inside = cmp(start) >= 0 && cmp(end) <= 0
        return c.operator === 'ON' ? inside : !inside
      }
      case 'RELATIVEGT':
      case 'RELATIVELT':
      case 'RELATIVEGE':
      case 'RELATIVELE':
      case 'RELATIVEEE':
        return this.relative(c, v)
      case 'SAMEAS':
      case 'NSAMEAS':
      case 'GT_FIELD':
      case 'LT_FIELD':
      case 'GT_OR_EQUALS_FIELD':
      case 'LT_OR_EQUALS_FIELD':
        return this.fieldToField(c, v, kind)
      case 'INSTANCEOF': // assertEvaluable made sure the hook exists
        return v !== '' && this.ctx.isInstanceOf?.(v, c.value) === true
      case 'DYNAMIC': {
        const targets = this.dynamic(c.value)
        return v !== '' && targets.some((t) => valuesEqual(v, t, cs, kind))
      }
      case 'VALCHANGES':
      case 'CHANGESFROM':
      case 'CHANGESTO':
        return this.change(c, v, kind)
      default:
        throw new EncodedQueryErrors.UNSUPPORTED(`operator ${c.operator}`)
    }
  }

  /** A query value as a comparable literal: `javascript:gs.…()` resolved through the whitelist. */
  private literal(value: string): string {
    if (!value.startsWith('javascript:')) return value
    return evaluateScriptValue(value, { now: this.now(), userSysId: this.ctx.userSysId })
  }

  private now(): number {
    return (this.ctx.now ?? new Date()).getTime()
  }

  private relative(c: Condition, v: string): boolean {
    const [, unit, direction, count] = c.value.split('@') as [string, RelativeUnit, 'ago' | 'ahead', string]
    const at = parseDateTime(v)
    if (at === undefined) return false
    const threshold = shift(this.now(), unit, (direction === 'ago' ? -1 : 1) * Number(count))
    if (c.operator === 'RELATIVEEE') return startOf(at, unit) === startOf(threshold, unit)
    const diff = compareValues(v, formatDateTime(threshold))
    switch (c.operator) {
      case 'RELATIVEGT':
        return diff > 0
      case 'RELATIVELT':
        return diff < 0
      case 'RELATIVEGE':
        return diff >= 0
      default:
        return diff <= 0
    }
  }

  private fieldToField(c: Condition, v: string, kind: ValueKind | undefined): Outcome {
    const [otherName = '', granularity] = c.value.split('@')
    const other = this.resolve(this.record, otherName)
    if (!other.known) {
      return 'dropped'
    }
    const w = other.value
    if (v === '' || w === '') return false
    let a = v
    let b = w
    if (granularity !== undefined) {
      const da = parseDateTime(v)
      const db = parseDateTime(w)
      if (da === undefined || db === undefined) return false
      if (granularity === 'week') throw new EncodedQueryErrors.UNSUPPORTED('SAMEAS/NSAMEAS at week granularity')
      a = formatDateTime(startOf(da, granularity as Exclude<RelativeUnit, 'week'> | 'second'))
      b = formatDateTime(startOf(db, granularity as Exclude<RelativeUnit, 'week'> | 'second'))
    }
    const cmp = compareValues(a, b, this.cs, granularity === undefined ? kind : 'datetime')
    switch (c.operator) {
      case 'SAMEAS':
        return cmp === 0
      case 'NSAMEAS':
        return cmp !== 0
      case 'GT_FIELD':
        return cmp > 0
      case 'LT_FIELD':
        return cmp < 0
      case 'GT_OR_EQUALS_FIELD':
        return cmp >= 0
      default:
        return cmp <= 0
    }
  }

  private dynamic(optionSysId: string): readonly string[] {
    const resolved = this.ctx.resolveDynamic?.(optionSysId)
    if (resolved !== undefined) return typeof resolved === 'string' ? [resolved] : resolved
    if (optionSysId === DYNAMIC_ME && this.ctx.userSysId !== undefined) return [this.ctx.userSysId]
    throw new EncodedQueryErrors.UNSUPPORTED(
      `DYNAMIC option ${optionSysId} (give ctx.resolveDynamic, or ctx.userSysId for "Me")`,
    )
  }

  private change(c: Condition, v: string, kind: ValueKind | undefined): boolean {
    const before = this.resolve(this.ctx.previous ?? {}, c.field) // assertEvaluable made sure previous exists
    const p = before.known ? before.value : ''
    const changed = p !== v
    if (c.operator === 'VALCHANGES') return changed
    if (c.operator === 'CHANGESFROM') return changed && valuesEqual(p, c.value, this.cs, kind)
    return changed && valuesEqual(v, c.value, this.cs, kind)
  }

  /**
   * The value of a possibly dot-walked field. A flat key holding the whole path (as the Table API
   * returns dot-walked sysparm_fields) wins; otherwise each step follows a reference via ctx.deref.
   */
  resolve(record: ServiceNowRecord, path: string): Resolved {
    if (path.includes('.') && Object.hasOwn(record, path)) {
      return { known: true, value: record[path] ?? '', type: undefined, table: undefined, column: path }
    }
    const steps = path.split('.')
    // `current` is undefined once a reference on the way is empty or dangling: the value is then
    // empty, but the remaining steps must still name fields (checked when hasField can tell)
    let current: ServiceNowRecord | undefined = record
    let table = this.ctx.table
    for (let i = 0; ; i++) {
      const step = steps[i] as string
      if (!this.hasField(current, table, step)) return { known: false }
      if (i === steps.length - 1) {
        const type = this.ctx.fieldType?.(table, step)
        return { known: true, value: current?.[step] ?? '', type, table, column: step }
      }
      const value = current?.[step] ?? ''
      if (current !== undefined && value !== '') {
        if (this.ctx.deref === undefined) {
          throw new EncodedQueryErrors.UNSUPPORTED(`dot-walked field "${path}" needs ctx.deref to follow references`)
        }
        current = this.ctx.deref(table, step, value)
      } else {
        current = undefined
      }
      table = this.ctx.referenceTableOf?.(table, step)
    }
  }

  private hasField(record: ServiceNowRecord | undefined, table: string | undefined, field: string): boolean {
    if (this.ctx.hasField !== undefined) return this.ctx.hasField(table, field)
    return record === undefined || Object.hasOwn(record, field)
  }
}

function otherField(condition: Condition): string | undefined {
  return FIELD_COMPARISON_OPERATORS.has(condition.operator) ? condition.value.split('@')[0] : undefined
}

/** The value of a (possibly dot-walked) field of `record`, or undefined when it names no field. */
export function resolveField(
  record: ServiceNowRecord,
  path: string,
  ctx: EvaluationContext = EMPTY_CONTEXT,
): string | undefined {
  return resolveTypedField(record, path, ctx)?.value
}

/** resolveField plus the column type ctx.fieldType reports for the last step, if any. */
export function resolveTypedField(
  record: ServiceNowRecord,
  path: string,
  ctx: EvaluationContext = EMPTY_CONTEXT,
): { value: string; type: string | undefined } | undefined {
  const resolved = new RecordEvaluator(record, ctx).resolve(record, path)
  return resolved.known ? { value: resolved.value, type: resolved.type } : undefined
}
