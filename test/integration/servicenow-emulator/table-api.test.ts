// Table API contract (docs/reference/servicenow.md §1.1-1.5): routes and versions, status codes,
// envelopes and exact error messages, system fields, values as strings, writes.
import { test } from 'tap'
import { ADMIN_SYS_ID } from '../../../connectors/servicenow/emulator/index.ts'
import { call, emulator, get } from './helpers.ts'

test('GET list on all three route versions answers {"result":[...]} with string values', async (t) => {
  const { url } = await emulator(t)
  for (const prefix of ['/api/now/table', '/api/now/v1/table', '/api/now/v2/table']) {
    const r = await get(url, `${prefix}/sys_user?sysparm_query=user_name=admin`)
    t.equal(r.status, 200, prefix)
    t.equal(r.json.result.length, 1)
    const admin = r.json.result[0]
    t.equal(admin.sys_id, ADMIN_SYS_ID, 'OOB admin sys_id')
    for (const [k, v] of Object.entries(admin)) {
      if (typeof v !== 'string') t.type(v, 'object', `${k} is a string or a reference object`)
    }
    t.equal(admin.active, 'true', 'booleans are strings')
    t.equal(admin.sys_mod_count, '0', 'integers are strings')
    t.match(admin.sys_created_on, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'UTC date-time format')
  }
})

test('empty list: v2 and unversioned answer 200 [], v1 answers 404', async (t) => {
  const { url } = await emulator(t)
  const q = '?sysparm_query=user_name=nobody-here'
  t.same((await get(url, `/api/now/table/sys_user${q}`)).json, { result: [] })
  t.same((await get(url, `/api/now/v2/table/sys_user${q}`)).json, { result: [] })
  const v1 = await get(url, `/api/now/v1/table/sys_user${q}`)
  t.equal(v1.status, 404)
  t.same(v1.json, {
    error: {
      message: 'No Record found',
      detail: 'Records matching query not found. Check query parameter or offset parameter',
    },
    status: 'failure',
  })
})

test('POST creates with 201, Location and maintained system fields; PATCH/PUT update; DELETE 204', async (t) => {
  const { url } = await emulator(t)
  const created = await call(url, 'POST', '/api/now/table/incident', {
    body: { short_description: 'Printer on fire', impact: 1, urgency: 1, active: true, sys_id: 'ignored', bogus: 'x' },
  })
  t.equal(created.status, 201)
  const rec = created.json.result
  t.match(rec.sys_id, /^[0-9a-f]{32}$/)
  t.not(rec.sys_id, 'ignored', 'a sys_id that is no GUID is ignored')
  t.notOk('bogus' in rec, 'unknown fields are ignored')
  t.equal(created.headers.get('location'), `${url}/api/now/table/incident/${rec.sys_id}`)
  t.equal(rec.impact, '1', 'numbers stored as strings')
  t.equal(rec.priority, '1', 'priority from impact and urgency')
  t.equal(rec.active, 'true')
  t.match(rec.number, /^INC\d{7}$/)
  t.equal(rec.sys_class_name, 'incident')
  t.equal(rec.sys_created_by, 'admin')
  t.equal(rec.sys_mod_count, '0')
  t.equal(rec.state, '1', 'unset fields take their default')
  t.equal(rec.description, '', 'empty is "" never null')

  const patched = await call(url, 'PATCH', `/api/now/table/incident/${rec.sys_id}`, { body: { state: '2' } })
  t.equal(patched.status, 200)
  t.equal(patched.json.result.state, '2')
  t.equal(patched.json.result.short_description, 'Printer on fire', 'partial update keeps other fields')
  t.equal(patched.json.result.sys_mod_count, '1')
  const put = await call(url, 'PUT', `/api/now/table/incident/${rec.sys_id}`, { body: { priority: '3' } })
  t.equal(put.json.result.sys_mod_count, '2')
  t.equal(put.json.result.state, '2', 'PUT does not blank omitted fields')
  const same = await call(url, 'PATCH', `/api/now/table/incident/${rec.sys_id}`, { body: { priority: '3' } })
  t.equal(same.json.result.sys_mod_count, '2', 'an update changing nothing is no write')

  const viaParent = await get(url, `/api/now/table/task/${rec.sys_id}`)
  t.equal(viaParent.status, 200, 'a child record is readable through its parent table')
  t.equal(viaParent.json.result.sys_class_name, 'incident')
  t.notOk('caller_id' in viaParent.json.result, 'parent table answers only parent columns')

  const del = await call(url, 'DELETE', `/api/now/table/incident/${rec.sys_id}`)
  t.equal(del.status, 204)
  t.equal(del.text, '')
  const gone = await get(url, `/api/now/table/incident/${rec.sys_id}`)
  t.equal(gone.status, 404)
  t.same(gone.json, {
    error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" },
    status: 'failure',
  })
})

