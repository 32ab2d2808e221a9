// Discover and preview (issue 12): a viewer sees what a connection holds (ServiceNow tables,
// LeanIX fact sheet types, with their fields as the connector discovers them) and a few records
// of one, against the emulators. Credentials never appear: a password-typed field, a field whose
// name marks a secret, and whatever a connector sends back without being asked are left out.
import t from 'tap'
import { Type } from 'typebox'
import { syncHarness } from '../../helpers/sync-harness.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'
import type { Connector } from '../../../core/connector/contract.ts'

t.setTimeout(300_000)

interface EntityAnswer {
  name: string
  fields: Array<{ name: string; type: string; secret?: boolean }>
}
interface PreviewAnswer {
  entity: string
  fields: string[]
  redacted: string[]
  items: Array<Record<string, unknown> & { id: string }>
}

const h = await syncHarness(t)
const viewer = await h.hub.token('viewer')
const sn = `/api/v1/connections/${h.snConnectionId}`
const lx = `/api/v1/connections/${h.lxConnectionId}`

// before anything discovers the table (discoveries are cached): a column whose type holds a
// credential and one whose name says it does, both holding values on one application
h.sn.instance.data.schema.addField('cmdb_ci_business_app', { name: 'u_vault_blob', label: 'Blob', type: 'password' })
h.sn.instance.data.schema.addField('cmdb_ci_business_app', { name: 'u_api_token', label: 'API', type: 'string' })
const [app] = await h.snRows('cmdb_ci_business_app', 'ORDERBYsys_id', ['sys_id', 'name'])
await h.snUpdate('cmdb_ci_business_app', app!.sys_id!, {
  u_vault_blob: 'hunter2-in-a-password-field',
  u_api_token: 'tok_live_4f1c2b9e',
})

t.test('a viewer lists the entities of both connections, with their fields', async (t) => {
  const snList = await h.hub.inject(`${sn}/entities`, viewer)
  t.equal(snList.statusCode, 200, snList.body)
  const tables = snList.json<{ items: EntityAnswer[]; total: number }>()
  t.equal(tables.total, tables.items.length)
  const apps = tables.items.find((e) => e.name === 'cmdb_ci_business_app')
  t.ok(apps, 'the CSDM tables are listed')
  t.match(
    apps?.fields.find((f) => f.name === 'correlation_id'),
    { type: 'string' },
    'with the fields sys_dictionary gives',
  )
  t.match(
    apps?.fields.find((f) => f.name === 'u_vault_blob'),
    { secret: true },
    'a password type is secret',
  )
  t.match(
    apps?.fields.find((f) => f.name === 'u_api_token'),
    { secret: true },
    'so is a name that says token',
  )
  t.notOk(apps?.fields.find((f) => f.name === 'name')?.secret, 'and nothing else')

  const lxList = await h.hub.inject(`${lx}/entities`, viewer)
  t.equal(lxList.statusCode, 200, lxList.body)
  const types = lxList.json<{ items: EntityAnswer[] }>().items
  const application = types.find((e) => e.name === 'Application')
  t.ok(application, 'the fact sheet types of the data model are listed')
  t.ok(
    application?.fields.some((f) => f.type === 'relation'),
    'with their relations',
  )
})

t.test('any table the user can see is described, listed or not; sys_user says its password is secret', async (t) => {
  const res = await h.hub.inject(`${sn}/entities/sys_user`, viewer)
  t.equal(res.statusCode, 200, res.body)
  const users = res.json<EntityAnswer>()
  t.match(
    users.fields.find((f) => f.name === 'user_password'),
    { secret: true },
  )
})

t.test('a preview of sys_user never shows a password', async (t) => {
  const stored = await h.snRows('sys_user', '', ['sys_id', 'user_password'])
  const hashes = stored.map((row) => row.user_password).filter((v): v is string => typeof v === 'string' && v !== '')
  t.ok(hashes.length > 0, 'the emulator holds password values to leak')
  const res = await h.hub.inject(`${sn}/entities/sys_user/records?limit=20`, viewer)
  t.equal(res.statusCode, 200, res.body)
  const preview = res.json<PreviewAnswer>()
  t.equal(preview.items.length, Math.min(20, stored.length), 'as many users as asked for')
  t.ok(
    preview.items.every((u) => typeof u.user_name === 'string'),
    'their plain fields are shown',
  )
  t.ok(preview.redacted.includes('user_password'), 'the password field is listed as withheld')
  t.notOk(preview.fields.includes('user_password'), 'and is not among the fields shown')
  t.notOk(
    preview.items.some((u) => 'user_password' in u),
    'no record carries it',
  )
  for (const hash of hashes) t.notOk(res.body.includes(hash), 'no stored password value is in the answer')
})

