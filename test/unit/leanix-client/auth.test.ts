// MTM token exchange (docs/reference/leanix.md §1): Basic apitoken:<token>, grant_type=client_credentials,
// JWT cached and renewed single-flight before exp, and once more when a service answers 401.
import { test } from 'tap'
import { LeanixClient } from '../../../connectors/leanix/client/client.ts'
import { decodeClaims } from '../../../connectors/leanix/client/auth.ts'
import { startStub, tokenReply, TECH_USER_ID, WORKSPACE_ID, type StubRequest } from './stub-leanix.ts'

const PROBE = 'query P { allFactSheets(first: 1) { totalCount } }'
const ok = { body: { data: { allFactSheets: { totalCount: 3 } } } }

test('exchanges the API token as LeanIX documents it and sends the JWT as Bearer', async (t) => {
  const stub = await startStub((r) => (r.path === '/services/mtm/v1/oauth2/token' ? tokenReply() : ok))
  t.teardown(() => stub.close())
  const client = new LeanixClient({ instanceUrl: stub.url, apiToken: 's3cret-token' })
  t.teardown(() => client.close())
  await client.graphql.request(PROBE, {})
  const [exchange, call] = stub.requests as [StubRequest, StubRequest]
  t.equal(exchange.method, 'POST')
  t.equal(exchange.headers.authorization, `Basic ${Buffer.from('apitoken:s3cret-token').toString('base64')}`)
  t.equal(exchange.headers['content-type'], 'application/x-www-form-urlencoded')
  t.equal(exchange.body, 'grant_type=client_credentials')
  t.equal(call.path, '/services/pathfinder/v1/graphql')
  t.match(call.headers.authorization, /^Bearer ey/)
  const claims = await client.claims()
  t.equal(claims.userId, TECH_USER_ID)
  t.equal(claims.workspaceId, WORKSPACE_ID)
  t.equal(claims.role, 'ADMIN')
})

test('many concurrent calls share one token exchange', async (t) => {
  const stub = await startStub((r) => (r.path.endsWith('/oauth2/token') ? { ...tokenReply(), delayMs: 30 } : ok))
  t.teardown(() => stub.close())
  const client = new LeanixClient({ instanceUrl: stub.url, apiToken: 'x', burst: 50 })
  t.teardown(() => client.close())
  await Promise.all(Array.from({ length: 20 }, () => client.graphql.request(PROBE, {})))
  t.equal(stub.requests.filter((r) => r.path.endsWith('/oauth2/token')).length, 1)
  t.equal(client.stats.tokenExchanges, 1)
})

test('renews the token before exp, not after', async (t) => {
  let now = Date.now()
  const stub = await startStub((r) =>
    r.path.endsWith('/oauth2/token') ? tokenReply(Math.floor(now / 1000) + 3600) : ok,
  )
  t.teardown(() => stub.close())
  const client = new LeanixClient({ instanceUrl: stub.url, apiToken: 'x', now: () => now })
  t.teardown(() => client.close())
  await client.graphql.request(PROBE, {})
  now += 3000_000 // 50 min: still fresh
  await client.graphql.request(PROBE, {})
  t.equal(client.stats.tokenExchanges, 1)
  now += 550_000 // 59 min 10 s: inside the 60 s renewal margin
  await client.graphql.request(PROBE, {})
  t.equal(client.stats.tokenExchanges, 2)
})

test('a 401 from a service renews the token once and repeats the call', async (t) => {
  let rejectNext = true
  const stub = await startStub((r) => {
    if (r.path.endsWith('/oauth2/token')) return tokenReply()
    if (rejectNext) {
      rejectNext = false
      return { status: 401, body: { message: 'token revoked' } }
    }
    return ok
  })
  t.teardown(() => stub.close())
  const client = new LeanixClient({ instanceUrl: stub.url, apiToken: 'x' })
  t.teardown(() => client.close())
  const data = await client.graphql.request<{ allFactSheets: { totalCount: number } }>(PROBE, {})
  t.equal(data.allFactSheets.totalCount, 3)
  t.equal(client.stats.tokenExchanges, 2)
})

test('a 401 that persists after renewal is reported, not looped on', async (t) => {
  const stub = await startStub((r) => (r.path.endsWith('/oauth2/token') ? tokenReply() : { status: 401, body: {} }))
  t.teardown(() => stub.close())
  const client = new LeanixClient({ instanceUrl: stub.url, apiToken: 'x' })
  t.teardown(() => client.close())
  await t.rejects(client.graphql.request(PROBE, {}), { code: 'CW_LX_AUTH_REJECTED' })
  t.equal(client.stats.tokenExchanges, 2)
})

test('a bad API token is CW_LX_AUTH_REJECTED with what to do', async (t) => {
  const stub = await startStub(() => ({ status: 401, body: { error: 'unauthorized' } }))
  t.teardown(() => stub.close())
  const client = new LeanixClient({ instanceUrl: stub.url, apiToken: 'wrong' })
  t.teardown(() => client.close())
  await t.rejects(client.claims(), { code: 'CW_LX_AUTH_REJECTED', message: /Technical Users/ })
})

test('a token answer without access_token is refused', async (t) => {
  const stub = await startStub(() => ({ body: { scope: '' } }))
  t.teardown(() => stub.close())
  const client = new LeanixClient({ instanceUrl: stub.url, apiToken: 'x' })
  t.teardown(() => client.close())
  await t.rejects(client.claims(), { code: 'CW_LX_AUTH_RESPONSE_INVALID' })
})

test('decodeClaims tolerates tokens that are not JWTs', async (t) => {
  t.same(decodeClaims('opaque'), {})
  t.same(decodeClaims('a.!!!.c'), {})
})
