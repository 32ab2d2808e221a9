// Custom tables and columns made the way an admin makes them on an instance: by inserting
// sys_db_object and sys_dictionary records over the Table API. The table is then a table like any
// other: read, written, counted, described by sys_dictionary and by the hub's schema discovery.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'tap'
import { ServiceNowClient } from '../../../connectors/servicenow/client/client.ts'
import { ADMIN_SYS_ID } from '../../../connectors/servicenow/emulator/index.ts'
import { basic, call, emulator, get } from './helpers.ts'

const post = (url: string, table: string, body: unknown, auth?: string) =>
  call(url, 'POST', `/api/now/table/${table}`, { body, ...(auth ? { auth } : {}) })

const column = (table: string, element: string, internalType: string, extra: Record<string, string> = {}) => ({
  name: table,
  element,
  internal_type: internalType,
  column_label: element.replace(/^u_/, '').replace(/_/g, ' '),
  ...extra,
})

/** u_cloud_account with the four columns of the brief; answers the table's sys_db_object sys_id */
async function makeCloudAccount(url: string, extra: Record<string, string> = {}): Promise<string> {
  const table = await post(url, 'sys_db_object', { name: 'u_cloud_account', label: 'Cloud Account', ...extra })
  if (table.status !== 201) throw new Error(`sys_db_object insert: ${table.status} ${table.text}`)
  for (const c of [
    column('u_cloud_account', 'u_account_id', 'string', { max_length: '64', mandatory: 'true' }),
    column('u_cloud_account', 'u_provider', 'choice', { max_length: '40' }),
    column('u_cloud_account', 'u_owner', 'reference', { reference: 'sys_user' }),
    column('u_cloud_account', 'u_monthly_cost', 'decimal'),
  ]) {
    const r = await post(url, 'sys_dictionary', c)
    if (r.status !== 201) throw new Error(`sys_dictionary insert ${c.element}: ${r.status} ${r.text}`)
  }
  return table.json.result.sys_id as string
}

const byNameOf = <F extends { name: string }>(fields: F[] | undefined): Map<string, F> =>
  new Map((fields ?? []).map((f) => [f.name, f]))

const clientFor = (url: string) =>
  new ServiceNowClient({
    instanceUrl: url,
    allowHttp: true,
    auth: { kind: 'basic', username: 'admin', password: 'admin' },
    pageSize: 200,
    sleep: async () => {},
    backoff: { maxAttempts: 2, baseMs: 1, capMs: 5 },
  })

test('a table made through sys_db_object and sys_dictionary records is read, written and counted', async (t) => {
  const { url } = await emulator(t)
  await makeCloudAccount(url)
  const accounts = [
    { u_account_id: '1111-2222', u_provider: 'aws', u_owner: ADMIN_SYS_ID, u_monthly_cost: '1250.50' },
    { u_account_id: 'sub-42', u_provider: 'azure', u_monthly_cost: '80' },
    { u_account_id: 'proj-7', u_provider: 'aws', u_monthly_cost: '12' },
  ]
  for (const a of accounts) t.equal((await post(url, 'u_cloud_account', a)).status, 201)

  const read = await get(
    url,
    '/api/now/table/u_cloud_account?sysparm_query=u_provider=aws^ORDERBYu_account_id&sysparm_fields=u_account_id,u_owner,u_monthly_cost,sys_created_by&sysparm_exclude_reference_link=true',
  )
  t.equal(read.status, 200)
  t.same(read.json.result, [
    { u_account_id: '1111-2222', u_owner: ADMIN_SYS_ID, u_monthly_cost: '1250.50', sys_created_by: 'admin' },
    { u_account_id: 'proj-7', u_owner: '', u_monthly_cost: '12', sys_created_by: 'admin' },
  ])
  const one = await get(url, `/api/now/table/u_cloud_account?sysparm_query=u_account_id=sub-42`)
  const row = one.json.result[0]
  for (const f of ['sys_id', 'sys_created_on', 'sys_updated_on', 'sys_created_by', 'sys_updated_by', 'sys_mod_count'])
    t.ok(f in row, `system field ${f}`)
  t.notOk('sys_class_name' in row, 'a table that is not extensible has no class')
  const dotWalk = await get(
    url,
    '/api/now/table/u_cloud_account?sysparm_query=u_owner.user_name=admin&sysparm_fields=u_account_id',
  )
  t.same(dotWalk.json.result, [{ u_account_id: '1111-2222' }], 'the reference column dot-walks to sys_user')

  const updated = await call(url, 'PATCH', `/api/now/table/u_cloud_account/${row.sys_id}`, {
    body: { u_monthly_cost: '99' },
  })
  t.equal(updated.json.result.u_monthly_cost, '99')
  const missing = await post(url, 'u_cloud_account', { u_provider: 'gcp' })
  t.equal(missing.status, 403, 'a mandatory column is enforced')
  t.match(missing.json.error.detail, /mandatory: u_account_id/)

  const count = await get(url, '/api/now/stats/u_cloud_account?sysparm_count=true&sysparm_query=u_provider=aws')
  t.equal(count.json.result.stats.count, '2')
})

