// Custom connectors over GraphQL: registered by a mutation, listed by `connectors` beside the
// built-in ones with their discovered schema, refused with the same CW_ codes as over REST, and
// used by a mapping like any table.
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
