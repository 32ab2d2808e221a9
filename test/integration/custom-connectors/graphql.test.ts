// Custom connectors over GraphQL: registered by a mutation, listed by `connectors` beside the
// built-in ones with their discovered schema, refused with the same CW_ codes as over REST, used
// by a mapping like any table, then changed, removed and cleaned up, each step audited.
import { test } from 'tap'
import { syncHarness, type SyncHarness } from '../../helpers/sync-harness.ts'
import { makeTable } from './helpers.ts'

async function gql(h: SyncHarness, query: string, variables: Record<string, unknown> = {}) {
  const res = await h.hub.inject({ method: 'POST', url: '/graphql', payload: { query, variables } })
  return res.json() as {
    data: Record<string, unknown> | null
    errors?: Array<{ message: string; extensions: { code: string } }>
  }
}

const CREATE = `mutation ($input: CustomConnectorInput!) {
  createCustomConnector(input: $input) { id name entity keyField fields filter schema connection { name } }
}`

test('a custom table registered over GraphQL is listed and synced to LeanIX', async (t) => {
  const h = await syncHarness(t)
  await makeTable(h, 'u_cloud_provider', [
    ['u_code', 'string', { mandatory: 'true' }],
    ['u_name', 'string'],
    ['u_tier', 'integer'],
  ])
  for (const [code, name] of [
    ['p1', 'cwcloud Provider One'],
    ['p2', 'cwcloud Provider Two'],
  ])
    await h.snInsert('u_cloud_provider', { u_code: code as string, u_name: name as string, u_tier: '1' })

  const input = {
    name: 'cloud-providers',
    connectionId: h.snConnectionId,
    entity: 'u_cloud_provider',
    keyField: 'u_code',
    displayField: 'u_name',
    fields: ['u_tier'],
  }
  const created = await gql(h, CREATE, { input })
  t.same(created.errors, undefined)
  const connector = created.data?.createCustomConnector as {
    id: string
    fields: string[]
    filter: string | null
    connection: { name: string }
    schema: { fields: Array<{ name: string; type: string; mandatory?: boolean }> }
  }
  t.same(connector.fields, ['u_tier'])
  t.equal(connector.filter, null)
  t.equal(connector.connection.name, 'servicenow')
  t.same(
    connector.schema.fields.map((f) => `${f.name}:${f.type}${f.mandatory ? '!' : ''}`),
    ['u_code:string!', 'u_name:string', 'u_tier:integer'],
  )

  const listed = await gql(h, '{ connectors { name capabilities custom { id keyField entity } } }')
  const entry = (
    listed.data?.connectors as Array<{ name: string; custom: { id: string; entity: { name: string } } | null }>
  ).find((c) => c.name === 'cloud-providers')
  t.equal(entry?.custom?.id, connector.id)
  t.equal(entry?.custom?.entity.name, 'u_cloud_provider')
  const builtIn = (listed.data?.connectors as Array<{ name: string; custom: unknown }>).find((c) => c.name === 'leanix')
  t.equal(builtIn?.custom, null, 'built-in connectors are no custom ones')
  const one = await gql(
    h,
    '{ connector(name: "cloud-providers") { title custom { keyField } } customConnector(idOrName: "cloud-providers") { id } }',
  )
  t.match(one.data, { connector: { custom: { keyField: 'u_code' } }, customConnector: { id: connector.id } })

  const refused = await gql(h, CREATE, { input: { ...input, name: 'leanix' } })
  t.same(
    refused.errors?.map((e) => e.extensions.code),
    ['CW_CUSTOM_CONNECTOR_NAME_TAKEN'],
    'a built-in name is refused as over REST',
  )
  const injected = await gql(h, CREATE, {
    input: { ...input, name: 'other', entity: 'u_cloud_provider^NQsys_idISNOTEMPTY' },
  })
  t.same(
    injected.errors?.map((e) => e.extensions.code),
    ['CW_CUSTOM_CONNECTOR_ENTITY_INVALID'],
  )
  t.equal(((await gql(h, '{ customConnectors { name } }')).data?.customConnectors as unknown[]).length, 1)

  const mappingId = await h.createMapping({
    name: 'cloud providers',
    source: { connectionId: h.snConnectionId, entity: 'u_cloud_provider' },
    target: { connectionId: h.lxConnectionId, entity: 'Provider' },
    mode: 'conservative',
    matching: { rules: [] },
    fields: [{ type: 'field', source: 'u_name', target: 'name' }],
  })
  const run = await h.run(mappingId)
  t.equal(run.status, 'OK', run.message ?? '')

  // a field no mapping uses goes: the re-discovery says so and flags nothing
  const tier = (await h.snRows('sys_dictionary', 'name=u_cloud_provider^element=u_tier', ['sys_id']))[0] as {
    sys_id: string
  }
  await h.snDelete('sys_dictionary', tier.sys_id)
  const again = await gql(
    h,
    'mutation { rediscoverCustomConnector(idOrName: "cloud-providers") { changes drifted connector { fields schema } } }',
  )
  t.same(again.errors, undefined)
  t.match(again.data?.rediscoverCustomConnector, {
    changes: { removed: ['u_tier'], retyped: [] },
    drifted: [],
    connector: { fields: ['u_tier'] },
  })
  const kept = (again.data?.rediscoverCustomConnector as { connector: { schema: { fields: Array<{ name: string }> } } })
    .connector.schema.fields
  t.same(
    kept.map((f) => f.name),
    ['u_code', 'u_name'],
    'the stored schema follows the table',
  )
  t.same(
    (await h.lxFactSheets('Provider'))
      .filter((f) => f.name.startsWith('cwcloud'))
      .map((f) => f.name)
      .sort(),
    ['cwcloud Provider One', 'cwcloud Provider Two'],
  )
})