test('an array body creates only its first element; X-no-response-body suppresses the body', async (t) => {
  const { url, instance } = await emulator(t)
  const before = instance.data.count('incident')
  const r = await call(url, 'POST', '/api/now/table/incident', {
    body: [{ short_description: 'one' }, { short_description: 'two' }],
  })
  t.equal(r.json.result.short_description, 'one')
  t.equal(instance.data.count('incident'), before + 1)
  const quiet = await call(url, 'POST', '/api/now/table/incident', {
    body: { short_description: 'quiet' },
    headers: { 'x-no-response-body': 'true' },
  })
  t.equal(quiet.status, 201)
  t.equal(quiet.text, '')
})

test('error envelopes and messages', async (t) => {
  const { url } = await emulator(t)
  const badTable = await get(url, '/api/now/table/no_such_table')
  t.equal(badTable.status, 400)
  t.same(badTable.json, { error: { message: 'Invalid table no_such_table', detail: null }, status: 'failure' })

  const unauth = await get(url, '/api/now/table/incident', { auth: null })
  t.equal(unauth.status, 401)
  t.same(unauth.json.error, { message: 'User Not Authenticated', detail: 'Required to provide Auth information' })
  const wrong = await get(url, '/api/now/table/incident', {
    auth: 'Basic ' + Buffer.from('admin:nope').toString('base64'),
  })
  t.equal(wrong.status, 401)

  const noApi = await get(url, '/api/now/nothing/here')
  t.equal(noApi.status, 400)
  t.equal(noApi.json.error.message, 'Requested URI does not represent any resource')

  const method = await call(url, 'DELETE', '/api/now/table/incident')
  t.equal(method.status, 405)

  const malformed = await call(url, 'POST', '/api/now/table/incident', { body: '{"short_description": ' })
  t.equal(malformed.status, 400)
  t.equal(malformed.json.error.message, 'Exception while reading request')

  const noAccept = await fetch(`${url}/api/now/table/incident`, {
    headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
  })
  // fetch always sends Accept: */*; the platform then answers JSON
  t.equal(noAccept.status, 200)
  const html = await get(url, '/api/now/table/incident', { headers: { accept: 'text/html' } })
  t.equal(html.status, 406)
  t.equal(html.json.status, 'failure')
})

test('Accept: application/xml answers XML', async (t) => {
  const { url } = await emulator(t)
  const r = await get(url, '/api/now/table/sys_user?sysparm_query=user_name=admin&sysparm_fields=user_name', {
    headers: { accept: 'application/xml' },
  })
  t.equal(r.status, 200)
  t.match(r.headers.get('content-type'), /application\/xml/)
  t.equal(
    r.text,
    '<?xml version="1.0" encoding="UTF-8"?><response><result><user_name>admin</user_name></result></response>',
  )
})

test('sysparm_fields: unknown names ignored, dot-walks as flat keys', async (t) => {
  const { url, instance } = await emulator(t)
  const group = instance.data.insert('sys_user_group', { name: 'Service Desk', manager: ADMIN_SYS_ID })
  const inc = instance.data.insert('incident', { short_description: 'x', assignment_group: group.row[0] as string })
  const r = await get(
    url,
    `/api/now/table/incident/${inc.row[0]}?sysparm_fields=number,nope,assignment_group.name,assignment_group.manager.user_name,assignment_group.zzz`,
  )
  t.same(Object.keys(r.json.result), ['number', 'assignment_group.name', 'assignment_group.manager.user_name'])
  t.equal(r.json.result['assignment_group.name'], 'Service Desk')
  t.equal(r.json.result['assignment_group.manager.user_name'], 'admin')
})

