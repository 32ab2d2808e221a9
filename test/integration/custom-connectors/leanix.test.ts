// A custom LeanIX fact sheet type as a connector: made on the emulated workspace at run time the
// way an admin makes one (PUT /models/dataModel), registered over REST from the data model, listed
// beside the built-in connectors, mapped against a custom ServiceNow table with the ordinary
// mapping model and synced both ways through the LeanIX client; a field then removed from the data
// model flags the mapping and refuses its runs. A constraint (a facet filter) is in
// leanix-constraint.test.ts.
import { test } from 'tap'
import { syncHarness, type SyncHarness } from '../../helpers/sync-harness.ts'
import { addCloudAccountType, editDataModel, type DataModelBody } from '../leanix-emulator/data-model-admin.ts'
import { expectDrift, makeCloudAccount, mappingRefusal, registerCloudAccounts, saveFields } from './helpers.ts'

interface Field {
  name: string
  type: string
  choices?: Array<{ value: string }>
  mandatory?: boolean
  readOnly?: boolean
}

/** the data model changed as the workspace admin of the harness's LeanIX emulator */
const changeDataModel = (h: SyncHarness, edit: (model: DataModelBody) => void, force = false) =>
  editDataModel(h.lx.url, h.lx.apiTokens.architect ?? h.lx.apiToken, edit, { force })

/** a mapping from the custom ServiceNow table to the custom fact sheet type, with `fields` */
const mapAccounts = (h: SyncHarness, name: string, fields: unknown[]) =>
  h.createMapping({
    name,
    source: { connectionId: h.snConnectionId, entity: 'u_cloud_account' },
    target: { connectionId: h.lxConnectionId, entity: 'CloudAccount' },
    mode: 'conservative',
    matching: { rules: [] },
    fields,
  })

/** POST /api/v1/custom-connectors for CloudAccount of the harness's LeanIX connection */
const registerLeanixAccounts = (h: SyncHarness, change: Record<string, unknown> = {}) =>
  h.hub.inject({
    method: 'POST',
    url: '/api/v1/custom-connectors',
    payload: {
      name: 'lx-cloud-accounts',
      connectionId: h.lxConnectionId,
      entity: 'CloudAccount',
      keyField: 'accountId',
      displayField: 'name',
      ...change,
    },
  })

test('a fact sheet type made at run time is registered, mapped and synced; a removed field flags the mapping', async (t) => {
  const h = await syncHarness(t)
  await makeCloudAccount(h)
  for (const a of [
    { u_account_id: 'aws-1', u_name: 'cwlx Payments AWS', u_provider: 'aws', u_monthly_cost: '1250.5' },
    { u_account_id: 'az-2', u_name: 'cwlx Billing Azure', u_provider: 'azure', u_monthly_cost: '80' },
  ])
    await h.snInsert('u_cloud_account', a)
  t.equal((await registerCloudAccounts(h)).statusCode, 201)

  t.equal((await registerLeanixAccounts(h)).json().code, 'CW_CUSTOM_CONNECTOR_ENTITY_NOT_FOUND', 'not there yet')
  const added = await changeDataModel(h, addCloudAccountType)
  t.equal(added.status, 200, JSON.stringify(added.body))

  const created = await registerLeanixAccounts(h)
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), { baseConnector: 'leanix', entity: 'CloudAccount', keyField: 'accountId' })
  const fields = new Map((created.json().schema.fields as Field[]).map((f) => [f.name, f]))
  t.match(fields.get('name'), { type: 'string', mandatory: true }, 'the name every fact sheet must have')
  t.same(
    fields.get('provider')?.choices?.map((c) => c.value),
    ['aws', 'azure', 'gcp'],
    'the values of the single select',
  )
  t.equal(fields.get('monthlyCost')?.type, 'decimal')
  t.equal(fields.get('externalId')?.type, 'externalId')
  t.match(fields.get('id'), { readOnly: true })

  const listed = (await h.hub.inject({ url: '/api/v1/connectors' })).json().items as Array<{
    name: string
    custom?: Record<string, unknown>
  }>
  t.match(
    listed.find((c) => c.name === 'lx-cloud-accounts'),
    {
      capabilities: ['discover', 'read', 'write', 'lookup', 'matches'],
      custom: { connectionId: h.lxConnectionId, baseConnector: 'leanix', entity: { name: 'CloudAccount' } },
    },
  )
  const graphql = await h.hub.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query: '{ connectors { name custom { entity } } }' },
  })
  const viaGraphql = (
    graphql.json().data.connectors as Array<{ name: string; custom: { entity: { fields: Field[] } } | null }>
  ).find((c) => c.name === 'lx-cloud-accounts')
  t.ok(
    viaGraphql?.custom?.entity.fields.some((f) => f.name === 'monthlyCost' && f.type === 'decimal'),
    'GraphQL connectors shows the discovered schema',
  )

  const mappingId = await mapAccounts(h, 'cloud accounts to LeanIX', [
    { type: 'field', source: 'u_name', target: 'name' },
    { type: 'field', source: 'u_account_id', target: 'accountId' },
    { type: 'field', source: 'u_provider', target: 'provider' },
    { type: 'field', source: 'u_monthly_cost', target: 'monthlyCost' },
    { type: 'field', source: 'u_notes', target: 'notes', direction: 'toSource' },
  ])
  const first = await h.run(mappingId)
  t.equal(first.status, 'OK', first.message ?? '')
  t.equal(first.counts.created, 2)
  const accounts = async () =>
    (await h.lxFactSheets('CloudAccount', '... on CloudAccount { accountId provider monthlyCost notes }')).sort(
      (a, b) => a.name.localeCompare(b.name),
    )
  t.match(await accounts(), [
    { name: 'cwlx Billing Azure', accountId: 'az-2', provider: 'azure', monthlyCost: 80 },
    { name: 'cwlx Payments AWS', accountId: 'aws-1', provider: 'aws', monthlyCost: 1250.5 },
  ])

  // both ways: notes written in LeanIX come back to the ServiceNow table
  const billing = (await accounts())[0] as { id: string }
  await h.lxUpdate(billing.id, [{ op: 'replace', path: '/notes', value: 'owned by finance' }])
  const second = await h.run(mappingId)
  t.equal(second.status, 'OK', second.message ?? '')
  t.same(await h.snRows('u_cloud_account', 'u_account_id=az-2', ['u_notes']), [{ u_notes: 'owned by finance' }])

  // drift: the admin drops notes and makes monthlyCost an integer field
  const dropped = await changeDataModel(
    h,
    (model) => {
      const type = model.factSheets.CloudAccount!
      delete type.fields.notes
      type.fields.monthlyCost = { type: 'INTEGER' }
    },
    true,
  )
  t.equal(dropped.status, 200, JSON.stringify(dropped.body))
  await expectDrift(t, h, 'lx-cloud-accounts', mappingId, {
    changes: { removed: ['notes'], retyped: [{ field: 'monthlyCost', from: 'decimal', to: 'integer' }] },
    pointers: ['/fields/3/target', '/fields/4/target'],
    why: [/notes was removed from CloudAccount/, /monthlyCost of CloudAccount changed type from decimal to integer/],
  })

  // fixed against the new schema: runs start again
  await saveFields(t, h, mappingId, [
    { type: 'field', source: 'u_name', target: 'name' },
    { type: 'field', source: 'u_account_id', target: 'accountId' },
  ])
  const after = await h.run(mappingId)
  t.equal(after.status, 'OK', after.message ?? '')
})