test('the new table shows in sys_dictionary and the hub discovers it like any other', async (t) => {
  const { url } = await emulator(t)
  const tableId = await makeCloudAccount(url)
  const tableRow = await get(url, `/api/now/table/sys_db_object/${tableId}?sysparm_fields=name,label,is_extendable`)
  t.same(tableRow.json.result, { name: 'u_cloud_account', label: 'Cloud Account', is_extendable: 'false' })

  const dict = await get(
    url,
    '/api/now/table/sys_dictionary?sysparm_query=name=u_cloud_account^ORDERBYelement&sysparm_fields=element,internal_type,reference,max_length',
  )
  const elements = dict.json.result.map((r: { element: string }) => r.element)
  t.same(elements, [
    '',
    'sys_created_by',
    'sys_created_on',
    'sys_id',
    'sys_mod_count',
    'sys_tags',
    'sys_updated_by',
    'sys_updated_on',
    'u_account_id',
    'u_monthly_cost',
    'u_owner',
    'u_provider',
  ])
  t.same(
    dict.json.result.find((r: { element: string }) => r.element === 'u_owner'),
    { element: 'u_owner', internal_type: 'reference', reference: 'sys_user', max_length: '32' },
    'a reference column gets the platform default length',
  )

  for (const [value, label, sequence] of [
    ['aws', 'Amazon Web Services', '10'],
    ['azure', 'Microsoft Azure', '20'],
  ])
    await post(url, 'sys_choice', { name: 'u_cloud_account', element: 'u_provider', value, label, sequence })

  await post(url, 'u_cloud_account', { u_account_id: 'x', u_provider: 'azure' })
  const shown = await get(url, '/api/now/table/u_cloud_account?sysparm_display_value=true&sysparm_fields=u_provider')
  t.same(shown.json.result, [{ u_provider: 'Microsoft Azure' }], 'the emulator knows the choices too')

  const [described] = await clientFor(url).describeTables(['u_cloud_account'])
  t.equal(described?.label, 'Cloud Account')
  t.match(byNameOf(described?.fields).get('u_provider'), {
    type: 'choice',
    choices: [
      { value: 'aws', label: 'Amazon Web Services' },
      { value: 'azure', label: 'Microsoft Azure' },
    ],
  })
  const byName = byNameOf(described?.fields)
  t.match(byName.get('u_account_id'), { type: 'string', mandatory: true })
  t.match(byName.get('u_owner'), { type: 'reference', reference: 'sys_user' })
  t.match(byName.get('u_monthly_cost'), { type: 'decimal' })
  t.match(byName.get('sys_updated_on'), { type: 'datetime', readOnly: true })
})