test('queries: invalid field conditions are dropped, name=value filters accept display values, INSTANCEOF follows the hierarchy', async (t) => {
  const { url, instance } = await emulator(t)
  instance.data.insert('cmdb_ci_linux_server', { name: 'lnx-1' })
  instance.data.insert('cmdb_ci_win_server', { name: 'win-1' })
  instance.data.insert('cmdb_ci_business_app', { name: 'app-1' })
  const dropped = await get(url, '/api/now/table/cmdb_ci?sysparm_query=name=lnx-1^no_such_field=1&sysparm_fields=name')
  t.same(dropped.json.result, [{ name: 'lnx-1' }], 'the unknown condition is dropped, the rest applies')
  const servers = await get(
    url,
    '/api/now/table/cmdb_ci?sysparm_query=sys_class_nameINSTANCEOFcmdb_ci_server^ORDERBYname&sysparm_fields=name,sys_class_name',
  )
  t.same(servers.json.result, [
    { name: 'lnx-1', sys_class_name: 'cmdb_ci_linux_server' },
    { name: 'win-1', sys_class_name: 'cmdb_ci_win_server' },
  ])
  const onlyChild = await get(url, '/api/now/table/cmdb_ci_server?sysparm_fields=name')
  t.equal(onlyChild.json.result.length, 2, 'a child table holds only its own and its descendants rows')
  instance.data.insert('incident', { short_description: 'on hold', state: '3' })
  const byLabel = await get(url, '/api/now/table/incident?state=On Hold&sysparm_fields=short_description')
  t.same(byLabel.json.result, [{ short_description: 'on hold' }])
})

test('sysparm_input_display_value translates choice labels and reference display values on write', async (t) => {
  const { url, instance } = await emulator(t)
  instance.data.insert('sys_user_group', { name: 'Network Operations' })
  const r = await call(url, 'POST', '/api/now/table/incident?sysparm_input_display_value=true', {
    body: {
      short_description: 'x',
      urgency: '2 - Medium',
      assignment_group: 'Network Operations',
      caller_id: 'System Administrator',
    },
  })
  t.equal(r.json.result.urgency, '2')
  t.equal(r.json.result.caller_id.value, ADMIN_SYS_ID)
  t.match(r.json.result.assignment_group.value, /^[0-9a-f]{32}$/)
})

test('LIKE and STARTSWITH on a reference field match the display value (D-OPS)', async (t) => {
  const { url, instance } = await emulator(t)
  instance.data.insert('incident', { short_description: 'mine', caller_id: ADMIN_SYS_ID })
  instance.data.insert('incident', { short_description: 'nobody' })
  const like = await get(
    url,
    '/api/now/table/incident?sysparm_query=caller_idLIKEadmin&sysparm_fields=short_description',
  )
  t.same(like.json.result, [{ short_description: 'mine' }], '"System Administrator" contains "admin"')
  const starts = await get(
    url,
    '/api/now/table/incident?sysparm_query=caller_idSTARTSWITHSystem&sysparm_fields=short_description',
  )
  t.same(starts.json.result, [{ short_description: 'mine' }])
  const bySysId = await get(url, `/api/now/table/incident?sysparm_query=caller_idLIKE${ADMIN_SYS_ID.slice(0, 8)}`)
  t.same(bySysId.json.result, [], 'the sys_id text is not what LIKE looks at')
  const equal = await get(
    url,
    `/api/now/table/incident?sysparm_query=caller_id=${ADMIN_SYS_ID}&sysparm_fields=short_description`,
  )
  t.same(equal.json.result, [{ short_description: 'mine' }], '= still compares the sys_id')
})
