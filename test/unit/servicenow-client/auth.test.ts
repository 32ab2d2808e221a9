// Authentication contract: Basic, and OAuth at /oauth_token.do (form-encoded password,
// client_credentials and refresh_token grants), single-flight renewal before expiry and once on 401.
import { test } from 'tap'
import { ServiceNowClient } from '../../../connectors/servicenow/client/client.ts'
import type { AuthOptions } from '../../../connectors/servicenow/client/options.ts'
import { FAST_BACKOFF, json, snError, startStub } from './stub-server.ts'
import type { StubHandler, StubRequest, Teardown } from './stub-server.ts'

const RECORD = { sys_id: 'a'.repeat(32) }
const OAUTH = { kind: 'oauth', clientId: 'cid', clientSecret: 'csecret' } as const

async function setup(t: Teardown, auth: AuthOptions, handler: StubHandler, clock?: () => number) {
  const stub = await startStub(handler)
  const client = new ServiceNowClient({
    instanceUrl: stub.url,
    allowHttp: true,
    auth,
    backoff: FAST_BACKOFF,
    sleep: async () => {},
    ...(clock ? { clock } : {}),
  })
  t.teardown(async () => {
    await client.close()
    await stub.close()
  })
  const tokenCalls = () => stub.requests.filter((r) => r.url.pathname === '/oauth_token.do')
  const apiCalls = () => stub.requests.filter((r) => r.url.pathname !== '/oauth_token.do')
  return { stub, client, tokenCalls, apiCalls }
}

/** An instance issuing tokens tok-1, tok-2, ... and accepting only the newest one. */
function oauthInstance(
  options: { expiresIn?: number; refresh?: boolean } = {},
): StubHandler & { current: () => string } {
  let issued = 0
  const handler = ((req: StubRequest, res) => {
    if (req.url.pathname === '/oauth_token.do') {
      issued++
      return json(res, 200, {
        access_token: `tok-${issued}`,
        ...(options.refresh === false ? {} : { refresh_token: `ref-${issued}` }),
        scope: 'useraccount',
        token_type: 'Bearer',
        expires_in: options.expiresIn ?? 1799,
      })
    }
    if (req.headers.authorization !== `Bearer tok-${issued}`) {
      return snError(res, 401, 'User Not Authenticated', 'Required to provide Auth information')
    }
    json(res, 200, { result: RECORD })
  }) as StubHandler & { current: () => string }
  handler.current = () => `tok-${issued}`
  return handler
}

test('Basic auth sends user:password in base64', async (t) => {
  const { client, stub } = await setup(t, { kind: 'basic', username: 'integration', password: 'pä:ss' }, (_q, res) =>
    json(res, 200, { result: RECORD }),
  )
  await client.getRecord('incident', RECORD.sys_id)
  t.equal(stub.requests[0]?.headers.authorization, `Basic ${Buffer.from('integration:pä:ss').toString('base64')}`)
})

test('Basic auth rejected: CW_SN_AUTH_FAILED with ServiceNow message, one request', async (t) => {
  const { client, stub } = await setup(t, { kind: 'basic', username: 'u', password: 'bad' }, (_q, res) =>
    snError(res, 401, 'User Not Authenticated', 'Required to provide Auth information'),
  )
  const error = await client.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)
  t.match(error, {
    code: 'CW_SN_AUTH_FAILED',
    snMessage: 'User Not Authenticated',
    snDetail: 'Required to provide Auth information',
  })
  t.equal(stub.requests.length, 1)
})

test('password grant: form-encoded POST to /oauth_token.do, then Bearer', async (t) => {
  const { client, tokenCalls, apiCalls } = await setup(
    t,
    { ...OAUTH, grant: 'password', username: 'svc', password: 's&cret=' },
    oauthInstance(),
  )
  await client.getRecord('incident', RECORD.sys_id)
  const [token] = tokenCalls()
  t.equal(token?.method, 'POST')
  t.equal(token?.headers['content-type'], 'application/x-www-form-urlencoded')
  t.same(Object.fromEntries(new URLSearchParams(token?.body)), {
    grant_type: 'password',
    client_id: 'cid',
    client_secret: 'csecret',
    username: 'svc',
    password: 's&cret=',
  })
  t.equal(apiCalls()[0]?.headers.authorization, 'Bearer tok-1')
})

test('parallel requests share one token request (single flight)', async (t) => {
  const { client, tokenCalls, apiCalls } = await setup(t, { ...OAUTH, grant: 'client_credentials' }, oauthInstance())
  await Promise.all(Array.from({ length: 10 }, () => client.getRecord('incident', RECORD.sys_id)))
  t.equal(tokenCalls().length, 1)
  t.equal(apiCalls().length, 10)
  t.same(Object.fromEntries(new URLSearchParams(tokenCalls()[0]?.body)), {
    grant_type: 'client_credentials',
    client_id: 'cid',
    client_secret: 'csecret',
  })
})

