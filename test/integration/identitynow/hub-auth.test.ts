// In the real hub: IdentityNow API clients get tokens at POST /oauth/token (form or Basic, never
// the query string) that open the IdentityNow-compatible API and nothing else; the hub's own
// tokens work there too. Clients are listed and revoked, and a revoked client's tokens stop at once.
import { test } from 'tap'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'

interface Client {
  clientId: string
  clientSecret: string
}

function form(fields: Record<string, string>) {
  return {
    method: 'POST' as const,
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  }
}

async function tokenOf(hub: TestApp, client: Client): Promise<string> {
  const res = await hub.inject(
    form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
    null,
  )
  return (res.json() as { access_token: string }).access_token
}

async function newClient(hub: TestApp, name: string, role: string): Promise<Client> {
  const res = await hub.inject({ method: 'POST', url: '/api/v1/identitynow/api-clients', payload: { name, role } })
  return res.json() as Client
}

test('API client tokens: SailPoint-shaped, their scopes said, the compatible API only', async (t) => {
  const hub = await buildTestApp(t)
  const created = await hub.inject({
    method: 'POST',
    url: '/api/v1/identitynow/api-clients',
    payload: { name: 'sailpoint-tooling', role: 'viewer' },
  })
  t.equal(created.statusCode, 200)
  t.equal(created.headers['cache-control'], 'no-store')
  t.match(created.json(), { name: 'sailpoint-tooling', role: 'viewer', scopes: ['idn:service-desk-integration:read'] })
  const client = created.json() as Client

  const token = await hub.inject(
    form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
    null,
  )
  t.equal(token.statusCode, 200, 'urlencoded client credentials')
  t.match(token.json(), { token_type: 'bearer', expires_in: 749, scope: 'idn:service-desk-integration:read' })
  const jwt = (token.json() as { access_token: string }).access_token
  t.equal(jwt.split('.').length, 3, 'a JWS, as sailpoint-cli expects')
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
  t.match(claims, {
    user_name: 'sailpoint-tooling',
    client_id: client.clientId,
    org: 'crosswalk',
    pod: 'crosswalk',
    scope: ['idn:service-desk-integration:read'],
  })
  const admin = await newClient(hub, 'automation', 'admin')
  t.match(
    JSON.parse(Buffer.from((await tokenOf(hub, admin)).split('.')[1] ?? '', 'base64url').toString()),
    { scope: ['idn:service-desk-integration:read', 'idn:service-desk-integration:manage'] },
    'an admin client may also manage integrations',
  )

  const bad = await hub.inject(
    form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'wrong' }),
    null,
  )
  t.equal(bad.statusCode, 401)
  t.match(bad.json(), { error: 'invalid_client' })

  // on the compatible API, with the client's role
  const read = await hub.inject({ url: '/v3/service-desk-integrations' }, jwt)
  t.equal(read.statusCode, 200, 'a viewer client reads integrations')
  const write = await hub.inject(
    {
      method: 'POST',
      url: '/v3/service-desk-integrations',
      payload: { name: 'n', description: 'd', type: 'ServiceNowSDIM', attributes: {} },
    },
    jwt,
  )
  t.equal(write.statusCode, 403, 'and does not write them')
  t.match(write.json(), { detailCode: '403 Forbidden' }, "answered in SailPoint's error shape")

  // nowhere else: the admin API, GraphQL (over HTTP and in a WebSocket's connection_init)
  const refusal = { code: 'CW_AUTH_REQUIRED', message: /kind "identitynow-client".*POST \/api\/v1\/tokens/ }
  for (const url of ['/api/v1/identitynow/provisioning', '/api/v1/connections']) {
    const res = await hub.inject({ url }, jwt)
    t.equal(res.statusCode, 401, `${url} refuses an API client's token`)
    t.match(res.json(), refusal)
    t.match(res.headers['www-authenticate'], /error="invalid_token"/)
  }
  const graphql = await hub.inject(
    { method: 'POST', url: '/graphql', payload: { query: '{ connections { total } }' } },
    jwt,
  )
  t.equal(graphql.statusCode, 401, '/graphql refuses it')
  t.match(graphql.json(), { data: null, errors: [{ message: refusal.message, extensions: { code: refusal.code } }] })
  t.equal(await hub.hub.auth.verifyAuthorization(`Bearer ${jwt}`), undefined, 'nor does a subscription take it')
  const adminJwt = await tokenOf(hub, admin)
  const adminOnly = await hub.inject({ url: '/api/v1/tokens' }, adminJwt)
  t.equal(adminOnly.statusCode, 401, "not even an admin client's")

  // the hub's own tokens on the compatible API
  const list = await hub.inject({ url: '/v3/service-desk-integrations' })
  t.equal(list.statusCode, 200, 'the hub admin token lists integrations')
  const viewer = await hub.token('viewer')
  const viewerWrite = await hub.inject(
    {
      method: 'POST',
      url: '/v3/service-desk-integrations',
      payload: { name: 'n', description: 'd', type: 'ServiceNowSDIM', attributes: {} },
    },
    viewer,
  )
  t.equal(viewerWrite.statusCode, 403, 'a hub viewer token cannot write')
  const anonymous = await hub.inject({ url: '/v3/service-desk-integrations' }, null)
  t.equal(anonymous.statusCode, 401)
  t.match(anonymous.json(), { error: /^JWT validation failed: / })
})

