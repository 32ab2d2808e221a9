// Encoded query text -> EncodedQuery. Throws EncodedQueryError (CW_SN_QUERY_INVALID) and nothing
// else, naming the position and the reason.
//
// Splitting: the language has no escapes, so every "^" ends a term; what follows it decides the
// conjunction: "^OR" (but not "^ORDERBY") binds to the neighbouring condition, "^NQ" starts a new
// group, anything else is AND. Inside a term the field is the longest run of [a-z0-9_.] (column
// names are always lowercase), then the longest operator spelling that matches; the rest of the
// term is the value, verbatim. RLQUERY…^ENDRLQUERY is the one term that contains "^".
import type { EncodedQuery, OpaqueTerm, OrClause, OrderBy, QueryGroup, Term } from './ast.ts'
import { EncodedQueryError } from './errors.ts'
import { matchOperator } from './operators.ts'
import { fieldProblem, valueProblem } from './values.ts'

type Conjunction = 'start' | 'and' | 'or' | 'nq'

type ParsedTerm =
  | { kind: 'term'; term: Term }
  | { kind: 'orderBy'; orderBy: OrderBy }
  | { kind: 'groupBy'; field: string }
  | { kind: 'none' } // empty term or the ^EQ end marker
  | { kind: 'dropped' } // a malformed term skipped in dropInvalidTerms mode

const FIELD_CHAR = /[a-z0-9_.]/
const RL_START = 'RLQUERY'
const RL_END = '^ENDRLQUERY'

const KEYWORD_TERMS: readonly { prefix: string; make: (rest: string, at: number) => ParsedTerm }[] = [
  {
    prefix: 'ORDERBYDESC',
    make: (rest, at) => ({ kind: 'orderBy', orderBy: { field: field(rest, at), descending: true } }),
  },
  {
    prefix: 'ORDERBY',
    make: (rest, at) => ({ kind: 'orderBy', orderBy: { field: field(rest, at), descending: false } }),
  },
  { prefix: 'GROUPBY', make: (rest, at) => ({ kind: 'groupBy', field: field(rest, at) }) },
  { prefix: '123TEXTQUERY321=', make: (rest) => opaque('TEXTQUERY', rest) },
  { prefix: '123TEXTINDEXGROUP321=', make: (rest) => opaque('TEXTINDEXGROUP', rest) },
  { prefix: 'JOIN', make: (rest) => opaque('JOIN', rest) },
]

function opaque(type: OpaqueTerm['type'], text: string): ParsedTerm {
  return { kind: 'term', term: { kind: 'opaque', type, text } }
}

function field(name: string, at: number): string {
  const problem = fieldProblem(name)
  if (problem !== undefined) throw new EncodedQueryError(at, `expected a field name: ${problem}`)
  return name
}

/** One term (the text between two separators) starting at `offset` in the whole query. */
function parseTerm(raw: string, offset: number): ParsedTerm {
  if (raw === '' || raw === 'EQ') return { kind: 'none' }
  for (const keyword of KEYWORD_TERMS) {
    if (raw.startsWith(keyword.prefix)) {
      return keyword.make(raw.slice(keyword.prefix.length), offset + keyword.prefix.length)
    }
  }
  let end = 0
  while (end < raw.length && FIELD_CHAR.test(raw[end] ?? '')) end++
  if (end === 0) {
    throw new EncodedQueryError(
      offset,
      `expected a field name (lowercase letters, digits, "_", ".") at "${excerpt(raw)}"`,
    )
  }
  const name = field(raw.slice(0, end), offset)
  const op = matchOperator(raw, end)
  if (op === undefined) {
    const reason =
      end === raw.length
        ? `expected an operator after field "${name}"`
        : `unknown operator at "${excerpt(raw.slice(end))}" after field "${name}"`
    throw new EncodedQueryError(offset + end, reason)
  }
  const valueAt = end + op.spelling.length
  const value = raw.slice(valueAt)
  const problem = valueProblem(op.operator, value)
  if (problem !== undefined) throw new EncodedQueryError(offset + valueAt, problem)
  return { kind: 'term', term: { kind: 'condition', field: name, operator: op.operator, value } }
}

function parseOrDrop(raw: string, offset: number, options: ParseOptions): ParsedTerm {
  if (options.dropInvalidTerms !== true) return parseTerm(raw, offset)
  try {
    return parseTerm(raw, offset)
  } catch (err) {
    if (!(err instanceof EncodedQueryError)) throw err
    options.onDrop?.(err)
    return { kind: 'dropped' }
  }
}

