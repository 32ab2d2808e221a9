import { test } from 'tap'
import { toSpec } from '../../../core/mapping/spec.ts'
import { zeroCounts } from '../../../core/sync/counts.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'
import { recordStatements } from '../../helpers/statements.ts'

const settings = { url: 'https://memo.example.test', username: 'u', password: 'graphql-secret-password' }

async function gql(
  hub: Awaited<ReturnType<typeof buildTestApp>>,
  query: string,
  variables = {},
  token?: string | null,
) {
  const res = await hub.inject({ method: 'POST', url: '/graphql', payload: { query, variables } }, token)
  return {
    status: res.statusCode,
    body: res.json() as {
      data?: Record<string, unknown>
      errors?: Array<{ message: string; extensions?: { code?: string } }>
    },
  }
}

test('status and configuration over GraphQL, with loaders batching the fan-out', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const created = await gql(
    hub,
    'mutation ($input: ConnectionInput!) { createConnection(input: $input) { id name secretsSet connector { name } } }',
    { input: { name: 'a', connector: 'memo', settings } },
  )
  t.notOk(created.body.errors, JSON.stringify(created.body.errors))
  const a = (created.body.data?.createConnection as { id: string }).id
  const b = (await hub.app.connections.create({ name: 'b', connector: 'memo', settings })).id

  // three mappings and runs, so that the fan-out is visible
  for (const n of [1, 2, 3]) {
    // stored as the repository takes it: the mapping's connectors are test doubles
    const m = await hub.app.mappings.create(
      toSpec({
        name: `m${n}`,
        source: { connectionId: a, entity: 'Application' },
        target: { connectionId: b, entity: 'cmdb_ci_business_app' },
        mode: 'strict',
        enabled: true,
        fields: [],
        relations: [],
      }),
      'test',
    )
    await hub.app.runs.create({ mappingId: m.id, trigger: 'manual', dryRun: false, kind: 'full' })
    await hub.app.runs.create({ mappingId: m.id, trigger: 'schedule', dryRun: true, kind: 'full' })
  }
  const statements = recordStatements(t, hub.db)
  const status = await gql(
    hub,
    '{ mappings { name mode source { name } target { name } lastRun { status dryRun trigger } runs(limit: 5) { id } } }',
  )
  t.notOk(status.body.errors, JSON.stringify(status.body.errors))
  const mappings = status.body.data?.mappings as Array<{
    name: string
    source: { name: string }
    lastRun: { trigger: string }
    runs: unknown[]
  }>
  t.equal(mappings.length, 3)
  t.same(
    mappings.map((m) => m.source.name),
    ['a', 'a', 'a'],
  )
  t.same(
    mappings.map((m) => m.lastRun.trigger),
    ['schedule', 'schedule', 'schedule'],
  )
  t.same(
    mappings.map((m) => m.runs.length),
    [2, 2, 2],
  )
  // one query per field for all mappings (source, target), not one per mapping; counted by the
  // batched reads' own shape, as the hub's timers (health checks) may read connections meanwhile
  t.equal(
    statements.filter((s) => s.includes('from connections where id = any(')).length,
    2,
    'connections: one batched query per field',
  )
  t.equal(
    statements.filter((s) => s.includes('from secrets where owner = any(')).length,
    2,
    'secret names: batched with them',
  )
  t.equal(statements.filter((s) => s.includes('distinct on')).length, 1, 'lastRun is one query for all mappings')
  t.notMatch(JSON.stringify(status.body), /graphql-secret-password/)
})

test('reads need a viewer token, mutations an admin; depth is limited', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const anonymous = await gql(hub, '{ connectors { name } }', {}, null)
  t.equal(anonymous.status, 401)
  const viewer = await hub.token('viewer')
  const read = await gql(hub, '{ connector(name: "memo") { name capabilities } }', {}, viewer)
  t.same(read.body.data?.connector, { name: 'memo', capabilities: ['read'] })
  const write = await gql(
    hub,
    'mutation ($input: ConnectionInput!) { createConnection(input: $input) { id } }',
    { input: { name: 'x', connector: 'memo', settings } },
    viewer,
  )
  t.equal(write.body.errors?.[0]?.extensions?.code, 'CW_AUTH_FORBIDDEN')
  t.equal((await hub.inject('/api/v1/connections')).json().total, 0, 'nothing was created')
  const deep = await gql(
    hub,
    '{ mappings { source { mappings { source { mappings { source { mappings { source { mappings { name } } } } } } } } } }',
  )
  t.ok(deep.body.errors?.length, 'a query deeper than the limit is refused')
})

test('invalid connection settings over GraphQL carry the stable code', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const res = await gql(hub, 'mutation ($input: ConnectionInput!) { createConnection(input: $input) { id } }', {
    input: { name: 'x', connector: 'memo', settings: { url: 'nope' } },
  })
  t.equal(res.body.errors?.[0]?.extensions?.code, 'CW_CONNECTION_SETTINGS_INVALID')
  t.match(res.body.errors?.[0]?.message, /url/)
})