test('POST /oauth/token takes form bodies and Basic, refuses credentials in the query string and never logs them', async (t) => {
  const hub = await buildTestApp(t, { logLevel: 'info' })
  const client = await newClient(hub, 'cli', 'viewer')

  const inQuery = await hub.inject(
    {
      method: 'POST',
      url: `/oauth/token?grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}`,
    },
    null,
  )
  t.equal(inQuery.statusCode, 400)
  t.match(inQuery.json(), {
    error: 'invalid_request',
    error_description: /client_id, client_secret must not be sent in the query string.*form body.*Basic/,
  })
  const secretOnly = await hub.inject(
    { ...form({ grant_type: 'client_credentials', client_id: client.clientId }), url: `/oauth/token?client_secret=x` },
    null,
  )
  t.equal(secretOnly.statusCode, 400, 'a secret in the query is refused even with the rest in the body')
  t.ok(
    hub.logLines.some((line) => line.includes('/oauth/token?')),
    'the request was logged',
  )
  t.notOk(
    hub.logLines.some((line) => line.includes(client.clientSecret)),
    'the secret is in no log line: query values are redacted',
  )
  t.ok(
    hub.logLines.some((line) => line.includes('client_secret=[redacted]')),
    'the names are kept',
  )

  // grant_type in the query with the credentials in the body: what sailpoint-cli sends
  const cli = await hub.inject(
    {
      ...form({ client_id: client.clientId, client_secret: client.clientSecret }),
      url: '/oauth/token?grant_type=client_credentials',
    },
    null,
  )
  t.equal(cli.statusCode, 200, 'grant_type may come in the query')

  const basic = await hub.inject(
    {
      ...form({ grant_type: 'client_credentials' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      },
    },
    null,
  )
  t.equal(basic.statusCode, 200, 'HTTP Basic')
  const unreadable = await hub.inject(
    {
      ...form({ grant_type: 'client_credentials' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic JSUl' },
    },
    null,
  )
  t.equal(unreadable.statusCode, 400, 'an undecodable Basic header is a bad request, not a 500')
  t.match(unreadable.json(), { error: 'invalid_request' })

  // multipart, as sailpoint-api-client sends it
  const boundary = 'cwboundary'
  const multipart = [
    ['grant_type', 'client_credentials'],
    ['client_id', client.clientId],
    ['client_secret', client.clientSecret],
  ]
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('')
  const multi = await hub.inject(
    {
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `${multipart}--${boundary}--\r\n`,
    },
    null,
  )
  t.equal(multi.statusCode, 200, 'multipart client credentials')
})

test('API clients are listed without secrets and revoked; a revoked client stops at once', async (t) => {
  const hub = await buildTestApp(t)
  const kept = await newClient(hub, 'kept', 'viewer')
  const gone = await newClient(hub, 'gone', 'admin')
  const jwt = await tokenOf(hub, gone)
  t.equal((await hub.inject({ url: '/v3/service-desk-integrations' }, jwt)).statusCode, 200)

  const listed = await hub.inject({ url: '/api/v1/identitynow/api-clients' })
  t.equal(listed.statusCode, 200)
  t.match(listed.json(), {
    total: 2,
    items: [
      { clientId: kept.clientId, name: 'kept', role: 'viewer', revokedAt: null },
      {
        clientId: gone.clientId,
        name: 'gone',
        role: 'admin',
        scopes: ['idn:service-desk-integration:read', 'idn:service-desk-integration:manage'],
      },
    ],
  })
  t.notOk(listed.body.includes(gone.clientSecret) || listed.body.includes('secret'), 'no secret, not even its hash')
  const byViewer = await hub.inject({ url: '/api/v1/identitynow/api-clients' }, await hub.token('viewer'))
  t.equal(byViewer.statusCode, 403, 'an admin lists them')

  const revoked = await hub.inject({ method: 'DELETE', url: `/api/v1/identitynow/api-clients/${gone.clientId}` })
  t.equal(revoked.statusCode, 200)
  t.match(revoked.json(), { clientId: gone.clientId, revokedAt: /^\d{4}-\d\d-\d\dT/ })
  const refused = await hub.inject({ url: '/v3/service-desk-integrations' }, jwt)
  t.equal(refused.statusCode, 401, 'the token it already holds stops working')
  t.match(refused.json(), { error: /^JWT validation failed: / })
  const noNewToken = await hub.inject(
    form({ grant_type: 'client_credentials', client_id: gone.clientId, client_secret: gone.clientSecret }),
    null,
  )
  t.equal(noNewToken.statusCode, 401, 'and it gets no new one')

  const active = await hub.inject({ url: '/api/v1/identitynow/api-clients' })
  t.same(
    (active.json() as { items: Client[] }).items.map((c) => c.clientId),
    [kept.clientId],
    'revoked clients are left out by default',
  )
  const all = await hub.inject({ url: '/api/v1/identitynow/api-clients?includeRevoked=true' })
  t.equal((all.json() as { total: number }).total, 2, 'and listed on request')

  const unknown = await hub.inject({ method: 'DELETE', url: '/api/v1/identitynow/api-clients/nope' })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.json(), { code: 'CW_IDN_API_CLIENT_NOT_FOUND' })
})
