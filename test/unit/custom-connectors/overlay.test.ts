// The overlay of custom connectors on a connection's connector, and the schema comparison a
// re-discovery makes, without a system behind them.
import { test } from 'tap'
import type { Connector, EntityDescription, ReadRequest } from '../../../core/connector/contract.ts'
import { withCustomEntities } from '../../../core/custom-connectors/connector.ts'
import { schemaChanges } from '../../../core/custom-connectors/drift.ts'
import type { CustomConnectorRecord } from '../../../core/custom-connectors/repository.ts'

const table = (name: string, fields: EntityDescription['fields']): EntityDescription => ({ name, fields })

function base(seen: Array<{ entity: string; request: ReadRequest }>): Connector {
  return {
    name: 'base',
    title: 'Base',
    version: '1',
    configSchema: {} as Connector['configSchema'],
    secretFields: [],
    capabilities: ['discover', 'read', 'write', 'lookup'],
    check: async () => ({ ok: true, message: 'ok' }),
    discover: async (_conn, entities) =>
      (entities ?? ['listed']).map((name) => table(name, [{ name: 'live', type: 'string' }])),
    async *read(_conn, entity, request) {
      seen.push({ entity, request })
      yield { records: [], cursor: null }
    },
    andFilters: (left, right) => `(${left}) AND (${right})`,
    identityField: () => 'correlation_id',
    displayField: () => 'name',
  }
}

const def = (over: Partial<CustomConnectorRecord> = {}): CustomConnectorRecord => ({
  id: 'c1',
  name: 'cloud-accounts',
  connectionId: 'conn',
  baseConnector: 'base',
  entity: 'u_cloud_account',
  keyField: 'u_account_id',
  displayField: 'u_name',
  fields: null,
  filter: 'u_provider!=gcp',
  schema: table('u_cloud_account', [
    { name: 'u_account_id', type: 'string' },
    { name: 'u_name', type: 'string' },
  ]),
  discoveredAt: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  removedAt: null,
  ...over,
})

const conn = { id: 'conn', name: 'sn', settings: {}, secrets: {}, logger: console }

test('a custom entity is described by its stored schema and read with its constraint', async (t) => {
  const seen: Array<{ entity: string; request: ReadRequest }> = []
  const overlaid = withCustomEntities(base(seen), [def()])
  const described = await overlaid.discover!(conn, ['u_cloud_account', 'sys_user'])
  t.same(
    described.map((e) => `${e.name}:${e.fields.map((f) => f.name).join(',')}`),
    ['sys_user:live', 'u_cloud_account:u_account_id,u_name'],
    'the stored schema, not a fresh discovery, for the custom entity only',
  )
  t.same(
    (await overlaid.discover!(conn)).map((e) => e.name),
    ['listed', 'u_cloud_account'],
    'listed with the connection',
  )
  for await (const _ of overlaid.read!(conn, 'u_cloud_account', { filter: 'u_name=x' })) void _
  for await (const _ of overlaid.read!(conn, 'u_cloud_account', {})) void _
  for await (const _ of overlaid.read!(conn, 'sys_user', { filter: 'active=true' })) void _
  t.same(
    seen.map((s) => s.request.filter),
    ['(u_provider!=gcp) AND (u_name=x)', 'u_provider!=gcp', 'active=true'],
  )
  t.equal(overlaid.displayField!('u_cloud_account'), 'u_name')
  t.equal(overlaid.displayField!('sys_user'), 'name')
  t.equal(overlaid.identityField!(conn, 'u_cloud_account'), undefined, 'the table has no correlation_id')
  t.equal(overlaid.identityField!(conn, 'sys_user'), 'correlation_id')
})

test('without custom connectors the connector is the base itself', async (t) => {
  const connector = base([])
  t.equal(withCustomEntities(connector, []), connector)
})

test('schema changes: removed, retyped (a reference to another table too) and added fields', async (t) => {
  const before = table('t', [
    { name: 'a', type: 'string' },
    { name: 'b', type: 'string' },
    { name: 'c', type: 'reference', reference: 'sys_user' },
    { name: 'd', type: 'integer' },
  ])
  const after = table('t', [
    { name: 'b', type: 'integer' },
    { name: 'c', type: 'reference', reference: 'sys_user_group' },
    { name: 'd', type: 'integer' },
    { name: 'e', type: 'string' },
  ])
  t.same(schemaChanges(before, after), {
    removed: ['a'],
    dropped: [],
    retyped: [
      { field: 'b', from: 'string', to: 'integer' },
      { field: 'c', from: 'reference to sys_user', to: 'reference to sys_user_group' },
    ],
    added: ['e'],
  })
  t.same(schemaChanges(before, before), { removed: [], dropped: [], retyped: [], added: [] })
})
