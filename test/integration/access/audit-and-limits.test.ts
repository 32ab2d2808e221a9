// The audit log records configuration changes with who made them, redacted; the rate limit
// counts per token (or per address without one) and answers 429 with Retry-After.
import t from 'tap'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'

// every test starts an embedded PostgreSQL (PGlite), slow on a busy machine
t.setTimeout(300_000)

interface Entry {
  id: number
  action: string
  outcome: string
  errorCode: string | null
  target: string | null
  requestId: string | null
  actor: { id: string | null; name: string; kind: string }
  summary: Record<string, unknown>
}

t.test('changes are recorded with their author and request, refused ones as refused; reads are not', async (t) => {
  const hub = await buildTestApp(t, {
    setup(app) {
      app.post('/test/connection-like', { config: { role: 'operator' } }, async () => ({ ok: true }))
    },
  })
  const created = await hub.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    payload: { name: 'ops bot', role: 'operator' },
  })
  const { token, record } = created.json<{ token: string; record: { id: string } }>()
  await hub.inject('/api/v1/tokens') // a read
  await hub.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: '', role: 'admin' } }) // 400
  await hub.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', role: 'admin' } }, token) // 403
  const secretBody = { name: 'prod', password: 'do-not-keep-1', auth: { clientSecret: 'do-not-keep-2' } }
  const change = await hub.inject({ method: 'POST', url: '/test/connection-like?dry=1', payload: secretBody }, token)
  t.equal(change.statusCode, 200)
  await hub.hub.audit.record({ action: 'mapping.enabled', target: 'mapping:42', summary: { apiKey: 'do-not-keep-3' } })

  const page = await hub.inject('/api/v1/audit')
  t.equal(page.statusCode, 200)
  t.notOk(page.body.includes('do-not-keep'), 'no secret reached the audit log')
  const { items, total } = page.json<{ items: Entry[]; total: number }>()
  t.equal(total, 5, 'the token creation, two refusals, the change and the explicit record; no read')
  t.match(items, [
    { action: 'mapping.enabled', target: 'mapping:42', actor: { name: 'crosswalk', kind: 'system' } },
    {
      action: 'POST /test/connection-like',
      outcome: 'applied',
      errorCode: null,
      target: '/test/connection-like',
      actor: { id: record.id, name: 'ops bot', kind: 'token' },
      summary: {
        body: { name: 'prod', password: '[redacted]', auth: { clientSecret: '[redacted]' } },
        query: { dry: '1' },
      },
    },
    { action: 'POST /api/v1/tokens', outcome: 'refused', errorCode: 'CW_AUTH_FORBIDDEN', actor: { name: 'ops bot' } },
    {
      action: 'POST /api/v1/tokens',
      outcome: 'refused',
      errorCode: 'CW_VALIDATION',
      actor: { name: 'admin (CROSSWALK_ADMIN_TOKEN)' },
    },
    {
      action: 'POST /api/v1/tokens',
      outcome: 'applied',
      actor: { name: 'admin (CROSSWALK_ADMIN_TOKEN)', kind: 'token' },
      summary: { body: { name: 'ops bot', role: 'operator' } },
    },
  ])
  t.type(items[1]?.requestId, 'string')

  const second = await hub.inject('/api/v1/audit?limit=1&offset=1')
  t.same(
    second.json<{ items: Entry[]; total: number }>().items.map((i) => i.action),
    ['POST /test/connection-like'],
  )
  t.equal(second.json<{ total: number }>().total, 5)
  const filtered = await hub.inject('/api/v1/audit?action=POST%20/api/v1/tokens')
  t.equal(filtered.json<{ total: number }>().total, 3)
  // by actor: every entry of that name, and with the action too, both filters at once
  const all = (await hub.inject('/api/v1/audit?limit=500')).json<{ items: Entry[] }>().items
  const admin = 'admin (CROSSWALK_ADMIN_TOKEN)'
  const byAdmin = await hub.inject(`/api/v1/audit?actor=${encodeURIComponent(admin)}`)
  const adminEntries = all.filter((entry) => entry.actor.name === admin)
  t.ok(adminEntries.length > 0 && adminEntries.length < all.length, 'some entries are by others')
  t.same(
    byAdmin.json<{ items: Entry[] }>().items.map((entry) => entry.id),
    adminEntries.map((entry) => entry.id),
    'by actor',
  )
  const both = await hub.inject(`/api/v1/audit?actor=${encodeURIComponent(admin)}&action=POST%20/api/v1/tokens`)
  t.equal(
    both.json<{ total: number }>().total,
    adminEntries.filter((entry) => entry.action === 'POST /api/v1/tokens').length,
    'by actor and action',
  )
  t.equal((await hub.inject('/api/v1/audit', token)).statusCode, 403, 'admin only')

  await hub.inject({ method: 'DELETE', url: `/api/v1/tokens/${record.id}` })
  const last = (await hub.inject('/api/v1/audit?limit=1')).json<{ items: Entry[] }>().items[0]
  t.match(last, { action: 'DELETE /api/v1/tokens/:id', target: `/api/v1/tokens/${record.id}` })
})