test('the token is renewed with the refresh token a minute before it expires', async (t) => {
  let now = 1_000_000
  const { client, tokenCalls, apiCalls } = await setup(
    t,
    { ...OAUTH, grant: 'password', username: 'svc', password: 'pw' },
    oauthInstance({ expiresIn: 1800 }),
    () => now,
  )
  await client.getRecord('incident', RECORD.sys_id)
  now += 1_739_000 // 61 s before expiry: still good
  await client.getRecord('incident', RECORD.sys_id)
  t.equal(tokenCalls().length, 1)
  now += 2_000 // 59 s before expiry: renew first
  await client.getRecord('incident', RECORD.sys_id)
  t.equal(tokenCalls().length, 2)
  t.same(Object.fromEntries(new URLSearchParams(tokenCalls()[1]?.body)), {
    grant_type: 'refresh_token',
    client_id: 'cid',
    client_secret: 'csecret',
    refresh_token: 'ref-1',
  })
  t.equal(apiCalls()[2]?.headers.authorization, 'Bearer tok-2')
})

test('a 401 on a token ServiceNow had accepted renews once and replays', async (t) => {
  const instance = oauthInstance({ refresh: false })
  let revoked = false
  const { client, tokenCalls, apiCalls } = await setup(t, { ...OAUTH, grant: 'client_credentials' }, (req, res) => {
    if (req.url.pathname !== '/oauth_token.do' && !revoked && req.headers.authorization === 'Bearer tok-1') {
      revoked = true
      return snError(res, 401, 'User Not Authenticated', 'Required to provide Auth information')
    }
    return instance(req, res)
  })
  const record = await client.getRecord('incident', RECORD.sys_id)
  t.equal(record?.sys_id, RECORD.sys_id)
  t.equal(tokenCalls().length, 2)
  t.same(
    apiCalls().map((r) => r.headers.authorization),
    ['Bearer tok-1', 'Bearer tok-2'],
  )
})

test('a second 401 after the renewal fails with CW_SN_AUTH_FAILED (no loop)', async (t) => {
  const { client, tokenCalls, apiCalls } = await setup(t, { ...OAUTH, grant: 'client_credentials' }, (req, res) => {
    if (req.url.pathname === '/oauth_token.do') return json(res, 200, { access_token: 'x', expires_in: 1799 })
    snError(res, 401, 'User Not Authenticated', 'Required to provide Auth information')
  })
  const error = await client.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)
  t.match(error, { code: 'CW_SN_AUTH_FAILED' })
  t.equal(tokenCalls().length, 2)
  t.equal(apiCalls().length, 2)
})

test('token endpoint refusal: CW_SN_OAUTH_FAILED says what to check', async (t) => {
  const { client, apiCalls } = await setup(t, { ...OAUTH, grant: 'client_credentials' }, (req, res) => {
    if (req.url.pathname === '/oauth_token.do') {
      return json(res, 401, { error_description: 'access_denied', error: 'server_error' })
    }
    json(res, 200, { result: RECORD })
  })
  const error = await client.getRecord('incident', RECORD.sys_id).catch((e: unknown) => e)
  t.match(error, {
    code: 'CW_SN_OAUTH_FAILED',
    httpStatus: 401,
    message: /client_credentials.*server_error: access_denied.*grant_type\.enabled/,
  })
  t.equal(apiCalls().length, 0)
})

test('refresh_token grant uses the configured refresh token', async (t) => {
  const { client, tokenCalls } = await setup(
    t,
    { ...OAUTH, grant: 'refresh_token', refreshToken: 'given' },
    oauthInstance(),
  )
  await client.getRecord('incident', RECORD.sys_id)
  t.match(Object.fromEntries(new URLSearchParams(tokenCalls()[0]?.body)), {
    grant_type: 'refresh_token',
    refresh_token: 'given',
  })
})

test('password grant starts over when its refresh token is refused', async (t) => {
  let now = 0
  const instance = oauthInstance({ expiresIn: 100 })
  const { client, tokenCalls } = await setup(
    t,
    { ...OAUTH, grant: 'password', username: 'svc', password: 'pw' },
    (req, res) => {
      if (req.url.pathname === '/oauth_token.do' && req.body.includes('grant_type=refresh_token')) {
        return json(res, 401, { error_description: 'access_denied', error: 'server_error' })
      }
      return instance(req, res)
    },
    () => now,
  )
  await client.getRecord('incident', RECORD.sys_id)
  now += 100_000
  await client.getRecord('incident', RECORD.sys_id)
  t.same(
    tokenCalls().map((r) => new URLSearchParams(r.body).get('grant_type')),
    ['password', 'refresh_token', 'password'],
  )
})

test('refused OAuth credentials end a read after one token request', async (t) => {
  const { client, tokenCalls, apiCalls } = await setup(t, { ...OAUTH, grant: 'client_credentials' }, (req, res) => {
    if (req.url.pathname === '/oauth_token.do') {
      return json(res, 401, { error_description: 'access_denied', error: 'server_error' })
    }
    json(res, 200, { result: [] })
  })
  const reading = (async () => {
    for await (const page of client.readTable('cmdb_ci')) void page
  })()
  await t.rejects(reading, { code: 'CW_SN_OAUTH_FAILED' })
  t.equal(tokenCalls().length, 1, 'the partition count does not swallow it and try again with the read')
  t.equal(apiCalls().length, 0)
})
