// Property-based tests: printing and re-parsing random trees, and random text never producing
// an error other than the parser's own.
import fc from 'fast-check'
import { test } from 'tap'
import {
  conjoinQueries,
  EncodedQueryError,
  matchesEncodedQuery,
  OPERATORS,
  parseEncodedQuery,
  printEncodedQuery,
  UNARY_OPERATORS,
  valueProblem,
  type Condition,
  type EncodedQuery,
  type Operator,
  type QueryGroup,
  type Term,
} from '../../../connectors/servicenow/encoded-query/index.ts'

const NUM_RUNS = 2000

const segment = fc.stringMatching(/^[a-z0-9_]{1,8}$/)
const fieldArb = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('.'))
/** Text that likes to contain the language's own punctuation and keywords. */
const trickyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      'a',
      'Z',
      ' ',
      ',',
      '@',
      '=',
      '!',
      '<',
      '>',
      '*',
      '%',
      '.',
      'é',
      '^',
      'OR',
      'NQ',
      'IN',
      'STANCEOF',
      '_HIERARCHY',
    ),
    fc.string({ maxLength: 1 }),
  ),
  maxLength: 12,
})
const noCaret = trickyText.map((s) => s.replaceAll('^', ''))

function valueArb(op: Operator): fc.Arbitrary<string> {
  if (UNARY_OPERATORS.has(op)) return fc.constant('')
  const structured: Partial<Record<Operator, fc.Arbitrary<string>>> = {
    BETWEEN: fc.tuple(noCaret, noCaret).map(([a, b]) => `${a.replaceAll('@', '')}@${b.replaceAll('@', '')}`),
    ON: fc.tuple(noCaret, noCaret, noCaret).map((p) => p.map((s) => s.replaceAll('@', '')).join('@')),
    RELATIVEGT: fc
      .tuple(
        fc.constantFrom('minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'),
        fc.constantFrom('ago', 'ahead'),
        fc.nat(99),
      )
      .map(([u, d, n]) => `@${u}@${d}@${n}`),
    SAMEAS: fc
      .tuple(fieldArb, fc.option(fc.constantFrom('day', 'hour', 'year')))
      .map(([f, g]) => (g === null ? f : `${f}@${g}`)),
  }
  const special = structured[op]
  return special === undefined ? trickyText : fc.oneof(special, trickyText)
}

const conditionArb: fc.Arbitrary<Condition> = fc
  .tuple(fieldArb, fc.constantFrom(...OPERATORS))
  .chain(([field, operator]) =>
    valueArb(operator).map((value): Condition => ({ kind: 'condition', field, operator, value })),
  )

const termArb: fc.Arbitrary<Term> = fc.oneof(
  { weight: 8, arbitrary: conditionArb },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('RLQUERY', 'JOIN', 'TEXTQUERY', 'TEXTINDEXGROUP') as fc.Arbitrary<'RLQUERY'>, trickyText)
      .map(([type, text]): Term => ({ kind: 'opaque', type, text })),
  },
)

/** Up to 3 ^NQ groups of up to `width` clauses of up to `width` ^OR-ed terms. */
function groupsOf(term: fc.Arbitrary<Term>, width: number): fc.Arbitrary<QueryGroup[]> {
  const clause = fc.record({
    kind: fc.constant('or' as const),
    terms: fc.array(term, { minLength: 1, maxLength: width }),
  })
  const group = fc.record({
    kind: fc.constant('group' as const),
    clauses: fc.array(clause, { minLength: 1, maxLength: width }),
  })
  return fc.array(group, { maxLength: 3 })
}

const queryArb: fc.Arbitrary<EncodedQuery> = fc.record({
  groups: groupsOf(termArb, 3),
  orderBy: fc.array(fc.record({ field: fieldArb, descending: fc.boolean() }), { maxLength: 3 }),
  groupBy: fc.array(fieldArb, { maxLength: 2 }),
})

/** Can this tree be written at all? Values holding "^", glued operators etc. cannot. */
function expressible(q: EncodedQuery): boolean {
  return q.groups.every((g) =>
    g.clauses.every((c) =>
      c.terms.every((t) =>
        t.kind === 'condition'
          ? valueProblem(t.operator, t.value) === undefined
          : t.type === 'RLQUERY'
            ? !t.text.includes('^ENDRLQUERY')
            : !t.text.includes('^'),
      ),
    ),
  )
}

test('print then parse returns the same tree; inexpressible trees are refused, not mangled', async (t) => {
  let printed = 0
  fc.assert(
    fc.property(queryArb, (q) => {
      if (expressible(q)) {
        const text = printEncodedQuery(q)
        printed++
        const back = parseEncodedQuery(text)
        if (JSON.stringify(back) !== JSON.stringify(q)) throw new Error(`round trip changed ${text}`)
      } else {
        try {
          printEncodedQuery(q)
        } catch (err) {
          if ((err as { code?: string }).code === 'CW_SN_QUERY_VALUE_UNSAFE') return
          throw err
        }
        throw new Error(`printed an inexpressible tree: ${JSON.stringify(q)}`)
      }
    }),
    { numRuns: NUM_RUNS },
  )
  t.ok(printed > NUM_RUNS / 4, `most generated trees were printable (${printed})`)
})

