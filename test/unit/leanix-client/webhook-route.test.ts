// PUSH deliveries (docs/reference/leanix.md §5): no HMAC, so the hub checks the Authorization header the
// subscription was given; bad secret 401, unknown connection 404, full inbox 503 (LeanIX retries).
import { test, type Test } from 'tap'
import Fastify from 'fastify'
import { leanixWebhookRoute } from '../../../connectors/leanix/webhook-route.ts'
import { LeanixEventInbox } from '../../../connectors/leanix/webhooks/inbox.ts'

const event = {
  id: 1,
  type: 'FactSheetUpdatedEvent',
  transactionSequenceNumber: 1,
  factSheet: { id: 'a', type: 'Application' },
}

async function app(t: Test, capacity = 100) {
  const inbox = new LeanixEventInbox({ capacity })
  const fastify = Fastify()
  await fastify.register(leanixWebhookRoute, {
    inbox,
    secretFor: (id) => (id === 'conn-1' ? 'Bearer hook-secret' : undefined),
  })
  await fastify.ready()
  t.teardown(() => fastify.close())
  return { fastify, inbox }
}

test('a delivery with the right secret is queued for the connection', async (t) => {
  const { fastify, inbox } = await app(t)
  const res = await fastify.inject({
    method: 'POST',
    url: '/webhooks/leanix/conn-1',
    headers: { authorization: 'Bearer hook-secret' },
    payload: event,
  })
  t.equal(res.statusCode, 202)
  t.same(res.json(), { accepted: 1 })
  t.equal(inbox.pending('conn-1'), 1)
  const list = await fastify.inject({
    method: 'POST',
    url: '/webhooks/leanix/conn-1',
    headers: { authorization: 'Bearer hook-secret' },
    payload: [event, { ...event, id: 2 }],
  })
  t.same(list.json(), { accepted: 2 })
  const ac = new AbortController()
  const it = inbox.batches('conn-1', ac.signal)
  const first = await it.next()
  t.equal((first.value as unknown[]).length, 3)
  ac.abort()
  t.equal((await it.next()).done, true)
})

test('wrong or missing secret is 401 and nothing is queued', async (t) => {
  const { fastify, inbox } = await app(t)
  for (const headers of [{ authorization: 'Bearer nope' }, {}]) {
    const res = await fastify.inject({ method: 'POST', url: '/webhooks/leanix/conn-1', headers, payload: event })
    t.equal(res.statusCode, 401)
    t.equal(res.json().code, 'CW_LX_WEBHOOK_UNAUTHORIZED')
  }
  t.equal(inbox.pending('conn-1'), 0)
})

test('unknown connection is 404; a non-object body is 400', async (t) => {
  const { fastify } = await app(t)
  const unknown = await fastify.inject({
    method: 'POST',
    url: '/webhooks/leanix/conn-2',
    headers: { authorization: 'x' },
    payload: event,
  })
  t.equal(unknown.statusCode, 404)
  const bad = await fastify.inject({
    method: 'POST',
    url: '/webhooks/leanix/conn-1',
    headers: { authorization: 'Bearer hook-secret', 'content-type': 'application/json' },
    payload: '[1,2]',
  })
  t.equal(bad.statusCode, 400)
})

test('a full inbox answers 503 so that LeanIX delivers again later', async (t) => {
  const { fastify } = await app(t, 1)
  const send = () =>
    fastify.inject({
      method: 'POST',
      url: '/webhooks/leanix/conn-1',
      headers: { authorization: 'Bearer hook-secret' },
      payload: event,
    })
  t.equal((await send()).statusCode, 202)
  t.equal((await send()).statusCode, 503)
})