test('a table extending another inherits its columns, and its rows show when the parent is read', async (t) => {
  const { url } = await emulator(t)
  const parentId = await makeCloudAccount(url, { is_extendable: 'true' })
  const child = await post(url, 'sys_db_object', {
    name: 'u_cloud_account_aws',
    label: 'AWS Account',
    super_class: parentId,
  })
  t.equal(child.status, 201)
  t.equal((await post(url, 'sys_dictionary', column('u_cloud_account_aws', 'u_org_unit', 'string'))).status, 201)
  await post(url, 'u_cloud_account', { u_account_id: 'plain' })
  const aws = await post(url, 'u_cloud_account_aws', { u_account_id: '1111', u_org_unit: 'ou-prod' })
  t.equal(aws.status, 201)
  t.equal(aws.json.result.sys_class_name, 'u_cloud_account_aws')

  const parentRead =
    '/api/now/table/u_cloud_account?sysparm_query=ORDERBYu_account_id&sysparm_fields=u_account_id,sys_class_name'
  const classes = (await get(url, parentRead)).json.result.map((r: Record<string, string>) =>
    Object.values(r).join(' '),
  )
  t.same(classes, ['1111 u_cloud_account_aws', 'plain u_cloud_account'], 'the child row shows in the parent')
  const [described] = await clientFor(url).describeTables(['u_cloud_account_aws'])
  t.equal(described?.parent, 'u_cloud_account')
  const names = described?.fields.map((f) => f.name) ?? []
  for (const n of ['u_account_id', 'u_owner', 'u_org_unit', 'sys_class_name']) t.ok(names.includes(n), n)

  const plainChild = await post(url, 'sys_db_object', { name: 'u_other', super_class: 'u_cloud_account_aws' })
  t.equal(plainChild.status, 201, 'super_class may name the table instead of its sys_id')
  t.equal(
    (await post(url, 'sys_db_object', { name: 'u_of_plain', super_class: 'sys_user_group' })).status,
    403,
    'a table that is not extensible cannot be extended',
  )
})

test('deleting a sys_dictionary record drops the column; changing internal_type retypes it', async (t) => {
  const { url } = await emulator(t)
  await makeCloudAccount(url)
  const row = (await post(url, 'u_cloud_account', { u_account_id: 'a', u_provider: 'aws', u_monthly_cost: '5' })).json
    .result
  const entry = async (element: string) =>
    (await get(url, `/api/now/table/sys_dictionary?sysparm_query=name=u_cloud_account^element=${element}`)).json
      .result[0]

  const provider = await entry('u_provider')
  t.equal((await call(url, 'DELETE', `/api/now/table/sys_dictionary/${provider.sys_id}`)).status, 204)
  const after = await get(url, `/api/now/table/u_cloud_account/${row.sys_id}`)
  t.notOk('u_provider' in after.json.result, 'reads no longer return the column')
  const [described] = await clientFor(url).describeTables(['u_cloud_account'])
  t.notOk(
    described?.fields.some((f) => f.name === 'u_provider'),
    'discovery no longer lists it',
  )
  t.equal(
    (await get(url, '/api/now/table/u_cloud_account?sysparm_query=u_provider=aws')).status,
    200,
    'a query on the dropped column is a query on an unknown field',
  )

  const cost = await entry('u_monthly_cost')
  const retyped = await call(url, 'PATCH', `/api/now/table/sys_dictionary/${cost.sys_id}`, {
    body: { internal_type: 'integer' },
  })
  t.equal(retyped.status, 200)
  const [again] = await clientFor(url).describeTables(['u_cloud_account'])
  t.match(
    again?.fields.find((f) => f.name === 'u_monthly_cost'),
    { type: 'integer' },
  )

  // made again, the column starts empty: the platform dropped its data with it
  t.equal((await post(url, 'sys_dictionary', column('u_cloud_account', 'u_provider', 'string'))).status, 201)
  t.equal((await get(url, `/api/now/table/u_cloud_account/${row.sys_id}`)).json.result.u_provider, '')

  const base = (await get(url, '/api/now/table/sys_dictionary?sysparm_query=name=task^element=short_description')).json
    .result[0]
  t.equal(
    (await call(url, 'DELETE', `/api/now/table/sys_dictionary/${base.sys_id}`)).status,
    403,
    'a base column cannot be dropped',
  )
})

test("deleting a custom table's sys_db_object record drops the table, its rows and its dictionary", async (t) => {
  const { url } = await emulator(t)
  const tableId = await makeCloudAccount(url)
  await post(url, 'u_cloud_account', { u_account_id: 'gone' })
  const base = (await get(url, '/api/now/table/sys_db_object?sysparm_query=name=incident')).json.result[0]
  t.equal((await call(url, 'DELETE', `/api/now/table/sys_db_object/${base.sys_id}`)).status, 403, 'not a base table')
  t.equal((await call(url, 'DELETE', `/api/now/table/sys_db_object/${tableId}`)).status, 204)
  t.equal((await get(url, '/api/now/table/u_cloud_account')).status, 400, 'an invalid table now')
  const dict = await get(url, '/api/now/table/sys_dictionary?sysparm_query=name=u_cloud_account')
  t.same(dict.json.result, [], 'no dictionary rows left')
  await makeCloudAccount(url)
  t.same((await get(url, '/api/now/table/u_cloud_account')).json.result, [], 'made again, empty')
})