t.test('fields marked secret by type or by name are left out of a preview', async (t) => {
  const res = await h.hub.inject(
    `${sn}/entities/cmdb_ci_business_app/records?filter=${encodeURIComponent(`sys_id=${app!.sys_id}`)}`,
    viewer,
  )
  t.equal(res.statusCode, 200, res.body)
  const preview = res.json<PreviewAnswer>()
  t.match(preview.items, [{ id: app!.sys_id, sys_id: app!.sys_id, name: app!.name }], 'the filtered record')
  t.same(preview.redacted.sort(), ['u_api_token', 'u_vault_blob'])
  t.notOk(res.body.includes('u_vault_blob":'), 'the password-typed field is not in any record')
  t.notOk(res.body.includes('hunter2'), 'nor its value')
  t.notOk(res.body.includes('tok_live_4f1c2b9e'), 'nor the value of the field named like a token')
})

t.test('a preview is bounded: 5 records by default, 20 at most', async (t) => {
  const byDefault = await h.hub.inject(`${sn}/entities/cmdb_ci_business_app/records`, viewer)
  t.equal(byDefault.statusCode, 200, byDefault.body)
  t.equal(byDefault.json<PreviewAnswer>().items.length, 5)
  const tooMany = await h.hub.inject(`${sn}/entities/cmdb_ci_business_app/records?limit=21`, viewer)
  t.equal(tooMany.statusCode, 400)
  t.match(tooMany.json(), { code: 'CW_VALIDATION', message: /limit/ })
})

t.test('LeanIX: a preview filtered in its own language, relations not read', async (t) => {
  const [sheet] = await h.lxFactSheets('Application')
  const filter = JSON.stringify({ ids: [sheet!.id] })
  const res = await h.hub.inject(
    `${lx}/entities/Application/records?limit=3&filter=${encodeURIComponent(filter)}`,
    viewer,
  )
  t.equal(res.statusCode, 200, res.body)
  const preview = res.json<PreviewAnswer>()
  t.match(preview.items, [{ id: sheet!.id, name: sheet!.name, type: 'Application' }])
  t.equal(preview.items.length, 1)
  const described = (await h.hub.inject(`${lx}/entities/Application`, viewer)).json<EntityAnswer>()
  const relations = described.fields.filter((f) => f.type === 'relation').map((f) => f.name)
  t.ok(relations.length > 0, 'Application has relations')
  t.same(
    relations.filter((r) => preview.fields.includes(r) || r in preview.items[0]!),
    [],
    'none of them is read',
  )
  const unfiltered = await h.hub.inject(`${lx}/entities/Application/records?limit=3`, viewer)
  t.equal(unfiltered.json<PreviewAnswer>().items.length, 3)
})

t.test('what to fix: unknown connection, unknown entity, a filter the system cannot read', async (t) => {
  const noConnection = await h.hub.inject(
    '/api/v1/connections/00000000-0000-4000-8000-000000000000/entities/sys_user/records',
    viewer,
  )
  t.equal(noConnection.statusCode, 404)
  t.match(noConnection.json(), { code: 'CW_CONNECTION_NOT_FOUND', message: /GET \/api\/v1\/connections/ })

  for (const [base, entity] of [
    [sn, 'u_no_such_table'],
    [lx, 'NoSuchType'],
  ] as const) {
    for (const path of [`${base}/entities/${entity}`, `${base}/entities/${entity}/records`]) {
      const res = await h.hub.inject(path, viewer)
      t.equal(res.statusCode, 404, path)
      t.match(res.json(), {
        code: 'CW_CONNECTION_ENTITY_NOT_FOUND',
        message: new RegExp(`no entity "${entity}".*GET ${base.replaceAll('/', '\\/')}/entities lists`),
      })
    }
  }

  const badQuery = await h.hub.inject(
    `${sn}/entities/cmdb_ci_business_app/records?filter=${encodeURIComponent('nameSAMEAS')}`,
    viewer,
  )
  t.equal(badQuery.statusCode, 400, badQuery.body)
  t.match(badQuery.json(), { code: 'CW_CONNECTION_FILTER_INVALID', message: /servicenow/ })
  const badJson = await h.hub.inject(`${lx}/entities/Application/records?filter=${encodeURIComponent('{oops')}`, viewer)
  t.equal(badJson.statusCode, 400, badJson.body)
  t.match(badJson.json(), { code: 'CW_CONNECTION_FILTER_INVALID', message: /leanix/ })
})