const CHANGE = `mutation ($idOrName: String!, $patch: CustomConnectorPatch!) {
  updateCustomConnector(idOrName: $idOrName, patch: $patch) {
    connector { displayField fields filter schema } changes drifted cancelledRuns
  }
}`

test('a custom connector changed, removed and cleaned up over GraphQL', async (t) => {
  const h = await syncHarness(t)
  await makeTable(h, 'u_cloud_region', [
    ['u_code', 'string', { mandatory: 'true' }],
    ['u_name', 'string'],
    ['u_notes', 'string'],
  ])
  for (const [code, name] of [
    ['r1', 'cwregion One'],
    ['r2', 'cwregion Two'],
  ])
    await h.snInsert('u_cloud_region', { u_code: code as string, u_name: name as string, u_notes: 'n' })
  const created = await gql(h, CREATE, {
    input: {
      name: 'cloud-regions',
      connectionId: h.snConnectionId,
      entity: 'u_cloud_region',
      keyField: 'u_code',
      displayField: 'u_name',
      fields: ['u_notes'],
    },
  })
  t.same(created.errors, undefined)
  const mappingId = await h.createMapping({
    name: 'cloud regions',
    source: { connectionId: h.snConnectionId, entity: 'u_cloud_region' },
    target: { connectionId: h.lxConnectionId, entity: 'Provider' },
    mode: 'conservative',
    matching: { rules: [] },
    fields: [
      { type: 'field', source: 'u_name', target: 'name' },
      { type: 'field', source: 'u_notes', target: 'description' },
    ],
  })
  const run = await h.run(mappingId)
  t.equal(run.status, 'OK', run.message ?? '')
  t.equal(run.counts.created, 2)

  const bad = await gql(h, CHANGE, { idOrName: 'cloud-regions', patch: { fields: ['u_gone'] } })
  t.same(
    bad.errors?.map((e) => e.extensions.code),
    ['CW_CUSTOM_CONNECTOR_FIELD_NOT_FOUND'],
    'checked as over REST',
  )
  const renamed = await gql(h, CHANGE, { idOrName: 'cloud-regions', patch: { name: 'regions' } })
  t.ok(renamed.errors?.length, 'a name is not among what a change sets')
  t.equal(renamed.data, null)

  const waiting = await h.hub.app.runs.create({ mappingId, trigger: 'manual', dryRun: false, kind: 'full' })
  const narrowed = await gql(h, CHANGE, { idOrName: 'cloud-regions', patch: { fields: [], filter: 'u_code!=r2' } })
  t.same(narrowed.errors, undefined)
  t.match(narrowed.data?.updateCustomConnector, {
    connector: { displayField: 'u_name', fields: [], filter: 'u_code!=r2' },
    changes: { dropped: ['u_notes'] },
    drifted: [{ id: mappingId, problems: [{ pointer: '/fields/1/source' }] }],
    cancelledRuns: [waiting.id],
  })
  t.equal((await h.hub.app.runs.get(waiting.id)).status, 'CANCELLED')
  const start = `mutation ($id: ID!) { startRun(mappingId: $id) { id } }`
  const refused = await gql(h, start, { id: mappingId })
  t.same(
    refused.errors?.map((e) => e.extensions.code),
    ['CW_RUN_MAPPING_DRIFTED'],
  )
  t.match(refused.errors?.[0]?.message, /\/fields\/1\/source: u_notes of u_cloud_region is no longer offered/)

  const stale = await gql(
    h,
    `mutation ($p: CustomConnectorPatch!) {
      updateCustomConnector(idOrName: "cloud-regions", patch: $p, expectedUpdatedAt: "2020-01-01T00:00:00.000Z") { cancelledRuns }
    }`,
    { p: { fields: null } },
  )
  t.same(
    stale.errors?.map((e) => e.extensions.code),
    ['CW_CUSTOM_CONNECTOR_CHANGED_MEANWHILE'],
  )

  // null sets every field again: the mapping is sound and runs
  const widened = await gql(h, CHANGE, { idOrName: 'cloud-regions', patch: { fields: null, filter: null } })
  t.same(widened.errors, undefined)
  t.match(widened.data?.updateCustomConnector, { connector: { fields: null, filter: null }, drifted: [] })
  const again = await h.run(mappingId)
  t.equal(again.status, 'OK', again.message ?? '')

  const removed = await gql(
    h,
    'mutation { removeCustomConnector(idOrName: "cloud-regions") { connector { removedAt } mappings cancelledRuns } }',
  )
  t.same(removed.errors, undefined)
  t.match(removed.data?.removeCustomConnector, {
    connector: { removedAt: String },
    mappings: [{ id: mappingId, name: 'cloud regions' }],
    cancelledRuns: [],
  })
  t.same(
    (await gql(h, start, { id: mappingId })).errors?.map((e) => e.extensions.code),
    ['CW_CUSTOM_CONNECTOR_REMOVED'],
  )
  const late = await gql(h, CHANGE, { idOrName: 'cloud-regions', patch: { filter: 'u_code!=r1' } })
  t.same(
    late.errors?.map((e) => e.extensions.code),
    ['CW_CUSTOM_CONNECTOR_REMOVED_UNCHANGEABLE'],
  )

  const cleanup =
    'mutation ($c: String!) { cleanupCustomConnector(idOrName: "cloud-regions", confirm: $c) { mappings linksDeleted } }'
  const unconfirmed = await gql(h, cleanup, { c: 'yes' })
  t.same(
    unconfirmed.errors?.map((e) => e.extensions.code),
    ['CW_CUSTOM_CONNECTOR_CLEANUP_UNCONFIRMED'],
  )
  const cleaned = await gql(h, cleanup, { c: 'cloud-regions' })
  t.same(cleaned.errors, undefined)
  t.same(cleaned.data?.cleanupCustomConnector, {
    mappings: [{ id: mappingId, name: 'cloud regions' }],
    linksDeleted: 2,
  })
  t.same((await gql(h, '{ customConnector(idOrName: "cloud-regions") { id } }')).data, { customConnector: null })
  const mapping = (await gql(h, `query ($id: ID!) { mapping(id: $id) { enabled } }`, { id: mappingId })).data
  t.same(mapping, { mapping: { enabled: false } }, 'the mapping is disabled')

  const audit = (await h.hub.inject({ url: '/api/v1/audit?limit=100' })).json().items as Array<{
    action: string
    outcome: string
    summary: Record<string, unknown>
  }>
  const outcomes = audit.map((a) => `${a.action} ${a.outcome}`)
  for (const entry of [
    'graphql mutation updateCustomConnector applied',
    'graphql mutation updateCustomConnector refused',
    'graphql mutation removeCustomConnector applied',
    'graphql mutation cleanupCustomConnector refused',
    'graphql mutation cleanupCustomConnector applied',
  ])
    t.ok(outcomes.includes(entry), `audited: ${entry}`)
  t.match(
    audit.find(
      (a) =>
        a.action === 'graphql mutation updateCustomConnector' && (a.summary.flagged as unknown[] | undefined)?.length,
    ),
    { summary: { before: { fields: ['u_notes'], filter: null }, after: { fields: [], filter: 'u_code!=r2' } } },
    'the change is audited with what it was and what it is',
  )
})
