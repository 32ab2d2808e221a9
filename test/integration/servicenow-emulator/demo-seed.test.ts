// The demo data set of a personal developer instance (issue 16, emulator point 8), as the live
// tests of ServiceNow's PySNC expect to find it
// (https://github.com/ServiceNow/PySNC/blob/main/test/test_snc_api_query_advanced.py and
// test_snc_api.py): admins by the OOB admin role, groups holding admin roles, more than 600
// syslog rows, problem / change_request / sys_script / sys_metadata records, users with
// mobile_phone and a masked user_password, and sys_db_object listing every table.
import { test } from 'tap'
import { get, emulator } from './helpers.ts'

const q = (text: string) => encodeURIComponent(text)
const total = async (url: string, path: string) => Number((await get(url, path)).headers.get('x-total-count'))

test('seed demo: the tables and shapes a developer instance has', async (t) => {
  const { url, instance } = await emulator(t, { seed: { relations: 50, users: 40, demo: true } })

  const tables = instance.data.schema.tableNames()
  t.equal(
    await total(url, '/api/now/table/sys_db_object?sysparm_limit=1'),
    tables.length,
    'sys_db_object lists every table',
  )
  for (const name of [
    'problem',
    'change_request',
    'syslog',
    'sys_metadata',
    'sys_script',
    'sys_group_has_role',
    'alm_asset',
  ]) {
    t.ok(tables.includes(name), name)
  }

  t.ok((await total(url, '/api/now/table/syslog?sysparm_limit=1')) > 600, 'more than 600 syslog rows')
  for (const table of ['problem', 'change_request', 'sys_script', 'cmn_department', 'cmn_location', 'sys_user_group']) {
    t.ok((await total(url, `/api/now/table/${table}?sysparm_limit=1`)) > 0, `${table} has rows`)
  }
  t.equal(
    await total(url, '/api/now/table/sys_metadata?sysparm_limit=1'),
    await total(url, '/api/now/table/sys_script?sysparm_limit=1'),
    'business rules are application files',
  )

  const admins = await total(
    url,
    `/api/now/table/sys_user?sysparm_limit=1&sysparm_query=${q('JOINsys_user.sys_id=sys_user_has_role.user!role=2831a114c611228501d4ea6c309d626d')}`,
  )
  t.ok(admins > 10 && admins < 25, `PySNC test_join_query_2: 10 < ${admins} admins < 25`)
  const adminGroups = await total(
    url,
    `/api/now/table/sys_user_group?sysparm_limit=1&sysparm_query=${q('RLQUERYsys_group_has_role.group,>0,m2m^role.nameLIKEadmin^ENDRLQUERY')}`,
  )
  t.ok(adminGroups > 2 && adminGroups < 8, `PySNC test_rl_query_advanced: 2 < ${adminGroups} groups < 8`)
  const managers = await total(
    url,
    `/api/now/table/sys_user?sysparm_limit=1&sysparm_query=${q('JOINsys_user.sys_id=sys_user_group.manager!active=true')}`,
  )
  t.ok(managers > 1, 'PySNC test_join_query: more than one manager of an active group')

  const user = await get(
    url,
    '/api/now/table/sys_user?sysparm_query=user_nameSTARTSWITHa^ORuser_nameSTARTSWITHb^ORuser_nameSTARTSWITHc^ORuser_nameSTARTSWITHd&sysparm_limit=1&sysparm_fields=mobile_phone,user_password&sysparm_display_value=true',
  )
  t.match(user.json.result[0].mobile_phone, /^\+1 555 \d{4}$/)
  t.equal(user.json.result[0].user_password, '********')
  const linked = await get(
    url,
    '/api/now/table/incident?sysparm_query=problem_idISNOTEMPTY&sysparm_limit=1&sysparm_fields=problem_id.number',
  )
  t.match(linked.json.result[0]['problem_id.number'], /^PRB\d{7}$/)
})
