// Anonymous traffic of one kind does not starve another (issue 11 point 9): wrong secrets at the
// token endpoint used to exhaust the one bucket per address that /health/ready, /metrics and the
// right secret shared. Probes, token endpoints and webhooks count apart; a client id is locked
// out after too many wrong secrets from any address; behind a proxy, trustProxy tells clients apart.
import { test } from 'tap'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'

async function apiClient(hub: TestApp) {
  const created = await hub.inject({
    method: 'POST',
    url: '/api/v1/identitynow/api-clients',
    payload: { name: `tooling-${Math.random()}`, role: 'viewer' },
  })
  return created.json() as { clientId: string; clientSecret: string }
}

function tokenRequest(clientId: string, secret: string, from?: string) {
  return {
    method: 'POST' as const,
    url: '/oauth/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(from ? { 'x-forwarded-for': from } : {}),
    },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
    }).toString(),
  }
}

test('wrong secrets exhaust only the token bucket; probes and the admin API answer', async (t) => {
  const hub = await buildTestApp(t, {
    config: { rateLimit: { max: 20, credentialsMax: 20, lockoutAttempts: 1000 } },
  })
  const victim = await apiClient(hub)
  for (let i = 0; i < 25; i++) await hub.inject(tokenRequest(victim.clientId, `wrong-${i}`), null)
  const throttled = await hub.inject(tokenRequest(victim.clientId, victim.clientSecret), null)
  t.equal(throttled.statusCode, 429, 'the token bucket of this address is spent')

  for (const url of ['/health/live', '/health/ready', '/metrics']) {
    const res = await hub.inject({ url }, null)
    t.equal(res.statusCode, 200, `${url} still answers`)
  }
  const api = await hub.inject('/api/v1/connectors')
  t.equal(api.statusCode, 200, 'the admin API counts per token, apart')
})

test('probes have their own bucket: a flood of them leaves the token endpoint alone', async (t) => {
  const hub = await buildTestApp(t, { config: { rateLimit: { max: 1000, probesMax: 10 } } })
  const client = await apiClient(hub)
  for (let i = 0; i < 12; i++) await hub.inject({ url: '/health/live' }, null)
  t.equal((await hub.inject({ url: '/health/live' }, null)).statusCode, 429, 'probes are limited too')
  const token = await hub.inject(tokenRequest(client.clientId, client.clientSecret), null)
  t.equal(token.statusCode, 200)
})

test('a client id is locked out after too many wrong secrets, from any address', async (t) => {
  const hub = await buildTestApp(t, {
    config: { trustProxy: '127.0.0.1', rateLimit: { credentialsMax: 1000, lockoutAttempts: 5 } },
  })
  const attacked = await apiClient(hub)
  const bystander = await apiClient(hub)
  for (let i = 0; i < 5; i++) {
    const res = await hub.inject(tokenRequest(attacked.clientId, `guess-${i}`, `203.0.113.${i + 1}`), null)
    t.equal(res.statusCode, 401, `wrong secret ${i + 1}`)
  }
  const locked = await hub.inject(tokenRequest(attacked.clientId, attacked.clientSecret, '198.51.100.7'), null)
  t.equal(locked.statusCode, 429, 'even the right secret, from another address, is refused while locked out')
  t.equal(locked.headers['x-crosswalk-error-code'], 'CW_AUTH_LOCKED_OUT')
  t.ok(Number(locked.headers['retry-after']) > 0, 'Retry-After says when')
  t.match(locked.json(), { error: 'invalid_client', error_description: /Too many wrong secrets/ })
  const other = await hub.inject(tokenRequest(bystander.clientId, bystander.clientSecret, '203.0.113.1'), null)
  t.equal(other.statusCode, 200, 'another client id is not affected')
})

test('trustProxy: behind a proxy, clients are told apart by X-Forwarded-For; without it, not', async (t) => {
  const behind = await buildTestApp(t, { config: { trustProxy: '127.0.0.1', rateLimit: { credentialsMax: 3 } } })
  const client = await apiClient(behind)
  for (let i = 0; i < 4; i++)
    await behind.inject(tokenRequest(client.clientId, client.clientSecret, '203.0.113.9'), null)
  t.equal(
    (await behind.inject(tokenRequest(client.clientId, client.clientSecret, '203.0.113.9'), null)).statusCode,
    429,
    'the noisy client is limited',
  )
  t.equal(
    (await behind.inject(tokenRequest(client.clientId, client.clientSecret, '203.0.113.10'), null)).statusCode,
    200,
    'another client behind the same proxy is not',
  )

  const direct = await buildTestApp(t, { config: { rateLimit: { credentialsMax: 3 } } })
  const same = await apiClient(direct)
  for (let i = 0; i < 4; i++) await direct.inject(tokenRequest(same.clientId, same.clientSecret, '203.0.113.9'), null)
  t.equal(
    (await direct.inject(tokenRequest(same.clientId, same.clientSecret, '203.0.113.10'), null)).statusCode,
    429,
    'without trustProxy a forged X-Forwarded-For does not buy a fresh bucket',
  )
})

test('webhook deliveries count apart: a flood of them leaves probes and the token endpoint alone, and back', async (t) => {
  const hub = await buildTestApp(t, { config: { rateLimit: { max: 1000, webhooksMax: 5, credentialsMax: 5 } } })
  const client = await apiClient(hub)
  const delivery = {
    method: 'POST' as const,
    url: '/webhooks/leanix/00000000-0000-4000-8000-000000000000',
    payload: [{ type: 'FactSheetUpdatedEvent' }],
  }
  for (let i = 0; i < 6; i++) await hub.inject(delivery, null)
  t.equal((await hub.inject(delivery, null)).statusCode, 429, 'the webhook bucket of this address is spent')
  t.equal((await hub.inject({ url: '/health/ready' }, null)).statusCode, 200, 'probes still answer')
  t.equal((await hub.inject(tokenRequest(client.clientId, client.clientSecret), null)).statusCode, 200)

  // and the other way round: the token bucket spent, deliveries are still judged on their own
  const other = await buildTestApp(t, { config: { rateLimit: { max: 1000, webhooksMax: 5, credentialsMax: 3 } } })
  const guessed = await apiClient(other)
  for (let i = 0; i < 4; i++) await other.inject(tokenRequest(guessed.clientId, `wrong-${i}`), null)
  t.equal((await other.inject(tokenRequest(guessed.clientId, guessed.clientSecret), null)).statusCode, 429)
  t.not((await other.inject(delivery, null)).statusCode, 429, 'a delivery is not throttled by the token bucket')
})
