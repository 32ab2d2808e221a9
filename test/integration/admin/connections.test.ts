import { test } from 'tap'
import { toSpec } from '../../../core/mapping/spec.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'

const settings = {
  url: 'https://memo.example.test',
  username: 'integration.user',
  password: 'p4ss-w0rd-connection-secret',
  auth: { clientId: 'client-1', clientSecret: 'client-secret-value-123' },
}

async function hubWithMemo(t: Parameters<typeof buildTestApp>[0]) {
  return buildTestApp(t, { connectors: [memoConnector()] })
}

test('a connection is created, read, updated, checked and deleted; secrets never come back', async (t) => {
  const hub = await hubWithMemo(t)
  const changes: string[] = []
  hub.app.bus.subscribe('connection.changed', (event) => changes.push(event.action))
  const created = await hub.inject({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'memo one', connector: 'memo', settings },
  })
  t.equal(created.statusCode, 201, created.body)
  const body = created.json()
  t.equal(created.headers.location, `/api/v1/connections/${body.id}`)
  t.same(body.settings, {
    url: settings.url,
    username: settings.username,
    auth: { clientId: 'client-1' },
    pageSize: 100,
  })
  t.same(body.secretsSet.sort(), ['auth.clientSecret', 'password'])
  t.notMatch(created.body, /p4ss-w0rd|client-secret-value/)

  const check = await hub.inject({ method: 'POST', url: `/api/v1/connections/${body.id}/check` })
  t.equal(check.statusCode, 200)
  t.match(check.json(), { ok: true, connector: 'memo', message: /reached https:\/\/memo\.example\.test/ })

  const renamed = await hub.inject({
    method: 'PATCH',
    url: `/api/v1/connections/${body.id}`,
    payload: { name: 'memo renamed', settings: { password: 'wrong' } },
  })
  t.equal(renamed.statusCode, 200, renamed.body)
  t.equal(renamed.json().name, 'memo renamed')
  t.same(renamed.json().settings.auth, { clientId: 'client-1' }, 'untouched settings stay')
  const failing = await hub.inject({ method: 'POST', url: `/api/v1/connections/${body.id}/check` })
  t.match(failing.json(), { ok: false, message: /refused/ }, 'the replaced secret is the one used')

  const listed = await hub.inject('/api/v1/connections?connector=memo')
  t.equal(listed.json().total, 1)
  t.notMatch(listed.body, /wrong|client-secret-value/)

  const deleted = await hub.inject({ method: 'DELETE', url: `/api/v1/connections/${body.id}` })
  t.equal(deleted.statusCode, 204)
  const gone = await hub.inject(`/api/v1/connections/${body.id}`)
  t.equal(gone.statusCode, 404)
  t.equal(gone.json().code, 'CW_CONNECTION_NOT_FOUND')
  t.same(changes, ['created', 'updated', 'deleted'], 'every change is published on the bus')
  const { rows } = await hub.db.query<{ n: number }>('select count(*)::int as n from secrets where owner = $1', [
    `connection:${body.id}`,
  ])
  t.equal(rows[0]?.n, 0, "the connection's secrets are removed with it")
})

test('invalid settings are refused with the field named, and nothing is stored', async (t) => {
  const hub = await hubWithMemo(t)
  const res = await hub.inject({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'bad', connector: 'memo', settings: { ...settings, url: 'ftp://nope', pageSize: 0 } },
  })
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'CW_CONNECTION_SETTINGS_INVALID')
  t.match(res.json().message, /url/)
  t.match(res.json().message, /pageSize/)
  const problems = (res.json() as { problems: Array<{ pointer: string }> }).problems.map((p) => p.pointer)
  t.ok(problems.includes('/settings/url') && problems.includes('/settings/pageSize'), 'each problem at its field')
  const missing = await hub.inject({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'bad', connector: 'memo', settings: { url: settings.url, username: 'x' } },
  })
  t.match(missing.json(), { code: 'CW_CONNECTION_SETTINGS_INVALID', message: /password/ })
  const unknown = await hub.inject({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'x', connector: 'nope', settings: {} },
  })
  // the same code and status as GET /connectors/nope
  t.match(unknown.json(), { statusCode: 404, code: 'CW_CONNECTOR_NOT_FOUND' })
  const body = await hub.inject({ method: 'POST', url: '/api/v1/connections', payload: { connector: 'memo' } })
  t.match(body.json(), { statusCode: 400, code: 'CW_VALIDATION', message: /name/ })
  t.equal((await hub.inject('/api/v1/connections')).json().total, 0)
})

test('names are unique', async (t) => {
  const hub = await hubWithMemo(t)
  const payload = { name: 'same', connector: 'memo', settings }
  t.equal((await hub.inject({ method: 'POST', url: '/api/v1/connections', payload })).statusCode, 201)
  const again = await hub.inject({ method: 'POST', url: '/api/v1/connections', payload })
  t.equal(again.statusCode, 409)
  t.equal(again.json().code, 'CW_CONNECTION_NAME_TAKEN')
})

test('connectors are listed with the JSON Schema of their settings', async (t) => {
  const hub = await hubWithMemo(t)
  const res = await hub.inject('/api/v1/connectors/memo')
  t.equal(res.statusCode, 200)
  t.match(res.json(), {
    name: 'memo',
    secretFields: ['password', 'auth.clientSecret'],
    configSchema: { type: 'object' },
  })
  const missing = await hub.inject('/api/v1/connectors/none')
  t.match(missing.json(), { statusCode: 404, code: 'CW_CONNECTOR_NOT_FOUND' })
})

test('state written before a restart is there after it (same store)', async (t) => {
  const first = await hubWithMemo(t)
  await first.inject({
    method: 'POST',
    url: '/api/v1/connections',
    payload: { name: 'kept', connector: 'memo', settings },
  })
  await first.app.close()
  const second = await buildTestApp(t, {
    db: first.db,
    connectors: [memoConnector()],
    config: { masterKey: first.masterKey, adminToken: first.adminToken },
  })
  const listed = await second.inject('/api/v1/connections')
  t.equal(listed.json().items[0]?.name, 'kept')
  const check = await second.inject({ method: 'POST', url: `/api/v1/connections/${listed.json().items[0].id}/check` })
  t.equal(check.json().ok, true, 'secrets open after the restart')
})

test('a connection that a mapping uses is not deleted: 409 CW_CONNECTION_IN_USE naming the mapping', async (t) => {
  const hub = await hubWithMemo(t)
  const create = async (name: string) =>
    (
      await hub.inject({ method: 'POST', url: '/api/v1/connections', payload: { name, connector: 'memo', settings } })
    ).json<{ id: string }>().id
  const source = await create('source')
  const target = await create('target')
  // stored as the repository takes it: the memo connector cannot read or write records
  await hub.hub.mappings.create(
    toSpec({
      name: 'apps to CIs',
      source: { connectionId: source, entity: 'Application' },
      target: { connectionId: target, entity: 'cmdb_ci_business_app' },
      mode: 'conservative',
      enabled: true,
      fields: [],
      relations: [],
    }),
    'test',
  )
  for (const id of [source, target]) {
    const refused = await hub.inject({ method: 'DELETE', url: `/api/v1/connections/${id}` })
    t.equal(refused.statusCode, 409, refused.body)
    t.match(refused.json(), { code: 'CW_CONNECTION_IN_USE', message: /"apps to CIs"/ })
    const still = await hub.inject(`/api/v1/connections/${id}`)
    t.equal(still.statusCode, 200, 'the connection is still there')
    t.same(still.json().secretsSet.sort(), ['auth.clientSecret', 'password'], 'with its secrets')
  }
})