t.test('GraphQL mutations are recorded, redacted, refused ones as refused; queries are not', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector('memo')] })
  const viewer = await hub.token('viewer', 'reader')
  const mutation = 'mutation Make($input: ConnectionInput!) { createConnection(input: $input) { id } }'
  const settings = {
    url: 'https://example.test',
    username: 'svc',
    password: 'gql-secret-password',
    auth: { clientId: 'c', clientSecret: 'gql-secret-client' },
    pageSize: 5,
  }
  const variables = { input: { name: 'via graphql', connector: 'memo', settings } }
  const refused = await hub.inject({ method: 'POST', url: '/graphql', payload: { query: mutation, variables } }, viewer)
  t.match(refused.body, /errors/)
  await hub.inject({ method: 'POST', url: '/graphql', payload: { query: '{ connections { items { id } } }' } })
  const made = await hub.inject({ method: 'POST', url: '/graphql', payload: { query: mutation, variables } })
  t.match(made.json(), { data: { createConnection: { id: String } } }, made.body)

  const page = await hub.inject('/api/v1/audit')
  t.notOk(page.body.includes('gql-secret'), 'no secret reached the audit log')
  const { items } = page.json<{ items: Entry[] }>()
  t.equal(items.length, 2, 'the mutation that went through and the one refused; no query')
  t.match(items, [
    {
      action: 'graphql mutation createConnection',
      target: '/graphql',
      outcome: 'applied',
      actor: { name: 'admin (CROSSWALK_ADMIN_TOKEN)' },
      summary: { body: { variables: { input: { name: 'via graphql', settings: { password: '[redacted]' } } } } },
    },
    {
      action: 'graphql mutation createConnection',
      outcome: 'refused',
      errorCode: 'CW_AUTH_FORBIDDEN',
      actor: { name: 'reader' },
    },
  ])
})

t.test('rate limit per token, and per address for requests without a valid token', async (t) => {
  const hub = await buildTestApp(t, { config: { rateLimit: { max: 3, windowMs: 60_000 } } })
  const other = await hub.token('viewer')
  for (let i = 0; i < 3; i++) t.equal((await hub.inject('/api/v1/tokens')).statusCode, 200)
  const limited = await hub.inject('/api/v1/tokens')
  t.equal(limited.statusCode, 429)
  t.equal(limited.json<{ code: string }>().code, 'CW_RATE_LIMITED')
  t.match(limited.json<{ message: string }>().message, /More than 3 requests in 60 s from this token/)
  const retryAfter = Number(limited.headers['retry-after'])
  t.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`)

  // another token has its own budget
  t.equal((await hub.inject('/api/v1/tokens', other)).statusCode, 403)

  // guessing tokens is limited by address: the fourth wrong guess is refused before it is checked
  const guesses = []
  for (let i = 0; i < 4; i++) guesses.push((await hub.inject('/api/v1/tokens', `cw_guess_${i}`)).statusCode)
  t.same(guesses, [401, 401, 401, 429])
})
