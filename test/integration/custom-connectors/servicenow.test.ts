// A custom ServiceNow table as a connector: made on the emulator at run time, registered over
// REST, listed beside the built-in connectors with its discovered schema, mapped to a LeanIX fact
// sheet type with the ordinary mapping model, and synced both ways through the ServiceNow client.
import { test } from 'tap'
import { syncHarness } from '../../helpers/sync-harness.ts'
import {
  expectDrift,
  makeCloudAccount,
  makeTable,
  mappingRefusal,
  registerCloudAccounts,
  saveFields,
} from './helpers.ts'

interface Field {
  name: string
  type: string
  reference?: string
  choices?: Array<{ value: string }>
  mandatory?: boolean
}

test('a custom table registered over REST is listed, mapped and synced both ways', async (t) => {
  const h = await syncHarness(t)
  await makeCloudAccount(h)
  const accounts = [
    { u_account_id: 'aws-1', u_name: 'cwcustom Payments AWS', u_provider: 'aws', u_monthly_cost: '1250.5' },
    { u_account_id: 'az-2', u_name: 'cwcustom Billing Azure', u_provider: 'azure', u_monthly_cost: '80' },
    { u_account_id: 'gcp-3', u_name: 'cwcustom Lab GCP', u_provider: 'gcp', u_monthly_cost: '12' },
  ]
  const rows = []
  for (const a of accounts) rows.push(await h.snInsert('u_cloud_account', a))

  const created = await registerCloudAccounts(h, {
    fields: ['u_provider', 'u_monthly_cost', 'u_notes', 'u_owner'],
    filter: 'u_provider!=gcp',
  })
  t.equal(created.statusCode, 201, created.body)
  const connector = created.json()
  t.equal(created.headers.location, `/api/v1/custom-connectors/${connector.id}`)
  t.equal(connector.baseConnector, 'servicenow')
  const fields = new Map((connector.schema.fields as Field[]).map((f) => [f.name, f]))
  t.same(
    [...fields.keys()].sort(),
    ['u_account_id', 'u_monthly_cost', 'u_name', 'u_notes', 'u_owner', 'u_provider'],
    'the subset, with the key and display fields',
  )
  t.match(fields.get('u_account_id'), { type: 'string', mandatory: true }, 'mandatory from sys_dictionary')
  t.match(fields.get('u_owner'), { type: 'reference', reference: 'sys_user' })
  t.equal(fields.get('u_monthly_cost')?.type, 'decimal')
  t.same(
    fields.get('u_provider')?.choices?.map((c) => c.value),
    ['aws', 'azure', 'gcp'],
    'choices from sys_choice',
  )

  const listed = await h.hub.inject({ url: '/api/v1/connectors' })
  const summary = (listed.json().items as Array<{ name: string; custom?: Record<string, unknown> }>).find(
    (c) => c.name === 'cloud-accounts',
  )
  t.match(summary, {
    capabilities: ['discover', 'read', 'write', 'lookup', 'matches'],
    secretFields: [],
    custom: { connectionId: h.snConnectionId, keyField: 'u_account_id', entity: { name: 'u_cloud_account' } },
  })
  t.equal((await h.hub.inject({ url: '/api/v1/connectors/cloud-accounts' })).json().custom?.id, connector.id)
  t.equal((await h.hub.inject({ url: '/api/v1/custom-connectors/cloud-accounts' })).json().id, connector.id)
  t.equal((await h.hub.inject({ url: created.headers.location as string })).json().name, 'cloud-accounts', 'by id too')
  // what the connection shows of the table is what mappings get: the subset, and records in the constraint
  const described = await h.hub.inject({ url: `/api/v1/connections/${h.snConnectionId}/entities/u_cloud_account` })
  t.same(
    (described.json().fields as Field[]).map((f) => f.name).sort(),
    [...fields.keys()].sort(),
    "the connection's entity is the registered subset",
  )
  const previewed = await h.hub.inject({
    url: `/api/v1/connections/${h.snConnectionId}/entities/u_cloud_account/records?limit=10`,
  })
  t.same(
    (previewed.json().items as Array<{ u_provider: string }>).map((r) => r.u_provider).sort(),
    ['aws', 'azure'],
    'a preview keeps to the constraint',
  )

  const side = {
    source: { connectionId: h.snConnectionId, entity: 'u_cloud_account' },
    target: { connectionId: h.lxConnectionId, entity: 'ITComponent', category: 'iaas' },
    mode: 'conservative',
    matching: { rules: [] },
  }
  const outside = await mappingRefusal(h, {
    name: 'cloud accounts, too wide',
    ...side,
    fields: [{ type: 'field', source: 'sys_created_by', target: 'description' }],
  })
  t.match(
    outside,
    { statusCode: 400, code: 'CW_MAPPING_INVALID', pointers: ['/fields/0/source'] },
    'a field outside the subset is refused like a missing field',
  )

  const mappingId = await h.createMapping({
    name: 'cloud accounts',
    ...side,
    fields: [
      { type: 'field', source: 'u_name', target: 'name' },
      { type: 'field', source: 'u_notes', target: 'description', direction: 'toSource' },
    ],
  })
  const first = await h.run(mappingId)
  t.equal(first.status, 'OK', first.message ?? '')
  t.equal(first.counts.created, 2, 'the constraint keeps the GCP account out')
  const components = async () =>
    (await h.lxFactSheets('ITComponent', 'description')).filter((f) => f.name.startsWith('cwcustom'))
  t.same((await components()).map((c) => c.name).sort(), ['cwcustom Billing Azure', 'cwcustom Payments AWS'])

  // both ways: a name changed in ServiceNow goes to LeanIX, a description written in LeanIX comes back
  const aws = rows[0] as { sys_id: string }
  await h.snUpdate('u_cloud_account', aws.sys_id, { u_name: 'cwcustom Payments AWS (prod)' })
  const billing = (await components()).find((c) => c.name === 'cwcustom Billing Azure') as { id: string }
  await h.lxUpdate(billing.id, [{ op: 'replace', path: '/description', value: 'owned by finance' }])
  const second = await h.run(mappingId)
  t.equal(second.status, 'OK', second.message ?? '')
  t.same((await components()).map((c) => c.name).sort(), ['cwcustom Billing Azure', 'cwcustom Payments AWS (prod)'])
  const notes = await h.snRows('u_cloud_account', 'u_account_id=az-2', ['u_notes'])
  t.same(notes, [{ u_notes: 'owned by finance' }], 'written back to the custom table')

  // drift: an admin drops u_notes and turns u_name into an integer column on the instance
  const column = async (element: string) =>
    ((await h.snRows('sys_dictionary', `name=u_cloud_account^element=${element}`, ['sys_id']))[0] as { sys_id: string })
      .sys_id
  await h.snDelete('sys_dictionary', await column('u_notes'))
  await h.snUpdate('sys_dictionary', await column('u_name'), { internal_type: 'integer' })

  await expectDrift(t, h, 'cloud-accounts', mappingId, {
    changes: { removed: ['u_notes'], retyped: [{ field: 'u_name', from: 'string', to: 'integer' }] },
    pointers: ['/fields/0/source', '/fields/1/source'],
    why: [
      /\/fields\/1\/source: u_notes was removed from u_cloud_account/,
      /\/fields\/0\/source: u_name of u_cloud_account changed type from string to integer/,
    ],
  })

  // a change event of the drifted table waits: its event run has nothing to add, and does not fail
  const event = await h.hub.inject({
    method: 'POST',
    url: `/api/v1/connections/${h.snConnectionId}/changes`,
    payload: { table: 'u_cloud_account', sys_id: aws.sys_id, operation: 'update' },
  })
  t.equal(event.statusCode, 202, event.body)
  t.match(event.json(), { accepted: 1 })
  t.equal(
    await h.hub.hub.sync.runService.startChanges(mappingId, false),
    undefined,
    'no event run for a drifted mapping',
  )

  // fixed and saved against the new schema: the flag goes, runs start again
  await saveFields(t, h, mappingId, [{ type: 'field', source: 'u_account_id', target: 'name' }])
  const after = await h.run(mappingId)
  t.equal(after.status, 'OK', after.message ?? '')

  // removal: runs refused, links kept until a confirmed cleanup
  const links = async () =>
    (
      await h.hub.db.query<{ n: number }>('select count(*)::int as n from sync_links where mapping_id = $1', [
        mappingId,
      ])
    ).rows[0]?.n ?? 0
  const linked = await links()
  t.equal(linked, 2, 'the two synced accounts are linked')
  const removed = await h.hub.inject({ method: 'DELETE', url: '/api/v1/custom-connectors/cloud-accounts' })
  t.equal(removed.statusCode, 200, removed.body)
  t.same(removed.json().mappings, [{ id: mappingId, name: 'cloud accounts' }])
  t.ok(removed.json().connector.removedAt, 'marked removed')
  const names = (await h.hub.inject({ url: '/api/v1/connectors' })).json().items.map((c: { name: string }) => c.name)
  t.notOk(names.includes('cloud-accounts'), 'no longer listed as a connector')
  const noRun = await h.hub.inject({ method: 'POST', url: `/api/v1/mappings/${mappingId}/runs`, payload: {} })
  t.equal(noRun.statusCode, 409)
  t.equal(noRun.json().code, 'CW_CUSTOM_CONNECTOR_REMOVED', 'not a run on the bare table')
  t.equal(await links(), linked, 'links kept')

  const unconfirmed = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/custom-connectors/cloud-accounts/cleanup',
    payload: { confirm: 'yes' },
  })
  t.equal(unconfirmed.json().code, 'CW_CUSTOM_CONNECTOR_CLEANUP_UNCONFIRMED')
  t.equal(await links(), linked)
  const cleaned = await h.hub.inject({
    method: 'POST',
    url: '/api/v1/custom-connectors/cloud-accounts/cleanup',
    payload: { confirm: 'cloud-accounts' },
  })
  t.equal(cleaned.statusCode, 200, cleaned.body)
  t.equal(cleaned.json().linksDeleted, linked)
  t.equal(await links(), 0)
  t.equal(
    (await h.hub.inject({ url: `/api/v1/mappings/${mappingId}` })).json().enabled,
    false,
    'the mapping is disabled',
  )
  t.equal((await h.hub.inject({ url: '/api/v1/custom-connectors/cloud-accounts' })).statusCode, 404)

  const audit = await h.hub.inject({ url: '/api/v1/audit?limit=100' })
  const actions = (audit.json().items as Array<{ action: string; outcome: string }>).map(
    (a) => `${a.action} ${a.outcome}`,
  )
  for (const action of [
    'POST /api/v1/custom-connectors applied',
    'POST /api/v1/custom-connectors/:idOrName/discover applied',
    'DELETE /api/v1/custom-connectors/:idOrName applied',
    'POST /api/v1/custom-connectors/:idOrName/cleanup refused',
    'POST /api/v1/custom-connectors/:idOrName/cleanup applied',
  ])
    t.ok(actions.includes(action), `audited: ${action}`)
})

