// Encoded queries that look into other tables (issue 16, emulator point 5): RLQUERY and JOIN are
// evaluated, in the shapes ServiceNow's PySNC sends them in its live tests
// (https://github.com/ServiceNow/PySNC/blob/main/test/test_snc_api_query_advanced.py); the
// Aggregate API answers an invalid query as the Table API does (400) and groups by a dot-walked
// field (sysparm_group_by takes field names as sysparm_fields does, docs/reference/servicenow.md §3.1).
import { test } from 'tap'
import type { ServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import { emulator, get } from './helpers.ts'

/** three groups, two holding an admin-like role; two managers, one of an inactive group */
function groupsAndRoles(instance: ServiceNowEmulator) {
  const data = instance.data
  const id = (ref: { row: string[] }) => ref.row[0] as string
  const alice = id(data.insert('sys_user', { user_name: 'alice', name: 'Alice' }))
  const bob = id(data.insert('sys_user', { user_name: 'bob', name: 'Bob' }))
  data.insert('sys_user', { user_name: 'carol', name: 'Carol' })
  const admin = id(data.insert('sys_user_role', { name: 'user_admin' }))
  const itil = id(data.insert('sys_user_role', { name: 'itil' }))
  const ops = id(data.insert('sys_user_group', { name: 'Ops', manager: alice, active: 'true' }))
  const dba = id(data.insert('sys_user_group', { name: 'DBA', manager: bob, active: 'false' }))
  const desk = id(data.insert('sys_user_group', { name: 'Desk', active: 'true' }))
  data.insert('sys_group_has_role', { group: ops, role: admin })
  data.insert('sys_group_has_role', { group: ops, role: itil })
  data.insert('sys_group_has_role', { group: dba, role: admin })
  data.insert('sys_group_has_role', { group: desk, role: itil })
  return { ops, dba, desk }
}

const names = (r: { json: { result: Array<{ name: string }> } }) => r.json.result.map((x) => x.name).sort()
const q = (text: string) => encodeURIComponent(text)

test('RLQUERY counts the related rows, with conditions on them', async (t) => {
  const { url, instance } = await emulator(t)
  groupsAndRoles(instance)
  const withAdmin = await get(
    url,
    `/api/now/table/sys_user_group?sysparm_fields=name&sysparm_query=${q('RLQUERYsys_group_has_role.group,>0,m2m^role.nameLIKEadmin^ENDRLQUERY')}`,
  )
  t.equal(withAdmin.status, 200)
  t.same(names(withAdmin), ['DBA', 'Ops'])
  const twoRoles = await get(
    url,
    `/api/now/table/sys_user_group?sysparm_fields=name&sysparm_query=${q('RLQUERYsys_group_has_role.group,>=2^ENDRLQUERY')}`,
  )
  t.same(names(twoRoles), ['Ops'])
  const none = await get(
    url,
    `/api/now/table/sys_user_group?sysparm_fields=name&sysparm_query=${q('active=true^RLQUERYsys_group_has_role.group,=0^role.name=itil^ENDRLQUERY')}`,
  )
  t.same(names(none), [], 'every active group has itil')
  const count = await get(
    url,
    `/api/now/stats/sys_user_group?sysparm_count=true&sysparm_query=${q('RLQUERYsys_group_has_role.group,>0^role.nameLIKEadmin^ENDRLQUERY')}`,
  )
  t.same(count.json, { result: { stats: { count: '2' } } }, 'the Aggregate API evaluates it too')
})

test('JOIN keeps the records some row of the other table points at', async (t) => {
  const { url, instance } = await emulator(t)
  groupsAndRoles(instance)
  const managers = await get(
    url,
    `/api/now/table/sys_user?sysparm_fields=name&sysparm_query=${q('JOINsys_user.sys_id=sys_user_group.manager!active=true')}`,
  )
  t.same(names(managers), ['Alice'])
  const anyManager = await get(
    url,
    `/api/now/table/sys_user?sysparm_fields=name&sysparm_query=${q('JOINsys_user.sys_id=sys_user_group.manager!')}`,
  )
  t.same(names(anyManager), ['Alice', 'Bob'])
})

test('malformed related terms and invalid queries are 400 on the Table and Aggregate APIs alike', async (t) => {
  const { url } = await emulator(t)
  for (const bad of [
    'RLQUERYsys_group_has_role,>0^ENDRLQUERY',
    'JOINsys_user=nothing',
    'active=true^ORnameMATCH_RGXa.*',
  ]) {
    const table = await get(url, `/api/now/table/sys_user_group?sysparm_query=${q(bad)}`)
    const stats = await get(url, `/api/now/stats/sys_user_group?sysparm_count=true&sysparm_query=${q(bad)}`)
    t.equal(table.status, 400, `table: ${bad}`)
    t.equal(stats.status, 400, `stats: ${bad}`)
    t.same(stats.json.error.message, table.json.error.message)
  }
  const unparseable = await get(url, `/api/now/stats/incident?sysparm_count=true&sysparm_query=${q('active=true^OR')}`)
  t.equal(unparseable.status, 400)
  t.equal(unparseable.json.error.message, 'Invalid query')
})

test('Aggregate API groups by a dot-walked field', async (t) => {
  const { url, instance } = await emulator(t)
  const { ops, desk } = groupsAndRoles(instance)
  instance.data.bulkLoad('incident', [
    { short_description: 'a', assignment_group: ops },
    { short_description: 'b', assignment_group: ops },
    { short_description: 'c', assignment_group: desk },
  ])
  const grouped = await get(
    url,
    '/api/now/stats/incident?sysparm_count=true&sysparm_group_by=assignment_group.name&sysparm_order_by=assignment_group.name&sysparm_display_value=true',
  )
  t.equal(grouped.status, 200)
  t.same(grouped.json.result, [
    {
      stats: { count: '1' },
      groupby_fields: [{ field: 'assignment_group.name', value: 'Desk', display_value: 'Desk' }],
    },
    {
      stats: { count: '2' },
      groupby_fields: [{ field: 'assignment_group.name', value: 'Ops', display_value: 'Ops' }],
    },
  ])
})