test('run progress and SIM completions are pushed to subscribers over WebSocket', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  await hub.app.listen({ port: 0, host: '127.0.0.1' })
  const address = hub.app.server.address() as { port: number }
  // Node's WebSocket (undici) sends headers on the upgrade request, which the auth hook checks
  const ws = new WebSocket(`ws://127.0.0.1:${address.port}/graphql`, {
    protocols: ['graphql-transport-ws'],
    headers: { authorization: `Bearer ${hub.adminToken}` },
  } as unknown as string[])
  type Next = { id: string; type: string; payload?: { data?: Record<string, Record<string, unknown>> } }
  const nexts = new Map<string, Next>()
  const counts = { run: zeroCounts() }
  const received = new Promise<void>((resolve, reject) => {
    ws.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as Next
      if (message.type === 'connection_ack') {
        ws.send(
          JSON.stringify({
            id: 'runs',
            type: 'subscribe',
            payload: { query: 'subscription { runProgress(mappingId: "m-1") { runId mappingId phase read } }' },
          }),
        )
        ws.send(
          JSON.stringify({
            id: 'sim',
            type: 'subscribe',
            payload: {
              query:
                'subscription { provisioningCompleted(provisioningTarget: "Badges") { ticketId provisioningTarget result } }',
            },
          }),
        )
        // give the server a moment to attach the subscriptions, then publish
        setTimeout(() => {
          const at = new Date().toISOString()
          hub.app.bus.publish('run.progress', {
            ...counts.run,
            runId: 'r-other',
            mappingId: 'm-2',
            phase: 'read',
            read: 1,
          })
          hub.app.bus.publish('run.progress', {
            ...counts.run,
            runId: 'r-1',
            mappingId: 'm-1',
            phase: 'read',
            read: 500,
          })
          hub.app.bus.publish('provisioning.completed', {
            ticketId: 'INC1',
            provisioningTarget: 'Other',
            result: 'SUCCESS',
            at,
          })
          hub.app.bus.publish('provisioning.completed', {
            ticketId: 'REQ2',
            provisioningTarget: 'Badges',
            result: 'FAILED',
            at,
          })
        }, 300)
      }
      if (message.type === 'next' && !nexts.has(message.id)) nexts.set(message.id, message)
      if (nexts.size === 2) resolve()
      if (message.type === 'error') reject(new Error(JSON.stringify(message)))
    })
    ws.addEventListener('error', () => reject(new Error('socket error')))
  })
  ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'connection_init' })))
  await received
  ws.close()
  t.same(
    nexts.get('runs')?.payload?.data?.runProgress,
    { runId: 'r-1', mappingId: 'm-1', phase: 'read', read: 500 },
    'only the subscribed mapping arrives',
  )
  t.same(
    nexts.get('sim')?.payload?.data?.provisioningCompleted,
    { ticketId: 'REQ2', provisioningTarget: 'Badges', result: 'FAILED' },
    'only the subscribed provisioning target arrives',
  )
})

/** a graphql-transport-ws client: sends connection_init with `payload`, collects what comes back */
async function openSubscriptionSocket(port: number, payload?: Record<string, unknown>) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, ['graphql-transport-ws'])
  const messages: Array<{ id?: string; type: string; payload?: unknown }> = []
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (event) => resolve(event.code)))
  const waiters: Array<() => void> = []
  ws.addEventListener('message', (event) => {
    messages.push(JSON.parse(String(event.data)) as { type: string })
    for (const wake of waiters.splice(0)) wake()
  })
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve())
    ws.addEventListener('error', () => reject(new Error('socket error')))
  })
  ws.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) }))
  const next = async (type: string) => {
    for (;;) {
      const found = messages.find((m) => m.type === type)
      if (found) return found
      const outcome = await Promise.race([
        new Promise<'message'>((resolve) => waiters.push(() => resolve('message'))),
        closed.then(() => 'closed' as const),
      ])
      if (outcome === 'closed') return undefined
    }
  }
  return { ws, next, closed, messages }
}

test('a browser-style WebSocket authenticates in connection_init; without any token nothing is subscribed', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  await hub.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = hub.app.server.address() as { port: number }
  const subscribe = {
    id: 'runs',
    type: 'subscribe',
    payload: { query: 'subscription { runFinished { runId } }' },
  }

  // token in the payload: acknowledged, and the subscription delivers
  const viewer = await hub.token('viewer')
  const good = await openSubscriptionSocket(port, { authorization: `Bearer ${viewer}` })
  t.ok(await good.next('connection_ack'), 'acknowledged')
  good.ws.send(JSON.stringify(subscribe))
  setTimeout(() => {
    hub.app.bus.publish('run.finished', {
      runId: 'r-9',
      mappingId: 'm-1',
      phase: 'apply',
      ...zeroCounts(),
      status: 'succeeded',
      at: new Date().toISOString(),
    })
  }, 300)
  const delivered = (await good.next('next')) as { payload?: { data?: { runFinished?: { runId: string } } } }
  t.equal(delivered?.payload?.data?.runFinished?.runId, 'r-9')
  good.ws.close()

  // a wrong token in the payload: refused ("Forbidden") and the socket is closed
  const bad = await openSubscriptionSocket(port, { authorization: 'Bearer not-a-token' })
  await bad.closed
  t.match(bad.messages, [{ type: 'connection_error', payload: { message: 'Forbidden' } }])
  t.notOk(
    bad.messages.some((m) => m.type === 'connection_ack'),
    'never acknowledged',
  )

  // no token anywhere: the connection is acknowledged, but a subscription is refused
  const anonymous = await openSubscriptionSocket(port)
  t.ok(await anonymous.next('connection_ack'))
  anonymous.ws.send(JSON.stringify(subscribe))
  const refused = (await anonymous.next('error')) as { payload?: Array<{ message: string }> }
  t.match(refused?.payload?.[0]?.message, /bearer token/)
  anonymous.ws.close()

  // plain HTTP to the same path still needs the header
  const http = await hub.inject(
    { method: 'POST', url: '/graphql', payload: { query: '{ connectors { name } }' } },
    null,
  )
  t.equal(http.statusCode, 401)
})
