import { test } from 'tap'
import {
  buildCondition,
  compareByOrder,
  sortByOrder,
  encodeCondition,
  EncodedQueryBuilder,
  findKeysetCursor,
  matchesEncodedQuery,
  parseEncodedQuery,
  printEncodedQuery,
  type ServiceNowRecord,
} from '../../../connectors/servicenow/encoded-query/index.ts'

const UNSAFE = { code: 'CW_SN_QUERY_VALUE_UNSAFE', statusCode: 400 }

test('buildCondition makes checked conditions', async (t) => {
  t.same(buildCondition('name', '=', 'Beth Anglin'), {
    kind: 'condition',
    field: 'name',
    operator: '=',
    value: 'Beth Anglin',
  })
  t.equal(encodeCondition('state', 'IN', ['1', 'in progress', '3']), 'stateIN1,in progress,3')
  t.equal(encodeCondition('priority', 'BETWEEN', ['1', '3']), 'priorityBETWEEN1@3')
  t.equal(encodeCondition('assigned_to', 'ISEMPTY'), 'assigned_toISEMPTY')
  t.equal(encodeCondition('short_description', 'NOTLIKE', 'x'), 'short_descriptionNOT LIKEx', 'aliases normalise')
  t.equal(encodeCondition('assigned_to.department.name', 'STARTSWITH', 'IT'), 'assigned_to.department.nameSTARTSWITHIT')
})

test('injection is refused: ^, ^OR, ^NQ in values; separators inside list items', async (t) => {
  for (const evil of ['x^NQsys_idANYTHING', 'x^ORactive=false', 'a^b', '^']) {
    t.throws(() => buildCondition('name', '=', evil), { ...UNSAFE, message: /contains "\^"/ }, evil)
    t.throws(() => new EncodedQueryBuilder().where('name', 'LIKE', evil), UNSAFE, evil)
  }
  t.throws(() => buildCondition('state', 'IN', ['1', 'a,b']), { ...UNSAFE, message: /contains ","/ })
  t.throws(() => buildCondition('state', 'IN', ['1', 'x^NQa=b']), UNSAFE)
  t.throws(() => buildCondition('state', 'IN', []), UNSAFE)
  t.throws(() => buildCondition('n', 'BETWEEN', ['1@2', '3']), { ...UNSAFE, message: /contains "@"/ })
  t.throws(() => buildCondition('n', 'BETWEEN', ['1']), UNSAFE)
  t.throws(() => buildCondition('n', 'BETWEEN', '1'), UNSAFE)
  t.throws(() => buildCondition('n', '=', ['1']), UNSAFE)
  t.throws(() => buildCondition('n', 'ISEMPTY', 'x'), { ...UNSAFE, message: /takes no value/ })
  t.throws(() => buildCondition('Name', '=', 'x'), { ...UNSAFE, message: /not a field name/ })
  t.throws(() => buildCondition('name^NQa', '=', 'x'), UNSAFE)
  t.throws(() => buildCondition('name', 'EQUALS', 'x'), { ...UNSAFE, message: /not an encoded-query operator/ })
  t.throws(() => buildCondition('n', '<', '=5'), { ...UNSAFE, message: /would be read as operator <=/ })
  t.throws(() => buildCondition('n', 'IN', 'STANCEOFx'), { ...UNSAFE, message: /INSTANCEOF/ })
  t.throws(
    () =>
      printEncodedQuery({
        groups: [
          {
            kind: 'group',
            clauses: [{ kind: 'or', terms: [{ kind: 'condition', field: 'a', operator: '=', value: 'x^NQb=1' }] }],
          },
        ],
        orderBy: [],
        groupBy: [],
      }),
    UNSAFE,
    'the printer refuses a hand-built tree too',
  )
})

test('EncodedQueryBuilder: AND, OR onto the previous clause, NQ groups, ORDERBY', async (t) => {
  const builder = new EncodedQueryBuilder()
    .where('active', '=', 'true')
    .and('priority', '=', '1')
    .or('priority', '=', '2')
    .newQuery()
    .where('state', 'IN', ['6', '7'])
    .orderBy('sys_updated_on')
    .orderByDesc('number')
  const text = builder.toString()
  t.equal(text, 'active=true^priority=1^ORpriority=2^NQstateIN6,7^ORDERBYsys_updated_on^ORDERBYDESCnumber')
  t.same(parseEncodedQuery(text), builder.build())
  t.throws(() => new EncodedQueryBuilder().or('a', '=', '1'), UNSAFE)
  t.throws(() => new EncodedQueryBuilder().newQuery(), UNSAFE)
  t.throws(() => new EncodedQueryBuilder().orderBy('a^NQb'), UNSAFE)
  t.equal(new EncodedQueryBuilder().orderBy('sys_id').toString(), 'ORDERBYsys_id')
})