test('bad LeanIX registrations are refused with CW_ codes and leave nothing behind', async (t) => {
  const h = await syncHarness(t)
  t.equal((await changeDataModel(h, addCloudAccountType)).status, 200)
  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    ['an unknown fact sheet type', { entity: 'NoSuchType' }, 400, 'CW_CUSTOM_CONNECTOR_ENTITY_NOT_FOUND'],
    ['the name of a built-in connector', { name: 'leanix' }, 409, 'CW_CUSTOM_CONNECTOR_NAME_TAKEN'],
    ['a key field the type lacks', { keyField: 'accountNumber' }, 400, 'CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND'],
    ['a subset field the type lacks', { fields: ['provider', 'owner'] }, 400, 'CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND'],
    ['a relation as the key', { keyField: 'relToParent' }, 400, 'CW_CUSTOM_CONNECTOR_FIELD_INVALID'],
    ['a GraphQL selection in the type', { entity: 'CloudAccount { id }' }, 400, 'CW_CUSTOM_CONNECTOR_ENTITY_INVALID'],
    [
      'a fragment in the type',
      { entity: 'CloudAccount ... on Application' },
      400,
      'CW_CUSTOM_CONNECTOR_ENTITY_INVALID',
    ],
    [
      'a GraphQL selection in a field',
      { fields: ['name } allFactSheets { totalCount'] },
      400,
      'CW_CUSTOM_CONNECTOR_FIELD_INVALID',
    ],
    [
      'a constraint that is no facet filter',
      { filter: JSON.stringify({ facetFilters: 'provider=aws' }) },
      400,
      'CW_CUSTOM_CONNECTOR_FILTER_INVALID',
    ],
  ]
  for (const [what, change, status, code] of cases) {
    const res = await registerLeanixAccounts(h, change)
    t.equal(res.statusCode, status, `${what}: ${res.body}`)
    t.equal(res.json().code, code, what)
  }
  t.match(
    (await registerLeanixAccounts(h, { entity: 'NoSuchType' })).json().message,
    /no table or fact sheet type "NoSuchType".*data model/,
    'the refusal says where to look',
  )
  t.same((await h.hub.inject({ url: '/api/v1/custom-connectors' })).json(), { items: [], total: 0 })
  const { rows } = await h.hub.db.query('select count(*)::int as n from custom_connectors')
  t.same(rows, [{ n: 0 }], 'nothing half-registered')

  const subset = await registerLeanixAccounts(h, { fields: ['provider'] })
  t.equal(subset.statusCode, 201, subset.body)
  t.same(
    (subset.json().schema.fields as Field[]).map((f) => f.name).sort(),
    ['accountId', 'name', 'provider'],
    'the subset, with the key and display fields',
  )
  const again = await registerLeanixAccounts(h, { name: 'lx-cloud-accounts-2' })
  t.equal(again.json().code, 'CW_CUSTOM_CONNECTOR_ENTITY_TAKEN', 'one custom connector per type of a connection')
})

