// Graph rules are supplied to the ServiceNow connector by another plugin (useGraphRules): reads
// and lookups that carry rules go to it with the connection's client, and fail with a declared
// code while no plugin supplies them.
import { test } from 'tap'
import { createServiceNowConnector, ServiceNowClient } from '../../../connectors/servicenow/index.ts'
import type { ServiceNowGraphRules, ServiceNowSettings } from '../../../connectors/servicenow/index.ts'
import type { ConnectionContext, Page, SourceRecord } from '../../../core/connector/contract.ts'

const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
const conn = {
  id: 'sn',
  name: 'sn',
  logger,
  settings: { instanceUrl: 'https://x.service-now.com', authKind: 'basic', username: 'u' },
  secrets: { password: 'p' },
} as unknown as ConnectionContext<ServiceNowSettings>
const rules = [{ rule: 'APPLICATION_SAM_CONNECTION', filter: 'operational_status=1' }]

async function all(pages: AsyncIterable<Page>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = []
  for await (const page of pages) out.push(...page.records)
  return out
}

test('without a provider: no rules listed, and a read or lookup with rules fails with CW_SN_GRAPH_RULES_UNAVAILABLE', async (t) => {
  const connector = createServiceNowConnector()
  t.teardown(() => connector.close())
  t.same(connector.graphRules('cmdb_sam_sw_install'), [])
  await t.rejects(all(connector.read(conn, 'cmdb_sam_sw_install', { graphRules: rules })), {
    code: 'CW_SN_GRAPH_RULES_UNAVAILABLE',
    message: /APPLICATION_SAM_CONNECTION.*cmdb_sam_sw_install.*remove graphRules/,
  })
  await t.rejects(connector.lookup(conn, 'cmdb_sam_sw_install', { ids: ['a'], graphRules: rules }), {
    code: 'CW_SN_GRAPH_RULES_UNAVAILABLE',
  })
})

test('with a provider: rules are listed, and reads and lookups with rules are delegated with the client', async (t) => {
  const connector = createServiceNowConnector()
  t.teardown(() => connector.close())
  const seen: Array<{ kind: string; entity: string; request: unknown; client: unknown }> = []
  const provider: ServiceNowGraphRules = {
    describe: (entity) =>
      entity === 'cmdb_sam_sw_install'
        ? [
            {
              name: 'APPLICATION_SAM_CONNECTION',
              description: 'installs on a server of a business application',
              filterApplies: 'the business applications',
              fields: [{ name: 'graph_applications', type: 'list', reference: 'cmdb_ci_business_app' }],
            },
          ]
        : [],
    async *read(client, c, entity, request) {
      seen.push({ kind: 'read', entity, request, client })
      t.equal(c, conn)
      yield { records: [{ id: 'i1', graph_applications: ['app1'] }], cursor: 'next' }
      yield { records: [{ id: 'i2', graph_applications: ['app2'] }], cursor: null }
    },
    async lookup(client, _c, entity, request) {
      seen.push({ kind: 'lookup', entity, request, client })
      return [{ id: 'i1', graph_applications: ['app1'] }]
    },
  }
  connector.useGraphRules(provider)
  t.same(
    connector.graphRules('cmdb_sam_sw_install').map((r) => r.name),
    ['APPLICATION_SAM_CONNECTION'],
  )
  t.same(connector.graphRules('cmdb_ci_server'), [])
  const read = await all(connector.read(conn, 'cmdb_sam_sw_install', { fields: ['name'], graphRules: rules }))
  t.same(
    read.map((r) => r.id),
    ['i1', 'i2'],
  )
  const found = await connector.lookup(conn, 'cmdb_sam_sw_install', { ids: ['i1', 'gone'], graphRules: rules })
  t.same(
    found.map((r) => r.id),
    ['i1'],
  )
  t.same(
    seen.map((s) => [s.kind, s.entity]),
    [
      ['read', 'cmdb_sam_sw_install'],
      ['lookup', 'cmdb_sam_sw_install'],
    ],
  )
  t.match(seen[0]?.request, { fields: ['name'], graphRules: rules })
  t.ok(seen[0]?.client instanceof ServiceNowClient, 'the provider gets the connection client')
  t.equal(seen[0]?.client, seen[1]?.client, 'the same cached client')
  t.equal(seen[0]?.client, connector.clientFor(conn))
})

test('a request without rules (or with none) is not delegated', async (t) => {
  const connector = createServiceNowConnector()
  t.teardown(() => connector.close())
  let called = 0
  connector.useGraphRules({
    describe: () => [],
    async *read() {
      called++
      yield { records: [], cursor: null }
    },
    async lookup() {
      called++
      return []
    },
  })
  // no values: answered without a request, and without the provider
  t.same(await connector.lookup(conn, 'cmdb_ci_server', { ids: [], graphRules: [] }), [])
  t.equal(called, 0)
})
