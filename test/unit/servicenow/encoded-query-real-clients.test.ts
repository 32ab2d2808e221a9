// What real clients put into sysparm_query must parse, print back unchanged (or canonically) and
// evaluate. Formats taken from ServiceNow/PySNC pysnc/query.py + record.py and rbw/pysnow
// pysnow/query_builder.py (reference section 4.3: "emitter oracle").
import { test } from 'tap'
import {
  matchesEncodedQuery as matches,
  parseEncodedQuery,
  printEncodedQuery,
} from '../../../connectors/servicenow/encoded-query/index.ts'

test('PySNC shapes: ORDERBYsys_id appended, even to an empty query with a leading ^', async (t) => {
  t.equal(printEncodedQuery(parseEncodedQuery('^ORDERBYsys_id')), 'ORDERBYsys_id')
  t.equal(printEncodedQuery(parseEncodedQuery('active=true^ORDERBYsys_id')), 'active=true^ORDERBYsys_id')
  t.equal(
    printEncodedQuery(parseEncodedQuery('sys_id=abc^ORname=x^ORDERBYsys_id')),
    'sys_id=abc^ORname=x^ORDERBYsys_id',
  )
  t.equal(
    printEncodedQuery(parseEncodedQuery('short_descriptionISEMPTY^descriptionISNOTEMPTY')),
    'short_descriptionISEMPTY^descriptionISNOTEMPTY',
  )
  const join = parseEncodedQuery('active=true^JOINincident.sys_id=problem.first_reported_by_task!')
  t.same(join.groups[0]?.clauses[1]?.terms[0], {
    kind: 'opaque',
    type: 'JOIN',
    text: 'incident.sys_id=problem.first_reported_by_task!',
  })
})

test('pysnow shapes: NOTLIKE, IN lists, NOT IN, BETWEEN of dateGenerate("YYYY-MM-DD HH:mm:ss")', async (t) => {
  const q = 'nameSTARTSWITHsrv^ORnameNOTLIKEtest^NQnumberIN1,2,3^stateNOT IN6,7'
  t.equal(
    printEncodedQuery(parseEncodedQuery(q)),
    'nameSTARTSWITHsrv^ORnameNOT LIKEtest^NQnumberIN1,2,3^stateNOT IN6,7',
  )
  t.ok(matches(q, { name: 'srv-01', number: '9', state: '1' }))
  t.ok(matches(q, { name: 'prod', number: '2', state: '1' }))
  t.notOk(matches(q, { name: 'test box', number: '2', state: '6' }))
  const between =
    'opened_atBETWEENjavascript:gs.dateGenerate("2016-01-01 00:00:00")@javascript:gs.dateGenerate("2016-12-31 23:59:59")'
  t.equal(printEncodedQuery(parseEncodedQuery(between)), between)
  t.ok(matches(between, { opened_at: '2016-06-01 12:00:00' }))
  t.notOk(matches(between, { opened_at: '2017-01-01 00:00:00' }))
  t.ok(matches('opened_at>2016-01-01 00:00:00^priorityBETWEEN1@3', { opened_at: '2016-01-01 00:00:01', priority: '3' }))
})

test('condition-builder and script shapes: dateGenerate(date, time|start|end), ON with a date label, ^EQ', async (t) => {
  const r = { sys_created_on: '2017-11-22 13:00:00' }
  t.ok(
    matches(
      "sys_created_onON2017-11-22@javascript:gs.dateGenerate('2017-11-22','start')@javascript:gs.dateGenerate('2017-11-22','end')",
      r,
    ),
  )
  t.ok(matches("sys_created_on>=javascript:gs.dateGenerate('2017-11-22','00:00:00')^EQ", r))
  t.notOk(matches("sys_created_on>=javascript:gs.dateGenerate('2017-11-23')", r))
  t.equal(
    printEncodedQuery(parseEncodedQuery('assigned_toDYNAMIC90d1921e5f510100a9ad2572f2b477fe^EQ')),
    'assigned_toDYNAMIC90d1921e5f510100a9ad2572f2b477fe',
  )
})

test('keyset and delta-window shapes from reference section 1.8', async (t) => {
  const delta = parseEncodedQuery(
    'sys_updated_on>2024-01-01 00:00:00^NQsys_updated_on=2024-01-01 00:00:00^sys_id>0f3a^ORDERBYsys_updated_on^ORDERBYsys_id',
  )
  t.equal(delta.groups.length, 2)
  t.same(
    delta.orderBy.map((o) => o.field),
    ['sys_updated_on', 'sys_id'],
  )
  t.ok(matches(delta, { sys_updated_on: '2024-01-01 00:00:00', sys_id: '0f3b' }))
  t.notOk(matches(delta, { sys_updated_on: '2024-01-01 00:00:00', sys_id: '0f3a' }))
  t.ok(matches(delta, { sys_updated_on: '2024-01-01 00:00:01', sys_id: '0000' }))
})
