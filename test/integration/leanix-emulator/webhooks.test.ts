// Webhooks API contract (docs/reference/leanix.md §5): subscriptions CRUD with tag sets, PUSH with the
// configured Authorization header and retries until success, ignoreError, PULL with cursor and
// autoCommit, payloads carrying the acting userId and a growing transactionSequenceNumber.
import { createServer, type IncomingMessage } from 'node:http'
import { once } from 'node:events'
import { test } from 'tap'
import { clientFor, exchangeToken, startForTest } from './emulator-client.ts'

interface Received {
  method: string
  authorization: string | undefined
  body: Record<string, unknown>
}

/** A webhook target on loopback that fails the first `failFirst` calls with 503. */
async function receiver(t: { teardown: (fn: () => Promise<void> | void) => void }, failFirst = 0) {
  const received: Received[] = []
  let calls = 0
  const waiting: Array<() => void> = []
  const server = createServer((req: IncomingMessage, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()))
    req.on('end', () => {
      calls++
      if (calls <= failFirst) {
        res.writeHead(503).end('not now')
        return
      }
      received.push({
        method: req.method ?? '',
        authorization: req.headers.authorization,
        body: JSON.parse(raw) as Record<string, unknown>,
      })
      res.writeHead(200).end('ok')
      for (const wake of waiting.splice(0)) wake()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    calls: () => calls,
    /** resolves once `count` deliveries have succeeded */
    until: async (count: number) => {
      while (received.length < count) await new Promise<void>((resolve) => waiting.push(resolve))
    },
  }
}

async function api(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}/services/webhooks/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { data: unknown } }
}

const CREATE = `mutation($input: BaseFactSheetInput!, $patches: [Patch]) { createFactSheet(input: $input, patches: $patches) { factSheet { id rev } } }`

test('subscriptions CRUD; the Authorization header is write-only; non-admins get 403', async (t) => {
  const emulator = await startForTest(t)
  const token = await exchangeToken(emulator.url, emulator.apiToken)
  const created = await api(emulator.url, token, 'POST', '/subscriptions', {
    identifier: 'crosswalk-hub',
    deliveryType: 'PUSH',
    targetUrl: 'http://127.0.0.1:9/never',
    targetMethod: 'POST',
    authorizationHeader: 'Bearer s3cret',
    tagSets: [['pathfinder', 'FACT_SHEET_UPDATED']],
  })
  t.equal(created.status, 201)
  const subscription = created.body.data as Record<string, unknown>
  t.match(subscription, {
    identifier: 'crosswalk-hub',
    deliveryType: 'PUSH',
    active: true,
    authorizationHeader: '***',
    workspaceId: emulator.workspace.id,
    errorCount: 0,
  })
  const listed = await api(emulator.url, token, 'GET', '/subscriptions?identifier=crosswalk-hub')
  t.equal(listed.body.total, 1)
  const updated = await api(emulator.url, token, 'PUT', `/subscriptions/${String(subscription.id)}`, {
    ...subscription,
    active: false,
  })
  t.equal((updated.body.data as { active: boolean }).active, false)
  const duplicate = await api(emulator.url, token, 'POST', '/subscriptions', {
    identifier: 'crosswalk-hub',
    deliveryType: 'PULL',
  })
  t.equal(duplicate.status, 409)
  const invalid = await api(emulator.url, token, 'POST', '/subscriptions', {
    deliveryType: 'PUSH',
    tagSets: [['pathfinder']],
  })
  t.equal(invalid.status, 400)
  t.match(invalid.body, { status: 'ERROR', message: /targetUrl/ })
  const deleted = await api(emulator.url, token, 'DELETE', `/subscriptions/${String(subscription.id)}`)
  t.equal(deleted.status, 200)
  t.equal((await api(emulator.url, token, 'GET', `/subscriptions/${String(subscription.id)}`)).status, 404)
  const memberToken = await exchangeToken(emulator.url, emulator.apiTokens.MEMBER ?? '')
  t.equal((await api(emulator.url, memberToken, 'GET', '/subscriptions')).status, 403)
  t.equal((await fetch(`${emulator.url}/services/webhooks/v1/subscriptions`)).status, 401)
})