test('only admins make tables and columns; bad and taken names are refused like a failed insert', async (t) => {
  const { url } = await emulator(t, { users: [{ userName: 'itil.user', password: 'pw', roles: ['itil'] }] })
  const itil = basic('itil.user', 'pw')
  const denied = await post(url, 'sys_db_object', { name: 'u_cloud_account' }, itil)
  t.equal(denied.status, 403)
  t.same(denied.json.error, {
    message: 'Operation Failed',
    detail: 'ACL Exception Insert Failed due to security constraints',
  })
  t.equal((await post(url, 'sys_dictionary', column('incident', 'u_x', 'string'), itil)).status, 403)

  for (const name of ['cloud_account', 'u_Cloud', 'u_cloud-account', `u_${'a'.repeat(79)}`, '', 'x_acme']) {
    const r = await post(url, 'sys_db_object', { name })
    t.equal(r.status, 403, `table name "${name}" refused`)
    t.equal(r.json.error.message, 'Operation Failed')
    t.equal(r.json.status, 'failure')
  }
  t.equal((await post(url, 'sys_db_object', { name: 'x_acme_cloud_account' })).status, 201, 'a scoped name')
  t.equal((await post(url, 'sys_db_object', { name: 'incident' })).status, 403, 'a base table exists')

  await makeCloudAccount(url)
  const again = await post(url, 'sys_db_object', { name: 'u_cloud_account' })
  t.equal(again.status, 403)
  t.match(again.json.error.detail, /already exists/)
  const dup = await post(url, 'sys_dictionary', column('u_cloud_account', 'u_account_id', 'string'))
  t.equal(dup.status, 403, 'a duplicate column')
  t.equal((await post(url, 'sys_dictionary', column('u_cloud_account', 'sys_id', 'string'))).status, 403)
  t.equal((await post(url, 'sys_dictionary', column('u_nowhere', 'u_x', 'string'))).status, 403, 'no such table')
  t.equal((await post(url, 'sys_dictionary', column('incident', 'short', 'string'))).status, 403, 'not u_')
  t.equal(
    (await post(url, 'sys_dictionary', column('u_cloud_account', 'u_ref', 'reference', { reference: 'u_nope' })))
      .status,
    403,
    'a reference to no table',
  )
  t.equal((await post(url, 'sys_dictionary', column('incident', 'u_cloud', 'string'))).status, 201, 'u_ on a base')
  const listed = await get(url, '/api/now/table/sys_db_object?sysparm_query=nameSTARTSWITHu_cloud')
  t.equal(listed.json.result.length, 1, 'refused inserts left no record')
})

test('tables made through records come back after a restart of a persisted emulator', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sn-custom-tables-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const first = await emulator(t, { stateDir: dir })
  await makeCloudAccount(first.url, { is_extendable: 'true' })
  await post(first.url, 'sys_db_object', { name: 'u_cloud_account_aws', super_class: 'u_cloud_account' })
  await post(first.url, 'sys_dictionary', column('incident', 'u_cloud', 'string'))
  await post(first.url, 'u_cloud_account_aws', { u_account_id: 'kept', u_monthly_cost: '3' })
  await post(first.url, 'incident', { short_description: 'with cloud', u_cloud: 'aws' })
  const cost = (
    await get(first.url, '/api/now/table/sys_dictionary?sysparm_query=name=u_cloud_account^element=u_monthly_cost')
  ).json.result[0]
  await call(first.url, 'DELETE', `/api/now/table/sys_dictionary/${cost.sys_id}`)
  await first.close()

  const second = await emulator(t, { stateDir: dir })
  const rows = await get(second.url, '/api/now/table/u_cloud_account?sysparm_fields=u_account_id,sys_class_name')
  t.same(rows.json.result, [{ u_account_id: 'kept', sys_class_name: 'u_cloud_account_aws' }])
  const kept = await get(second.url, '/api/now/table/u_cloud_account_aws')
  t.notOk('u_monthly_cost' in kept.json.result[0], 'the dropped column stays dropped')
  const incident = await get(
    second.url,
    '/api/now/table/incident?sysparm_query=short_description=with cloud&sysparm_fields=u_cloud',
  )
  t.same(incident.json.result, [{ u_cloud: 'aws' }], 'a custom column on a base table keeps its values')
  t.equal((await post(second.url, 'sys_db_object', { name: 'u_cloud_account' })).status, 403, 'still taken')
})