test('extra fields an admin adds to a built-in type are discovered; mappings are checked against the subset', async (t) => {
  const h = await syncHarness(t)
  const added = await changeDataModel(h, (model) => {
    model.factSheets.Application!.fields.cloudCost = { type: 'DOUBLE' }
    model.factSheets.Application!.fields.hostingModel = { type: 'SINGLE_SELECT', values: ['onPremise', 'cloud'] }
  })
  t.equal(added.status, 200, JSON.stringify(added.body))
  const created = await registerLeanixAccounts(h, {
    name: 'lx-hosted-apps',
    entity: 'Application',
    keyField: 'name',
    fields: ['cloudCost', 'hostingModel'],
  })
  t.equal(created.statusCode, 201, created.body)
  const fields = new Map((created.json().schema.fields as Field[]).map((f) => [f.name, f]))
  t.same([...fields.keys()].sort(), ['cloudCost', 'hostingModel', 'name'])
  t.equal(fields.get('cloudCost')?.type, 'decimal')
  t.same(
    fields.get('hostingModel')?.choices?.map((c) => c.value),
    ['onPremise', 'cloud'],
  )

  const side = {
    source: { connectionId: h.snConnectionId, entity: 'cmdb_ci_business_app' },
    target: { connectionId: h.lxConnectionId, entity: 'Application' },
    mode: 'conservative',
    matching: { rules: [] },
  }
  const outside = await mappingRefusal(h, {
    name: 'apps, too wide',
    ...side,
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      { type: 'field', source: 'name', target: 'alias' },
    ],
  })
  t.same(
    outside,
    { statusCode: 400, code: 'CW_MAPPING_INVALID', pointers: ['/fields/1/target'] },
    'a field outside the subset is refused like a missing field',
  )
})

test('a field removed from the data model without a re-discovery refuses the next run, naming the field mapping', async (t) => {
  const h = await syncHarness(t)
  await makeCloudAccount(h)
  await h.snInsert('u_cloud_account', { u_account_id: 'aws-1', u_name: 'cwstart Payments AWS', u_provider: 'aws' })
  t.equal((await registerCloudAccounts(h)).statusCode, 201)
  t.equal((await changeDataModel(h, addCloudAccountType)).status, 200)
  t.equal((await registerLeanixAccounts(h)).statusCode, 201)
  const mappingId = await mapAccounts(h, 'cloud accounts at start', [
    { type: 'field', source: 'u_name', target: 'name' },
    { type: 'field', source: 'u_account_id', target: 'accountId' },
    { type: 'field', source: 'u_notes', target: 'notes' },
  ])
  const first = await h.run(mappingId)
  t.equal(first.status, 'OK', first.message ?? '')
  t.equal(first.counts.created, 1)

  // the workspace admin drops notes; nobody asks the hub to discover the type again
  const dropped = await changeDataModel(h, (model) => delete model.factSheets.CloudAccount!.fields.notes, true)
  t.equal(dropped.status, 200, JSON.stringify(dropped.body))
  const refused = await h.hub.inject({ method: 'POST', url: `/api/v1/mappings/${mappingId}/runs`, payload: {} })
  t.equal(refused.statusCode, 409, refused.body)
  t.equal(refused.json().code, 'CW_RUN_MAPPING_DRIFTED', "the hub's refusal, not LeanIX's error in a failed run")
  t.match(refused.json().message, /\/fields\/2\/target: notes was removed from CloudAccount/)
  t.equal(
    (await h.hub.inject({ url: `/api/v1/runs?mappingId=${mappingId}&limit=10` })).json().total,
    1,
    'no run was made',
  )
  const stored = (await h.hub.inject({ url: '/api/v1/custom-connectors/lx-cloud-accounts' })).json()
  t.notOk(
    (stored.schema.fields as Field[]).some((f) => f.name === 'notes'),
    'the schema found at the start is stored',
  )
  const audit = (await h.hub.inject({ url: '/api/v1/audit?limit=100' })).json().items as Array<{
    action: string
    actor: { kind: string }
    summary: Record<string, unknown>
  }>
  t.match(
    audit.find((a) => a.action === 'custom-connector.rediscover'),
    { actor: { kind: 'system' }, summary: { name: 'lx-cloud-accounts', changes: { removed: ['notes'] } } },
    'the schema change the hub found is audited',
  )
  const again = await h.hub.inject({ method: 'POST', url: `/api/v1/mappings/${mappingId}/runs`, payload: {} })
  t.equal(again.json().code, 'CW_RUN_MAPPING_DRIFTED', 'the flag holds though nothing changed since')

  await saveFields(t, h, mappingId, [
    { type: 'field', source: 'u_name', target: 'name' },
    { type: 'field', source: 'u_account_id', target: 'accountId' },
  ])
  const after = await h.run(mappingId)
  t.equal(after.status, 'OK', after.message ?? '')
})