test('PUSH delivers matching events with the Authorization header and retries until the target answers 2xx', async (t) => {
  const emulator = await startForTest(t, { webhooks: { retryIntervalMs: 20 } })
  const target = await receiver(t, 2)
  const token = await exchangeToken(emulator.url, emulator.apiToken)
  const created = await api(emulator.url, token, 'POST', '/subscriptions', {
    identifier: 'push-test',
    deliveryType: 'PUSH',
    targetUrl: target.url,
    authorizationHeader: 'Bearer hub-secret',
    tagSets: [['pathfinder', 'FACT_SHEET_CREATED']],
  })
  const id = String((created.body.data as { id: string }).id)
  const { gql } = await clientFor(emulator)
  const answer = await gql(CREATE, {
    input: { name: 'Webhook App', type: 'Application' },
    patches: [{ op: 'replace', path: '/description', value: 'x' }],
  })
  const fsId = (answer.body.data?.createFactSheet as { factSheet: { id: string } }).factSheet.id
  await target.until(1)
  t.equal(target.calls(), 3, 'two failures, then success')
  const [delivery] = target.received
  t.equal(delivery?.method, 'POST')
  t.equal(delivery?.authorization, 'Bearer hub-secret')
  const hub = emulator.technicalUsers.find((u) => u.role === 'ADMIN')
  t.match(delivery?.body, {
    type: 'FactSheetCreatedEvent',
    userId: hub?.id,
    workspaceId: emulator.workspace.id,
    transactionSequenceNumber: Number,
    factSheet: { id: fsId, type: 'Application', name: 'Webhook App', rev: 1 },
  })
  const deliveries = await api(emulator.url, token, 'GET', `/subscriptions/${id}/deliveries`)
  const log = deliveries.body.data as Array<{ success: boolean; httpStatus: number }>
  t.same(
    log.map((d) => [d.success, d.httpStatus]),
    [
      [true, 200],
      [false, 503],
      [false, 503],
    ],
    'newest first',
  )
  const state = await api(emulator.url, token, 'GET', `/subscriptions/${id}`)
  t.match(state.body.data, { lastDeliveryStatus: 200, errorCount: 2, firstTimeDeliveryFailed: null })
})

test('ignoreError drops a failed event instead of retrying it', async (t) => {
  const emulator = await startForTest(t, { webhooks: { retryIntervalMs: 20 } })
  const target = await receiver(t, 1)
  const token = await exchangeToken(emulator.url, emulator.apiToken)
  await api(emulator.url, token, 'POST', '/subscriptions', {
    deliveryType: 'PUSH',
    targetUrl: target.url,
    ignoreError: true,
    payloadMode: 'WRAPPED_EVENT',
    tagSets: [['pathfinder', 'FACT_SHEET_CREATED']],
  })
  const { gql } = await clientFor(emulator)
  await gql(CREATE, { input: { name: 'Lost One', type: 'Application' } })
  await gql(CREATE, { input: { name: 'Second One', type: 'Application' } })
  await target.until(1)
  t.equal(target.received.length, 1)
  t.match(
    target.received[0]?.body,
    { sourceName: 'EAM', tags: ['pathfinder', 'FACT_SHEET_CREATED'], payload: { factSheet: { name: 'Second One' } } },
    'wrapped event of the second change',
  )
})

