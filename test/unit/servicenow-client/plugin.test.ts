// The plugin registers the connector in the kernel's registry under its name, with its settings
// schema, secrets and capabilities.
import Fastify from 'fastify'
import { test } from 'tap'
import { ConnectorRegistry } from '../../../core/connector/registry.ts'
import { serviceNowConnectorPlugin, SERVICENOW_SECRET_FIELDS } from '../../../connectors/servicenow/index.ts'

test('the plugin registers the servicenow connector', async (t) => {
  const app = Fastify()
  app.decorate('connectors', new ConnectorRegistry())
  await app.register(serviceNowConnectorPlugin)
  await app.ready()
  t.teardown(() => app.close())
  const connector = app.connectors.require('servicenow', 'read')
  t.same([...connector.capabilities].sort(), ['discover', 'emulator', 'lookup', 'matches', 'read', 'write'])
  t.same(connector.secretFields, SERVICENOW_SECRET_FIELDS)
  const properties = connector.configSchema.properties as Record<string, { secret?: boolean }>
  for (const name of SERVICENOW_SECRET_FIELDS) t.equal(properties[name]?.secret, true, `${name} is marked secret`)
  t.equal(properties.username?.secret, undefined)
  t.ok(app.hasPlugin('crosswalk-connector-servicenow'))
})

test('check() turns bad settings into a message, without a request', async (t) => {
  const app = Fastify()
  app.decorate('connectors', new ConnectorRegistry())
  await app.register(serviceNowConnectorPlugin)
  t.teardown(() => app.close())
  const connector = app.connectors.get('servicenow')
  const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
  const base = { id: 'c', name: 'c', logger }
  t.match(
    await connector.check({
      ...base,
      settings: { instanceUrl: 'https://x.service-now.com', username: 'u' },
      secrets: {},
    }),
    { ok: false, message: /basic auth needs username and password/ },
  )
  t.match(
    await connector.check({
      ...base,
      settings: { instanceUrl: 'https://x.service-now.com', authKind: 'oauth', clientId: 'id' },
      secrets: {},
    }),
    { ok: false, message: /OAuth needs clientId and clientSecret/ },
  )
  t.match(
    await connector.check({
      ...base,
      settings: { instanceUrl: 'http://x.service-now.com', username: 'u' },
      secrets: { password: 'p' },
    }),
    {
      ok: false,
      message: /does not use https/,
    },
  )
})

test('emulator() starts a seeded instance the connector can check', async (t) => {
  const app = Fastify()
  app.decorate('connectors', new ConnectorRegistry())
  await app.register(serviceNowConnectorPlugin)
  t.teardown(() => app.close())
  const connector = app.connectors.require('servicenow', 'emulator')
  const handle = await connector.emulator?.({ host: '127.0.0.1', port: 0 })
  t.teardown(() => handle?.close())
  t.match(handle?.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
  const result = await connector.check({
    id: 'sandbox',
    name: 'sandbox',
    settings: { ...handle?.connectionSettings, tables: ['cmdb_ci_business_app'] },
    // the connection's own secret: `credentials` are a person's, for signing in by hand
    secrets: { password: String(handle?.connectionSettings.password) },
    logger,
  })
  t.match(result, { ok: true, message: /can read cmdb_ci_business_app/ })
})