const queryishText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      'a',
      'b1',
      '.',
      '_',
      '=',
      '!=',
      '<',
      '>=',
      '^',
      '^OR',
      '^NQ',
      '^EQ',
      'IN',
      'NOT IN',
      'NOT LIKE',
      'LIKE',
      '@',
      ',',
      'ORDERBY',
      'ORDERBYDESC',
      'GROUPBY',
      'RLQUERY',
      '^ENDRLQUERY',
      'JOIN',
      '123TEXTQUERY321=',
      'ISEMPTY',
      'BETWEEN',
      'RELATIVEGT',
      '@hour@ago@1',
      'SAMEAS',
      'ON',
      'javascript:gs.nowDateTime()',
      ' ',
      'X',
    ),
    fc.string({ unit: 'binary', maxLength: 2 }),
  ),
  maxLength: 20,
})

test('random text: the parser throws only EncodedQueryError, and what it accepts is stable', async (t) => {
  let accepted = 0
  fc.assert(
    fc.property(fc.oneof(queryishText, fc.string({ unit: 'binary' })), (text) => {
      checkLenient(text)
      let q: EncodedQuery
      try {
        q = parseEncodedQuery(text)
      } catch (err) {
        if (err instanceof EncodedQueryError && err.code === 'CW_SN_QUERY_INVALID') {
          if (err.position < 0 || err.position > text.length)
            throw new Error(`position ${err.position} outside "${text}"`, { cause: err })
          return
        }
        throw err
      }
      accepted++
      const canonical = printEncodedQuery(q)
      if (JSON.stringify(parseEncodedQuery(canonical)) !== JSON.stringify(q)) throw new Error(`unstable: "${text}"`)
    }),
    { numRuns: NUM_RUNS * 2 },
  )
  t.ok(accepted > 0, `some random queries were valid (${accepted})`)
})

/** Lenient parsing throws only structural EncodedQueryErrors and what it keeps prints and re-parses unchanged. */
function checkLenient(text: string): void {
  let q: EncodedQuery
  try {
    q = parseEncodedQuery(text, { dropInvalidTerms: true })
  } catch (err) {
    if (err instanceof EncodedQueryError) return
    throw err
  }
  if (JSON.stringify(parseEncodedQuery(printEncodedQuery(q))) !== JSON.stringify(q)) {
    throw new Error(`lenient parse of "${text}" is not printable as itself`)
  }
}

test('random valid queries evaluate or refuse with the module own codes, never crash', async (t) => {
  const record = fc.dictionary(
    segment,
    fc.oneof(trickyText, fc.constantFrom('', '1', '2.5', '2024-03-10 08:30:00', 'true')),
  )
  fc.assert(
    fc.property(queryArb.filter(expressible), record, (q, rec) => {
      try {
        const viaAst = matchesEncodedQuery(q, rec, { now: new Date(0) })
        if (viaAst !== matchesEncodedQuery(printEncodedQuery(q), rec, { now: new Date(0) })) {
          throw new Error('AST and text evaluate differently')
        }
      } catch (err) {
        if ((err as { code?: string }).code === 'CW_SN_QUERY_UNSUPPORTED') return
        throw err
      }
    }),
    { numRuns: NUM_RUNS },
  )
  t.pass('evaluated')
})

test('conjoinQueries(a, b) matches exactly what a and b both match, across ^NQ groups', async (t) => {
  const fields = ['a', 'b', 'c']
  const conditionOn = fc
    .tuple(
      fc.constantFrom(...fields),
      fc.constantFrom('=', '!=', '<', 'LIKE', 'ISEMPTY', 'IN') as fc.Arbitrary<Operator>,
      fc.constantFrom('', '1', '2', '1,2'),
    )
    .map(([field, operator, value]): Condition => ({
      kind: 'condition',
      field,
      operator,
      value: operator === 'ISEMPTY' ? '' : value,
    }))
  const smallQuery: fc.Arbitrary<EncodedQuery> = fc.record({
    groups: groupsOf(conditionOn, 2),
    orderBy: fc.constant([]),
    groupBy: fc.constant([]),
  })
  const record = fc.record({
    a: fc.constantFrom('', '1', '2'),
    b: fc.constantFrom('', '1', '2'),
    c: fc.constantFrom('', '1', '12'),
  })
  fc.assert(
    fc.property(smallQuery, smallQuery, record, (a, b, r) => {
      const both = conjoinQueries(a, b)
      if (matchesEncodedQuery(both, r) !== (matchesEncodedQuery(a, r) && matchesEncodedQuery(b, r))) {
        throw new Error(`${printEncodedQuery(a)} AND ${printEncodedQuery(b)} = ${printEncodedQuery(both)} disagrees`)
      }
    }),
    { numRuns: NUM_RUNS },
  )
  const naive = parseEncodedQuery('a=1^NQb=1^c=1')
  t.notOk(
    matchesEncodedQuery(conjoinQueries(parseEncodedQuery('a=1^NQb=1'), parseEncodedQuery('c=1')), {
      a: '1',
      b: '',
      c: '',
    }),
  )
  t.ok(matchesEncodedQuery(naive, { a: '1', b: '', c: '' }), 'appending ^c=1 to the text would have matched')
})
