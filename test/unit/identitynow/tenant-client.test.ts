// The ISC tenant client against scripted answers (undici MockAgent): one token request however
// many calls wait for it, a 401 renews the token once, 429/5xx are retried a bounded number of
// times, a Retry-After beyond the cap fails at once, refused credentials say what to check.
import { test } from 'tap'
import { MockAgent } from 'undici'
import { TenantClient } from '../../../connectors/identitynow/tenant/client.ts'

const TENANT = 'https://acme.api.identitynow.com'
const fast = { maxAttempts: 3, baseMs: 1, capMs: 2_000 }

function scripted(t: { teardown(fn: () => unknown): void }) {
  const agent = new MockAgent()
  agent.disableNetConnect()
  t.teardown(() => agent.close())
  const pool = agent.get(TENANT)
  const client = new TenantClient({
    url: TENANT,
    clientId: 'id',
    clientSecret: 'secret',
    backoff: fast,
    dispatcher: agent,
  })
  const token = (value: string, times = 1) =>
    pool
      .intercept({ path: '/oauth/token', method: 'POST' })
      .reply(200, { access_token: value, token_type: 'bearer', expires_in: 749 })
      .times(times)
  return { agent, pool, client, token }
}

const workItemsPath = (path: string) => path.startsWith('/v3/work-items?')

test('concurrent calls share one token request; the token is reused', async (t) => {
  const { pool, client, token } = scripted(t)
  token('T1')
  pool
    .intercept({ path: workItemsPath, method: 'GET', headers: { authorization: 'Bearer T1' } })
    .reply(200, [])
    .times(6)
  await Promise.all([1, 2, 3, 4, 5].map(() => client.listWorkItems({ offset: 0 })))
  await client.listWorkItems({ offset: 0 })
  t.equal(client.stats.tokens, 1)
})

test('a 401 renews the token once; a second 401 is an error', async (t) => {
  const { pool, client, token } = scripted(t)
  token('OLD')
  token('NEW')
  pool.intercept({ path: '/v3/work-items/w1', method: 'GET', headers: { authorization: 'Bearer OLD' } }).reply(401, {})
  pool
    .intercept({ path: '/v3/work-items/w1', method: 'GET', headers: { authorization: 'Bearer NEW' } })
    .reply(200, { id: 'w1', state: 'Pending' })
  t.match(await client.getWorkItem('w1'), { id: 'w1' })
  t.equal(client.stats.tokens, 2)

  token('NEWER')
  pool.intercept({ path: '/v3/work-items/w2', method: 'GET' }).reply(401, {}).times(2)
  await t.rejects(client.getWorkItem('w2'), { code: 'CW_IDN_TENANT_REQUEST_FAILED', message: /HTTP 401/ })
})

test('429 and 5xx are retried within the bound; Retry-After beyond the cap fails at once', async (t) => {
  const { pool, client, token } = scripted(t)
  token('T')
  pool.intercept({ path: '/v3/work-items/count', method: 'GET' }).reply(429, {}, { headers: { 'retry-after': '0' } })
  pool.intercept({ path: '/v3/work-items/count', method: 'GET' }).reply(502, 'bad gateway')
  pool.intercept({ path: '/v3/work-items/count', method: 'GET' }).reply(200, { count: 7 })
  t.equal(await client.countWorkItems(), 7)
  t.equal(client.stats.retries, 2)

  pool.intercept({ path: '/v3/work-items/count', method: 'GET' }).reply(503, 'down').times(3)
  await t.rejects(client.countWorkItems(), { code: 'CW_IDN_TENANT_REQUEST_FAILED', message: /HTTP 503/ })

  const before = client.stats.requests
  pool.intercept({ path: '/v3/work-items/count', method: 'GET' }).reply(429, {}, { headers: { 'retry-after': '3600' } })
  await t.rejects(client.countWorkItems(), { code: 'CW_IDN_TENANT_REQUEST_FAILED', message: /HTTP 429/ })
  t.equal(client.stats.requests - before, 1, 'no hour-long sleep: one request, then the next pass')
})

test('refused credentials and the complete call as documented', async (t) => {
  const { pool, client } = scripted(t)
  pool.intercept({ path: '/oauth/token', method: 'POST' }).reply(401, { error: 'unauthorized' })
  await t.rejects(client.countWorkItems(), { code: 'CW_IDN_TENANT_TOKEN_FAILED', message: /client id and secret/ })

  const second = scripted(t)
  second.token('T')
  let body = ''
  second.pool
    .intercept({
      path: '/v3/work-items/w9',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: (b) => {
        body = b
        return true
      },
    })
    .reply(200, { id: 'w9', state: 'Finished' })
  t.match(await second.client.completeWorkItem('w9', 'done by ticket INC1'), { state: 'Finished' })
  t.equal(body, '"done by ticket INC1"', 'the optional body is a JSON string')
  second.pool.intercept({ path: '/v3/sources/s404', method: 'GET' }).reply(404, {})
  t.equal(await second.client.sourceName('s404'), undefined)
})

test('closing an access request sends the experimental header; a refusal is an error, not a status', async (t) => {
  const { pool, client, token } = scripted(t)
  token('T1')
  const request = {
    accessRequestIds: ['ar-1'],
    message: 'ticket INC0010001: SUCCESS',
    executionStatus: 'Completed' as const,
    completionStatus: 'Success' as const,
  }
  pool
    .intercept({
      path: '/v2024/access-requests/close',
      method: 'POST',
      headers: { 'x-sailpoint-experimental': 'true', 'content-type': 'application/json' },
      body: JSON.stringify(request),
    })
    .reply(202, {})
  t.equal(await client.closeAccessRequests(request), 202)

  pool
    .intercept({ path: '/v2024/access-requests/close', method: 'POST' })
    .reply(400, { detailCode: '400.1 Bad Request Content', messages: [{ text: 'unknown access request' }] })
  await t.rejects(client.closeAccessRequests({ ...request, accessRequestIds: ['nope'] }), {
    code: 'CW_IDN_TENANT_REQUEST_FAILED',
    message: /close an access request.*HTTP 400/,
  })
})

test('completing a work item answered 5xx is not sent again blindly, nor reported retryable; a 429 is', async (t) => {
  const { pool, client, token } = scripted(t)
  token('T')
  pool.intercept({ path: '/v3/work-items/w1', method: 'POST' }).reply(502, 'bad gateway')
  const error = await client.completeWorkItem('w1').catch((e: unknown) => e)
  t.match(error, { code: 'CW_IDN_TENANT_REQUEST_FAILED', message: /HTTP 502/, retryable: false })
  t.equal(client.stats.requests, 2, 'the token, then one POST: it may have completed the item')

  pool.intercept({ path: '/v3/work-items/w2', method: 'POST' }).reply(429, {}, { headers: { 'retry-after': '0' } })
  pool.intercept({ path: '/v3/work-items/w2', method: 'POST' }).reply(200, { id: 'w2', state: 'Finished' })
  t.match(await client.completeWorkItem('w2'), { state: 'Finished' }, 'refused before it ran: sent again')
})