test('compareByOrder: several keys in order, numeric/date/text like the evaluator, empty first', async (t) => {
  const rows: ServiceNowRecord[] = [
    { id: 'a', priority: '10', name: 'beta', at: '2024-01-02 00:00:00' },
    { id: 'b', priority: '9', name: 'Alpha', at: '2024-01-01 00:00:00' },
    { id: 'c', priority: '10', name: 'alpha', at: '2023-12-31 23:59:59' },
    { id: 'd', priority: '', name: 'gamma', at: '' },
  ]
  const ids = (order: string) => [...rows].sort(compareByOrder(parseEncodedQuery(order))).map((r) => r.id)
  t.same(
    ids('ORDERBYpriority^ORDERBYname'),
    ['d', 'b', 'c', 'a'],
    'numbers numerically (9 < 10), empty first, ties by name',
  )
  t.same(ids('ORDERBYDESCpriority^ORDERBYDESCname'), ['a', 'c', 'b', 'd'])
  t.same(ids('ORDERBYat'), ['d', 'c', 'b', 'a'])
  t.same(ids('ORDERBYname'), ['b', 'c', 'a', 'd'], 'text case-insensitive: Alpha and alpha tie, stable')
  t.same(
    [...rows].sort(compareByOrder(parseEncodedQuery('ORDERBYname').orderBy, { caseSensitive: true })).map((r) => r.id),
    ['b', 'c', 'a', 'd'],
  )
  const names = [{ n: 'beta' }, { n: 'Zeta' }, { n: 'Alpha' }]
  const order = parseEncodedQuery('ORDERBYn').orderBy
  t.same(
    [...names].sort(compareByOrder(order)).map((r) => r.n),
    ['Alpha', 'beta', 'Zeta'],
  )
  t.same(
    [...names].sort(compareByOrder(order, { caseSensitive: true })).map((r) => r.n),
    ['Alpha', 'Zeta', 'beta'],
  )
  t.same(ids('ORDERBYnosuchfield^ORDERBYid'), ['a', 'b', 'c', 'd'], 'unknown order fields are ignored')
})

test('findKeysetCursor detects sys_id>X^ORDERBYsys_id and returns the rest of the filter', async (t) => {
  const q = parseEncodedQuery('active=true^sys_id>0f3a^ORDERBYsys_id')
  const cursor = findKeysetCursor(q)
  t.equal(cursor?.operator, '>')
  t.equal(cursor?.after, '0f3a')
  t.equal(cursor?.orderedBySysId, true)
  t.equal(cursor === undefined ? '' : printEncodedQuery(cursor.rest), 'active=true^ORDERBYsys_id')
  t.same(findKeysetCursor(parseEncodedQuery('sys_id>=ab'))?.rest.groups, [])
  t.equal(findKeysetCursor(parseEncodedQuery('sys_id>ab^ORDERBYDESCsys_id'))?.orderedBySysId, false)
  t.equal(findKeysetCursor(parseEncodedQuery('sys_id>ab^ORactive=true')), undefined, 'an ORed bound does not bound')
  t.equal(findKeysetCursor(parseEncodedQuery('sys_id>ab^NQactive=true')), undefined, 'a second group is not bounded')
  t.equal(findKeysetCursor(parseEncodedQuery('sys_id<ab')), undefined)
  // the cursor's split is faithful: bound AND rest == the whole query
  const rows = ['00', '0f3a', '0f3b', 'ff'].flatMap((id) => [
    { sys_id: id, active: 'true' },
    { sys_id: id, active: 'false' },
  ])
  for (const row of rows) {
    const whole = matchesEncodedQuery(q, row)
    const split = cursor !== undefined && row.sys_id > cursor.after && matchesEncodedQuery(cursor.rest, row)
    t.equal(split, whole, JSON.stringify(row))
  }
})

test('compareByOrder honours ctx.fieldType: a string column sorts "10" before "9"', async (t) => {
  const rows = [{ v: '9' }, { v: '10' }, { v: '' }]
  const order = parseEncodedQuery('ORDERBYv').orderBy
  t.same(
    [...rows].sort(compareByOrder(order)).map((r) => r.v),
    ['', '9', '10'],
  )
  t.same(
    [...rows].sort(compareByOrder(order, { fieldType: () => 'string' })).map((r) => r.v),
    ['', '10', '9'],
  )
  t.same(
    [...rows].sort(compareByOrder(order, { fieldType: () => 'integer' })).map((r) => r.v),
    ['', '9', '10'],
  )
})

test('sortByOrder sorts like compareByOrder, stably, without touching the input', async (t) => {
  const rows = Array.from({ length: 200 }, (_, i) => ({
    id: String(i),
    p: String((i * 7) % 5),
    at: `2024-01-${String(1 + (i % 28)).padStart(2, '0')} 00:00:00`,
  }))
  const query = parseEncodedQuery('ORDERBYp^ORDERBYDESCat')
  const sorted = sortByOrder(rows, query)
  t.same(
    sorted.map((r) => r.id),
    [...rows].sort(compareByOrder(query)).map((r) => r.id),
  )
  t.equal(rows[0]?.id, '0', 'input untouched')
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as (typeof rows)[number]
    const b = sorted[i] as (typeof rows)[number]
    t.ok(
      a.p < b.p || (a.p === b.p && (a.at > b.at || (a.at === b.at && Number(a.id) < Number(b.id)))),
      `row ${i} in order`,
    )
  }
})