test('PULL: events after the cursor, nextCursor, commit, autoCommit, tag-set filtering', async (t) => {
  const emulator = await startForTest(t)
  const token = await exchangeToken(emulator.url, emulator.apiToken)
  const created = await api(emulator.url, token, 'POST', '/subscriptions', {
    deliveryType: 'PULL',
    payloadMode: 'WRAPPED_EVENT',
    tagSets: [
      ['pathfinder', 'FACT_SHEET_UPDATED'],
      ['pathfinder', 'FACT_SHEET_ARCHIVED'],
    ],
  })
  const id = String((created.body.data as { id: string }).id)
  const { gql } = await clientFor(emulator)
  const answer = await gql(CREATE, { input: { name: 'Pull App', type: 'Application' } })
  const fsId = (answer.body.data?.createFactSheet as { factSheet: { id: string } }).factSheet.id
  const member = await clientFor(emulator, emulator.apiTokens.MEMBER)
  await member.gql(
    `mutation { updateFactSheet(id: "${fsId}", patches: [{op: replace, path: "/description", value: "one"}]) { factSheet { rev } } }`,
  )
  await gql(
    `mutation { updateFactSheet(id: "${fsId}", comment: "gone", patches: [{op: add, path: "/status", value: "ARCHIVED"}]) { factSheet { rev } } }`,
  )

  type Pull = {
    total: number
    data: {
      events: Array<{
        cursor: { offset: number }
        event: { tags: string[]; userId: string; payload: Record<string, unknown> }
      }>
      nextCursor: { offset: number }
    }
  }
  // PullEvent.event is a string (the Webhooks OpenAPI); with WRAPPED_EVENT it holds the whole envelope
  const pull = async (query: string): Promise<Pull> => {
    const body = (await api(emulator.url, token, 'GET', `/subscriptions/${id}/events?${query}`)).body as unknown as Pull
    for (const e of body.data.events) t.type(e.event, 'string')
    const events = body.data.events.map((e) => ({
      ...e,
      event: JSON.parse(e.event as unknown as string) as Pull['data']['events'][0]['event'],
    }))
    return { ...body, data: { ...body.data, events } }
  }
  const first = await pull('timeout=0')
  t.same(
    first.data.events.map((e) => e.event.tags[1]),
    ['FACT_SHEET_UPDATED', 'FACT_SHEET_ARCHIVED'],
    'the create is not in the tag sets',
  )
  const [update, archive] = first.data.events
  t.equal(
    update?.event.userId,
    emulator.technicalUsers.find((u) => u.role === 'MEMBER')?.id,
    'the acting user is named',
  )
  t.match(archive?.event.payload, { type: 'FactSheetArchivedEvent', comment: 'gone', fsIdAndRev: { id: fsId, rev: 3 } })
  t.ok(
    (archive?.event.payload.transactionSequenceNumber as number) >
      (update?.event.payload.transactionSequenceNumber as number),
  )
  t.equal(first.data.nextCursor.offset, (archive?.cursor.offset ?? 0) + 1)

  const again = await pull('timeout=0')
  t.equal(again.total, 2, 'without a commit the same events come again (at least once)')
  const committed = await api(emulator.url, token, 'PUT', `/subscriptions/${id}/cursor`, {
    offset: first.data.nextCursor.offset,
  })
  t.equal(committed.status, 200)
  const empty = await pull('timeout=0')
  t.equal(empty.total, 0)
  t.equal(empty.data.nextCursor.offset, first.data.nextCursor.offset)

  await member.gql(
    `mutation { updateFactSheet(id: "${fsId}", patches: [{op: replace, path: "/status", value: "ACTIVE"}]) { factSheet { rev } } }`,
  )
  const pending = pull('timeout=5&autoCommit=true')
  await member.gql(
    `mutation { updateFactSheet(id: "${fsId}", patches: [{op: replace, path: "/description", value: "two"}]) { factSheet { rev } } }`,
  )
  const longPolled = await pending
  t.equal(longPolled.total, 1, 'a long poll returns the next update')
  const afterAutoCommit = await pull('timeout=0')
  t.equal(afterAutoCommit.total, 0, 'autoCommit moved the cursor')
})

test('a rolled-back batch publishes no events', async (t) => {
  const emulator = await startForTest(t)
  const token = await exchangeToken(emulator.url, emulator.apiToken)
  const created = await api(emulator.url, token, 'POST', '/subscriptions', { deliveryType: 'PULL', tagSets: [] })
  const id = String((created.body.data as { id: string }).id)
  const { gql } = await clientFor(emulator)
  const batch = await gql(`mutation {
    a: createFactSheet(input: {name: "Never", type: Application}) { factSheet { id } }
    b: createFactSheet(input: {name: "Bad", type: Application}, patches: [{op: replace, path: "/nope", value: "x"}]) { factSheet { id } }
  }`)
  t.equal(batch.body.data, null)
  const pulled = await api(emulator.url, token, 'GET', `/subscriptions/${id}/events?timeout=0`)
  t.equal(pulled.body.total, 0)
})