t.test('a system that refuses the connection is answered in its words, with what to do', async (t) => {
  const broken = await h.hub.app.connections.create({
    name: 'servicenow, wrong password',
    connector: 'servicenow',
    settings: {
      instanceUrl: h.sn.url,
      allowHttp: true,
      authKind: 'basic',
      username: 'admin',
      password: 'not-the-password-42',
    },
  })
  const res = await h.hub.inject(`/api/v1/connections/${broken.id}/entities`, viewer)
  t.equal(res.statusCode, 424, res.body)
  t.match(res.json(), {
    code: 'CW_CONNECTION_SYSTEM_FAILED',
    message: new RegExp(`CW_SN_AUTH_FAILED.*POST /api/v1/connections/${broken.id}/check`),
  })
  t.notOk(res.body.includes('not-the-password-42'), 'the password given is not repeated')
})

t.test('a connector that sends credentials anyway has them dropped, nested ones too', async (t) => {
  const leaky: Connector = {
    name: 'leaky',
    title: 'Sends more than it is asked for',
    version: '1.0.0',
    configSchema: Type.Object({}),
    secretFields: [],
    capabilities: ['discover', 'read'],
    async check() {
      return { ok: true, message: 'fine' }
    },
    async discover() {
      return [
        {
          name: 'accounts',
          fields: [
            { name: 'login', type: 'string' },
            { name: 'settings', type: 'json' },
            { name: 'homepage', type: 'string' },
            { name: 'pin', type: 'string', secret: true },
            { name: 'client_secret', type: 'string' },
          ],
        },
      ]
    },
    async *read() {
      yield {
        records: [
          {
            id: 'a1',
            login: 'ada',
            settings: { theme: 'dark', apiKey: 'nested-key-1', inner: [{ password: 'nested-pw-2' }] },
            homepage: 'https://ada:url-pw-3@example.com/home',
            pin: '4711-pin',
            client_secret: 'cs-5',
            undeclared_column: 'not-described-6',
          },
        ],
        cursor: null,
      }
    },
  }
  const hub = await buildTestApp(t, { connectors: [leaky, memoConnector()] })
  const conn = await hub.app.connections.create({ name: 'leaky', connector: 'leaky', settings: {} })
  const res = await hub.inject(`/api/v1/connections/${conn.id}/entities/accounts/records`, await hub.token('viewer'))
  t.equal(res.statusCode, 200, res.body)
  const preview = res.json<PreviewAnswer>()
  t.same(preview.fields, ['login', 'settings', 'homepage'])
  t.same(preview.redacted, ['pin', 'client_secret'])
  t.same(preview.items, [
    {
      id: 'a1',
      login: 'ada',
      settings: { theme: 'dark', apiKey: '[redacted]', inner: [{ password: '[redacted]' }] },
      homepage: 'https://[redacted]@example.com/home',
    },
  ])
  for (const leaked of ['nested-key-1', 'nested-pw-2', 'url-pw-3', '4711-pin', 'cs-5', 'not-described-6'])
    t.notOk(res.body.includes(leaked), `${leaked} is not in the answer`)

  // a connector that cannot discover says so
  const memo = await hub.app.connections.create({
    name: 'memo',
    connector: 'memo',
    settings: { url: 'https://memo.example', username: 'u', password: 'p' },
  })
  const cannot = await hub.inject(`/api/v1/connections/${memo.id}/entities`)
  t.equal(cannot.statusCode, 400)
  t.match(cannot.json(), { code: 'CW_CONNECTOR_CAPABILITY', message: /memo.*discover/ })
})