function excerpt(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text
}

export interface ParseOptions {
  /**
   * Skip malformed terms instead of throwing, the way the platform drops invalid query parts and
   * applies the rest; `onDrop` hears about each one. Structural errors (a dangling ^OR/^NQ, an
   * unclosed RLQUERY) still throw.
   */
  readonly dropInvalidTerms?: boolean
  readonly onDrop?: (error: EncodedQueryError) => void
}

export function parseEncodedQuery(text: string, options: ParseOptions = {}): EncodedQuery {
  const groups: { clauses: Term[][] }[] = [{ clauses: [] }]
  const orderBy: OrderBy[] = []
  const groupBy: string[] = []
  let conjunction: Conjunction = 'start'
  let conjunctionAt = 0
  let previousWasCondition = false
  let pos = 0

  for (;;) {
    const termAt = pos
    let parsed: ParsedTerm
    if (text.startsWith(RL_START, pos)) {
      const end = text.indexOf(RL_END, pos)
      if (end < 0) throw new EncodedQueryError(pos, 'RLQUERY without a closing ^ENDRLQUERY')
      parsed = opaque('RLQUERY', text.slice(pos + RL_START.length, end))
      pos = end + RL_END.length
      if (pos < text.length && text[pos] !== '^') {
        throw new EncodedQueryError(pos, 'expected "^" or the end of the query after ^ENDRLQUERY')
      }
    } else {
      const end = text.indexOf('^', pos)
      const stop = end < 0 ? text.length : end
      parsed = parseOrDrop(text.slice(pos, stop), pos, options)
      pos = stop
    }

    const group = groups[groups.length - 1] as { clauses: Term[][] }
    switch (parsed.kind) {
      case 'dropped':
        // hold the dropped term's place, so an ^OR after it joins its clause rather than the one before
        if (conjunction === 'nq') groups.push({ clauses: [[]] })
        else if (conjunction !== 'or') group.clauses.push([])
        break
      case 'none':
        if (conjunction === 'or' || conjunction === 'nq') {
          throw new EncodedQueryError(termAt, `expected a condition after ^${conjunction.toUpperCase()}`)
        }
        break
      case 'orderBy':
      case 'groupBy':
        if (conjunction === 'or' || conjunction === 'nq') {
          throw new EncodedQueryError(
            conjunctionAt,
            `^${conjunction.toUpperCase()} must be followed by a condition, not ${parsed.kind === 'orderBy' ? 'ORDERBY' : 'GROUPBY'}`,
          )
        }
        if (parsed.kind === 'orderBy') orderBy.push(parsed.orderBy)
        else groupBy.push(parsed.field)
        break
      case 'term':
        if (conjunction === 'or') {
          const last = group.clauses[group.clauses.length - 1]
          if (!previousWasCondition || last === undefined) {
            throw new EncodedQueryError(conjunctionAt, '^OR must follow a condition')
          }
          last.push(parsed.term)
        } else if (conjunction === 'nq') {
          if (group.clauses.length === 0) {
            throw new EncodedQueryError(conjunctionAt, '^NQ must follow a group with at least one condition')
          }
          groups.push({ clauses: [[parsed.term]] })
        } else {
          group.clauses.push([parsed.term])
        }
        break
    }
    previousWasCondition =
      parsed.kind === 'term' || (parsed.kind === 'dropped' && (groups[groups.length - 1]?.clauses.length ?? 0) > 0)

    if (pos >= text.length) break
    // text[pos] is "^": read the conjunction that follows it
    conjunctionAt = pos
    pos++
    if (text.startsWith('OR', pos) && !text.startsWith('ORDERBY', pos)) {
      conjunction = 'or'
      pos += 2
    } else if (text.startsWith('NQ', pos)) {
      conjunction = 'nq'
      pos += 2
    } else {
      conjunction = 'and'
    }
  }

  const built: QueryGroup[] = groups
    .map((g) => g.clauses.filter((terms) => terms.length > 0))
    .filter((clauses) => clauses.length > 0)
    .map((clauses) => ({ kind: 'group', clauses: clauses.map((terms): OrClause => ({ kind: 'or', terms })) }))
  return { groups: built, orderBy, groupBy }
}
