// Secrets stay with what they were given for, and a connection write is whole or nothing:
// - a change of origin of a URL setting drops the stored secrets unless the same request sends
//   them again, says so, and the old password never reaches the new host;
// - URLs never carry credentials;
// - the row, its secrets and its audit entry commit together; a refused change is audited as
//   refused, and audit summaries hide what the connector's schema marks secret.
import { test } from 'tap'
import { Type } from 'typebox'
import type { Connector } from '../../../core/connector/contract.ts'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'
import { json, startStub, type Stub } from '../../unit/servicenow-client/stub-server.ts'

const PASSWORD = 'Orig1n-B0und-Passw0rd'

/** A ServiceNow instance stand-in that answers every Table API read with no rows. */
async function instance(t: { teardown(fn: () => unknown): void }): Promise<Stub> {
  const stub = await startStub((_req, res) => json(res, 200, { result: [] }))
  t.teardown(() => stub.close())
  return stub
}

function carriesPassword(stub: Stub): boolean {
  const basic = Buffer.from(`integration:${PASSWORD}`).toString('base64')
  return stub.requests.some((r) => JSON.stringify(r.headers).includes(basic) || r.body.includes(PASSWORD))
}

function create(hub: TestApp, name: string, connector: string, settings: Record<string, unknown>) {
  return hub.inject({ method: 'POST', url: '/api/v1/connections', payload: { name, connector, settings } })
}

function patch(hub: TestApp, id: string, settings: Record<string, unknown>) {
  return hub.inject({ method: 'PATCH', url: `/api/v1/connections/${id}`, payload: { settings } })
}

async function auditOf(hub: TestApp) {
  const page = await hub.inject('/api/v1/audit?limit=100')
  return page.json<{
    items: Array<{ action: string; outcome: string; errorCode: string | null; summary: Record<string, unknown> }>
  }>().items
}

test('patching instanceUrl to another host drops the password; the new host never receives it', async (t) => {
  const hub = await buildTestApp(t)
  const original = await instance(t)
  const other = await instance(t)
  const created = await create(hub, 'sn', 'servicenow', {
    instanceUrl: original.url,
    allowHttp: true,
    username: 'integration',
    password: PASSWORD,
  })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json<{ id: string }>().id
  await hub.inject({ method: 'POST', url: `/api/v1/connections/${id}/check` })
  t.ok(carriesPassword(original), 'the check sends the password to the host it was given for')

  const moved = await patch(hub, id, { instanceUrl: `${other.url}/some/path` })
  t.equal(moved.statusCode, 200, moved.body)
  t.same(moved.json().secretsDropped, ['password'], 'the answer says which secrets were dropped')
  t.same(moved.json().secretsSet, [], 'no secret is left to follow the URL')
  t.equal(await hub.hub.vault.get(`connection:${id}`, 'password'), undefined, 'the vault no longer holds it')
  const check = await hub.inject({ method: 'POST', url: `/api/v1/connections/${id}/check` })
  t.equal(check.statusCode, 200)
  t.equal(check.json().ok, false, check.body)
  t.notOk(carriesPassword(other), 'the old password never reaches the new host')

  const audit = await auditOf(hub)
  t.match(
    audit.find((e) => e.action === 'PATCH /api/v1/connections/:id'),
    {
      outcome: 'applied',
      summary: { droppedOnOriginChange: ['password'] },
    },
  )

  // moving back with the password sent again keeps it; a path change on the same origin keeps it
  const back = await patch(hub, id, { instanceUrl: original.url, password: PASSWORD })
  t.equal(back.json().secretsDropped, undefined)
  t.same(back.json().secretsSet, ['password'])
  const samePlace = await patch(hub, id, { instanceUrl: `${original.url}/` })
  t.same(samePlace.json().secretsSet, ['password'], 'same scheme, host and port: the secret stays')

  // a proxy added is a new place the requests go through
  const proxied = await patch(hub, id, { proxyUrl: 'http://127.0.0.1:3128' })
  t.same(proxied.json().secretsDropped, ['password'])
})

test('a required secret dropped by a move is asked for by name, and nothing changes', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const created = await create(hub, 'm', 'memo', { url: 'https://a.example', username: 'u', password: 'p1' })
  const id = created.json<{ id: string }>().id
  const moved = await patch(hub, id, { url: 'https://b.example' })
  t.equal(moved.statusCode, 400, moved.body)
  t.match(moved.json(), {
    code: 'CW_CONNECTION_SECRETS_NEEDED',
    message: /url \(https:\/\/a\.example -> https:\/\/b\.example\).*password/,
  })
  const after = await hub.inject(`/api/v1/connections/${id}`)
  t.match(after.json(), { settings: { url: 'https://a.example' }, secretsSet: ['password'] })
  t.equal(await hub.hub.vault.get(`connection:${id}`, 'password'), 'p1')
})

