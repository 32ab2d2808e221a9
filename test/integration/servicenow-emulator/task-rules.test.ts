// Task business logic of a base instance (issue 16, emulator point 7): incident state choices
// and labels, incident_state following state, priority from impact and urgency (the Priority
// Lookup Rules table in https://www.servicenow.com/docs/r/it-service-management/problem-management/prioritise-problems.html),
// opened_by/opened_at/caller defaults, numbers per table.
import { test } from 'tap'
import { ADMIN_SYS_ID } from '../../../connectors/servicenow/emulator/index.ts'
import { call, emulator, get } from './helpers.ts'

const NOW = new Date(Date.UTC(2026, 4, 4, 10, 30, 0))

test('incident state choices and labels as sys_choice and display values give them', async (t) => {
  const { url } = await emulator(t)
  const choices = await get(
    url,
    '/api/now/table/sys_choice?sysparm_query=name=incident^element=state^ORDERBYsequence&sysparm_fields=value,label',
  )
  t.same(choices.json.result, [
    { value: '1', label: 'New' },
    { value: '2', label: 'In Progress' },
    { value: '3', label: 'On Hold' },
    { value: '6', label: 'Resolved' },
    { value: '7', label: 'Closed' },
    { value: '8', label: 'Canceled' },
  ])
  const created = await call(url, 'POST', '/api/now/table/incident?sysparm_display_value=true', {
    body: { short_description: 'x' },
  })
  t.equal(created.json.result.state, 'New')
  t.equal(created.json.result.incident_state, 'New')
})

test('defaults: opened_by, opened_at and caller are the session user and now; priority from impact and urgency', async (t) => {
  const { url } = await emulator(t, { now: () => NOW })
  const created = await call(url, 'POST', '/api/now/table/incident?sysparm_exclude_reference_link=true', {
    body: { short_description: 'x' },
  })
  const rec = created.json.result
  t.equal(rec.opened_by, ADMIN_SYS_ID)
  t.equal(rec.caller_id, ADMIN_SYS_ID)
  t.equal(rec.opened_at, '2026-05-04 10:30:00')
  t.equal(rec.impact, '3')
  t.equal(rec.urgency, '3')
  t.equal(rec.priority, '5', '3 - Low / 3 - Low is 5 - Planning')

  const matrix: Array<[string, string, string]> = [
    ['1', '1', '1'],
    ['1', '2', '2'],
    ['1', '3', '3'],
    ['2', '1', '2'],
    ['2', '2', '3'],
    ['2', '3', '4'],
    ['3', '1', '3'],
    ['3', '2', '4'],
    ['3', '3', '5'],
  ]
  for (const [impact, urgency, priority] of matrix) {
    const r = await call(url, 'POST', '/api/now/table/incident', { body: { impact, urgency, priority: '1' } })
    t.equal(r.json.result.priority, priority, `impact ${impact}, urgency ${urgency}`)
  }
  const raised = await call(url, 'PATCH', `/api/now/table/incident/${rec.sys_id}`, { body: { urgency: '1' } })
  t.equal(raised.json.result.priority, '3', 'an update of urgency recomputes priority')
  const problem = await call(url, 'POST', '/api/now/table/problem', { body: { impact: '2', urgency: '2' } })
  t.equal(problem.json.result.priority, '3', 'problems follow the same rules')
})

test('incident_state follows state; resolving and closing stamp the record', async (t) => {
  const { url } = await emulator(t, { now: () => NOW })
  const { json } = await call(url, 'POST', '/api/now/table/incident?sysparm_exclude_reference_link=true', {
    body: { short_description: 'x' },
  })
  const id = json.result.sys_id
  const path = `/api/now/table/incident/${id}?sysparm_exclude_reference_link=true`
  const progress = await call(url, 'PATCH', path, { body: { state: '2' } })
  t.equal(progress.json.result.incident_state, '2')
  const legacy = await call(url, 'PATCH', path, { body: { incident_state: '3' } })
  t.equal(legacy.json.result.state, '3', 'state follows a write of incident_state alone')
  const resolved = await call(url, 'PATCH', path, { body: { state: '6', close_code: 'Solved' } })
  t.equal(resolved.json.result.resolved_at, '2026-05-04 10:30:00')
  t.equal(resolved.json.result.resolved_by, ADMIN_SYS_ID)
  t.equal(resolved.json.result.active, 'true', 'a resolved incident stays active')
  const closed = await call(url, 'PATCH', path, { body: { state: '7' } })
  t.equal(closed.json.result.active, 'false')
  t.equal(closed.json.result.incident_state, '7')
  t.equal(closed.json.result.closed_at, '2026-05-04 10:30:00')
  t.equal(closed.json.result.closed_by, ADMIN_SYS_ID)
})

test('numbers run per table with each table prefix', async (t) => {
  const { url } = await emulator(t)
  const numbers: string[] = []
  for (const table of ['incident', 'incident', 'problem', 'change_request', 'sc_task', 'task']) {
    numbers.push((await call(url, 'POST', `/api/now/table/${table}`, { body: {} })).json.result.number)
  }
  t.same(numbers, ['INC0010001', 'INC0010002', 'PRB0010001', 'CHG0010001', 'SCTASK0010001', 'TASK0010001'])
})