test('inherited fields come through the super class', async (t) => {
  const h = await syncHarness(t)
  await makeCloudAccount(h)
  await makeTable(h, 'u_cloud_account_aws', [['u_region', 'string']], { superClass: 'u_cloud_account' })
  const res = await registerCloudAccounts(h, { name: 'aws-accounts', entity: 'u_cloud_account_aws' })
  t.equal(res.statusCode, 201, res.body)
  const names = (res.json().schema.fields as Field[]).map((f) => f.name)
  t.ok(names.includes('u_region'), 'its own field')
  t.ok(names.includes('u_account_id') && names.includes('u_provider'), "the parent's fields")
  t.equal(res.json().schema.parent, 'u_cloud_account')
})

test('removing a custom connector cancels the runs of its mappings that wait', async (t) => {
  const h = await syncHarness(t)
  await makeCloudAccount(h)
  const registered = await registerCloudAccounts(h)
  t.equal(registered.statusCode, 201, registered.body)
  const mappingId = await h.createMapping({
    name: 'cloud accounts',
    source: { connectionId: h.snConnectionId, entity: 'u_cloud_account' },
    target: { connectionId: h.lxConnectionId, entity: 'ITComponent', category: 'iaas' },
    mode: 'conservative',
    matching: { rules: [] },
    fields: [{ type: 'field', source: 'u_name', target: 'name' }],
  })
  // a run row that no worker has taken yet (no job behind it): it waits, as a queued run does
  const waiting = await h.hub.app.runs.create({ mappingId, trigger: 'manual', dryRun: false, kind: 'full' })
  const removed = await h.hub.inject({ method: 'DELETE', url: '/api/v1/custom-connectors/cloud-accounts' })
  t.equal(removed.statusCode, 200, removed.body)
  t.same(removed.json().cancelledRuns, [waiting.id])
  t.equal((await h.hub.app.runs.get(waiting.id)).status, 'CANCELLED')
})