test('credentials in a URL setting are refused with a code that points to the secret fields', async (t) => {
  const hub = await buildTestApp(t)
  const withUserinfo = await create(hub, 'sn', 'servicenow', {
    instanceUrl: 'https://admin:hunter2@acme.service-now.com',
    username: 'u',
    password: 'p',
  })
  t.equal(withUserinfo.statusCode, 400)
  t.match(withUserinfo.json(), { code: 'CW_URL_CREDENTIALS', message: /instanceUrl.*secret field \(password/ })
  t.notMatch(withUserinfo.body, /hunter2/)
  const created = await create(hub, 'sn', 'servicenow', {
    instanceUrl: 'https://acme.service-now.com',
    username: 'u',
    password: 'p',
  })
  const proxy = await hub.inject({
    method: 'PATCH',
    url: `/api/v1/connections/${created.json<{ id: string }>().id}`,
    payload: { settings: { proxyUrl: 'http://squid:proxypass@proxy.example:3128' } },
  })
  t.match(proxy.json(), { statusCode: 400, code: 'CW_URL_CREDENTIALS', message: /proxyUrl/ })
  const audit = JSON.stringify(await auditOf(hub))
  t.notMatch(audit, /hunter2|proxypass/, 'nor does the audit log keep them')
})

test('a connection whose secret the vault refuses is not created; a patch failing on its secret changes nothing', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const huge = 'x'.repeat(70 * 1024)
  const settings = { url: 'https://a.example', username: 'u', password: huge }
  const refused = await create(hub, 'atomic', 'memo', settings)
  t.equal(refused.statusCode, 400, refused.body)
  t.equal(refused.json().code, 'CW_VAULT_SECRET_INVALID')
  t.equal((await hub.inject('/api/v1/connections')).json().total, 0, 'no connection was left behind')
  const retried = await create(hub, 'atomic', 'memo', { ...settings, password: 'fine' })
  t.equal(retried.statusCode, 201, 'a retry is not answered 409')
  const id = retried.json<{ id: string }>().id

  const partial = await patch(hub, id, { username: 'changed', password: huge })
  t.equal(partial.statusCode, 400)
  const after = await hub.inject(`/api/v1/connections/${id}`)
  t.equal(after.json().settings.username, 'u', 'the rest of the patch was not applied')
  t.equal(await hub.hub.vault.get(`connection:${id}`, 'password'), 'fine')

  const audit = await auditOf(hub)
  const refusals = audit.filter((e) => e.outcome === 'refused')
  t.same(
    refusals.map((e) => [e.action, e.errorCode]).sort(),
    [
      ['PATCH /api/v1/connections/:id', 'CW_VAULT_SECRET_INVALID'],
      ['POST /api/v1/connections', 'CW_VAULT_SECRET_INVALID'],
    ],
    'both refusals are audited as refused, with their code',
  )
  t.equal(audit.filter((e) => e.outcome === 'applied').length, 1, 'one applied change: the retry')
  t.notMatch(JSON.stringify(audit), /xxxxxxxxxx/, 'redacted')

  const viewer = await hub.token('viewer')
  await hub.inject({ method: 'DELETE', url: `/api/v1/connections/${id}` }, viewer)
  t.match((await auditOf(hub))[0], {
    action: 'DELETE /api/v1/connections/:id',
    outcome: 'refused',
    errorCode: 'CW_AUTH_FORBIDDEN',
  })
})

test('audit summaries hide what the schema marks secret, whatever its name', async (t) => {
  const pinConnector: Connector = {
    ...memoConnector('pinned'),
    configSchema: Type.Object({
      url: Type.String({ format: 'uri' }),
      pin: Type.String({ secret: true, description: 'a secret whose name does not look like one' }),
      nested: Type.Optional(Type.Object({ dsn: Type.String({ secret: true }) })),
    }),
    secretFields: [],
    async check() {
      return { ok: true, message: 'ok' }
    },
  }
  const hub = await buildTestApp(t, { connectors: [pinConnector] })
  const created = await create(hub, 'p', 'pinned', {
    url: 'https://a.example',
    pin: '73914',
    nested: { dsn: 'dsn-value-1' },
  })
  t.equal(created.statusCode, 201, created.body)
  t.same(created.json().secretsSet.sort(), ['nested.dsn', 'pin'], 'sealed because the schema says so')
  t.notMatch(created.body, /73914|dsn-value-1/)
  await hub.inject({
    method: 'POST',
    url: '/graphql',
    payload: {
      query: 'mutation U($id: ID!, $s: JSON) { updateConnection(id: $id, patch: { settings: $s }) { id } }',
      variables: { id: created.json().id, s: { pin: '55501' } },
    },
  })
  const audit = JSON.stringify(await auditOf(hub))
  t.match(audit, /\[redacted\]/)
  t.notMatch(audit, /73914|dsn-value-1|55501/, 'no secret value in the audit log, REST or GraphQL')
})

test('concurrent patches each apply to the connection as the previous one left it', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const created = await create(hub, 'concurrent', 'memo', {
    url: 'https://a.example',
    username: 'u',
    password: PASSWORD,
  })
  const id = created.json<{ id: string }>().id
  const answers = await Promise.all([
    patch(hub, id, { url: 'https://b.example', password: 'sent-with-the-move' }),
    patch(hub, id, { username: 'u2' }),
    patch(hub, id, { pageSize: 7 }),
  ])
  for (const answer of answers) t.equal(answer.statusCode, 200, answer.body)
  const after = await hub.inject(`/api/v1/connections/${id}`)
  t.match(after.json().settings, { url: 'https://b.example', username: 'u2', pageSize: 7 })
  t.equal(await hub.hub.vault.get(`connection:${id}`, 'password'), 'sent-with-the-move')
})
