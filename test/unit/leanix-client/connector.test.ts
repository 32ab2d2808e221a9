// The connector contract over a stub LeanIX: check() messages a person can act on, read pages
// with cursor and watermark, write results per change, events (PULL with commit after the batch
// was taken, PUSH through the inbox), and the Fastify plugin registering into the registry.
import { test, type Test } from 'tap'
import Fastify from 'fastify'
import { createLeanixConnector } from '../../../connectors/leanix/connector.ts'
import { leanixConnectorPlugin } from '../../../connectors/leanix/plugin.ts'
import { ConnectorRegistry } from '../../../core/connector/registry.ts'
import type { ChangeEvent, ConnectionContext } from '../../../core/connector/contract.ts'
import type { LeanixSettings } from '../../../connectors/leanix/settings.ts'
import { startPathfinderStub, makeApps } from './pathfinder-stub.ts'
import { until } from '../../helpers/until.ts'
import {
  startStub,
  tokenReply,
  DATA_MODEL,
  TECH_USER_ID,
  WORKSPACE_ID,
  type StubReply,
  type StubRequest,
} from './stub-leanix.ts'

const logger = { debug() {}, info() {}, warn() {}, error() {} }

function conn(
  url: string,
  settings: Partial<LeanixSettings> = {},
  secrets: Record<string, string> = { apiToken: 'tok' },
) {
  return {
    id: 'conn-1',
    name: 'LeanIX',
    settings: { instanceUrl: url, allowHttp: true, ...settings } as LeanixSettings,
    secrets,
    logger,
  } satisfies ConnectionContext<LeanixSettings>
}

function lxStub(t: Test, extra: (r: StubRequest) => StubReply | undefined = () => undefined, role = 'ADMIN') {
  return startStub((r) => {
    const handled = extra(r)
    if (handled) return handled
    if (r.path.endsWith('/oauth2/token')) return tokenReply(undefined, role)
    if (r.path.endsWith('/models/dataModel')) return { body: DATA_MODEL }
    return { body: { data: { allFactSheets: { totalCount: 42 } } } }
  }).then((s) => {
    t.teardown(() => s.close())
    return s
  })
}

test('check: success names the user, workspace and what was found', async (t) => {
  const stub = await lxStub(t)
  const c = createLeanixConnector()
  t.teardown(() => c.close())
  const r = await c.check(conn(stub.url))
  t.equal(r.ok, true)
  t.match(r.message, /crosswalk-hub in workspace acme/)
  t.match(r.message, /2 fact sheet types, 42 fact sheets/)
  t.match(r.details, { workspaceId: WORKSPACE_ID, factSheetTypes: ['Application', 'ITComponent'] })
})

test('check: each failure says what to fix', async (t) => {
  const bad = await lxStub(t, (r) => (r.path.endsWith('/oauth2/token') ? { status: 401 } : undefined))
  const c = createLeanixConnector()
  t.teardown(() => c.close())
  t.match(await c.check(conn(bad.url)), { ok: false, message: /replace the technical user API token/ })

  const good = await lxStub(t)
  t.match(await c.check({ ...conn(good.url, { workspaceId: 'other-ws' }), id: 'c2' }), {
    ok: false,
    message: /belongs to workspace .* but the connection is set to workspace other-ws/,
  })
  t.match(await c.check({ ...conn(good.url, {}, {}), id: 'c3' }), { ok: false, message: /apiToken is missing/ })
  const sentBefore = good.requests.length
  const insecure = await c.check({ ...conn(good.url, { allowHttp: false }), id: 'c8' })
  t.match(insecure, { ok: false, message: /is not https: the API token would travel in clear text/ })
  t.equal(good.requests.length, sentBefore, 'nothing, the token least of all, was sent over http')
  t.match(await c.check({ ...conn(good.url, { webhookMode: 'push' }), id: 'c4' }), {
    ok: false,
    message: /needs webhookTargetUrl and webhookSecret/,
  })

  const member = await lxStub(t, () => undefined, 'MEMBER')
  t.match(await c.check({ ...conn(member.url, { webhookMode: 'pull' }), id: 'c7' }), {
    ok: false,
    message: /role MEMBER, but managing webhook subscriptions needs ADMIN/,
  })
  const viewer = await lxStub(t, () => undefined, 'VIEWER')
  t.match(await c.check({ ...conn(viewer.url), id: 'c5' }), {
    ok: true,
    message: /VIEWER: reads work, writes will be refused/,
  })

  const down = await startStub(() => ({ status: 503 }))
  await down.close()
  t.match(await c.check({ ...conn(down.url, { maxAttempts: 1, requestTimeoutMs: 500 }), id: 'c6' }), {
    ok: false,
    message: /Cannot reach LeanIX at .*check instanceUrl/,
  })
})

test('describes itself: settings schema with secrets marked and listed', async (t) => {
  const c = createLeanixConnector()
  t.same(c.secretFields, ['apiToken', 'webhookSecret'])
  const props = c.configSchema.properties as Record<string, { secret?: boolean }>
  t.equal(props.apiToken?.secret, true)
  t.equal(props.webhookSecret?.secret, true)
  t.equal(props.instanceUrl?.secret, undefined)
  t.same([...c.capabilities], ['discover', 'read', 'write', 'lookup', 'matches', 'events', 'emulator'])
})

test('read: pages carry a cursor, the last one a watermark; discover and matches work', async (t) => {
  const stub = await startPathfinderStub({
    factSheets: makeApps(25, (i) => ({ businessCriticality: i % 2 ? 'missionCritical' : undefined })),
    cap: 15_000,
  })
  t.teardown(() => stub.close())
  const c = createLeanixConnector()
  t.teardown(() => c.close())
  const cx = conn(stub.url, { pageSize: 10 })
  const pages = []
  for await (const p of c.read!(cx, 'Application', { fields: ['businessCriticality'] })) pages.push(p)
  t.same(
    pages.map((p) => p.records.length),
    [10, 10, 5],
  )
  t.ok(pages[0]?.cursor && pages[1]?.cursor)
  t.equal(pages[2]?.cursor, null)
  t.match(pages[2]?.watermark, /^\d{4}-\d\d-\d\dT/)
  const filter = JSON.stringify({ facetFilters: [{ facetKey: 'businessCriticality', keys: ['missionCritical'] }] })
  const filtered = []
  for await (const p of c.read!(cx, 'Application', { filter })) filtered.push(...p.records)
  t.equal(filtered.length, 12)
  t.ok(
    filtered.every((r) => c.matches!(filter, r)),
    'matches agrees with what LeanIX returned for the same filter',
  )
  const entities = await c.discover!(cx)
  t.ok(entities.find((e) => e.name === 'Application'))
})

test('write: contract changes map to LeanIX writes with rev and archive comment', async (t) => {
  const seen: Array<Record<string, unknown>> = []
  const stub = await startPathfinderStub({
    factSheets: makeApps(3),
    cap: 15_000,
    onMutation: (req) => {
      const { variables } = req.json() as { variables: Record<string, unknown> }
      seen.push(variables)
      return {
        body: {
          data: { m0: { factSheet: { id: 'fs-00001', rev: 5 } }, m1: { factSheet: { id: 'fs-00002', rev: 9 } } },
        },
      }
    },
  })
  t.teardown(() => stub.close())
  const c = createLeanixConnector()
  t.teardown(() => c.close())
  const results = await c.write!(conn(stub.url), 'Application', [
    { op: 'update', key: 'k1', id: 'fs-00001', revision: '4', values: { description: 'd' } },
    { op: 'delete', key: 'k2', id: 'fs-00002', values: { comment: 'not in ServiceNow (mapping apps)' } },
  ])
  t.same(results, [
    { key: 'k1', ok: true, id: 'fs-00001' },
    { key: 'k2', ok: true, id: 'fs-00002' },
  ])
  t.match(seen[0], { r0: 4, c1: 'not in ServiceNow (mapping apps)', p1: [{ path: '/status', value: 'ARCHIVED' }] })
})

function pulled(offset: number, type: string, userId: string, seq: number, fsId: string) {
  const factSheet = { id: fsId, type: 'Application' }
  return { cursor: { offset }, event: { id: offset, type, userId, transactionSequenceNumber: seq, factSheet } }
}

test('events (PULL): subscription ensured, own events dropped, cursor committed after the batch was taken', async (t) => {
  const log: string[] = []
  const autoCommit: Array<string | null> = []
  const batches = [
    {
      events: [
        pulled(1, 'FactSheetUpdatedEvent', 'human', 2, 'a'),
        pulled(2, 'FactSheetUpdatedEvent', TECH_USER_ID, 3, 'b'),
        pulled(3, 'FactSheetCreatedEvent', 'human', 1, 'c'),
      ],
      nextCursor: { offset: 4 },
    },
  ]
  const stub = await lxStub(t, (r) => {
    if (!r.path.startsWith('/services/webhooks/v1/subscriptions')) return undefined
    log.push(
      `${r.method} ${r.path.replace('/services/webhooks/v1/subscriptions', '')}${r.method === 'PUT' ? ` ${r.body}` : ''}`,
    )
    if (r.method === 'GET' && r.path.endsWith('/subscriptions')) return { body: { status: 'OK', data: [] } }
    if (r.method === 'POST') return { body: { status: 'OK', data: { ...r.json(), id: 'sub-1' } } }
    if (r.path.endsWith('/events')) {
      autoCommit.push(r.query.get('autoCommit'))
      const next = batches.shift()
      return {
        body: { status: 'OK', type: 'PullResult', data: next ?? { events: [], nextCursor: null } },
        delayMs: next ? 0 : 20,
      }
    }
    return { body: { status: 'OK' } }
  })
  const c = createLeanixConnector()
  t.teardown(() => c.close())
  const ac = new AbortController()
  const it = c.events!(conn(stub.url, { webhookMode: 'pull', webhookIdentifier: 'hub-1' }), { signal: ac.signal })[
    Symbol.asyncIterator
  ]()
  const first = await it.next()
  t.same(
    ((first.value ?? []) as ChangeEvent[]).map((e) => [e.id, e.op, e.sequence]),
    [
      ['c', 'create', 1],
      ['a', 'update', 2],
    ],
  )
  t.notOk(
    log.some((l) => l.startsWith('PUT')),
    'not committed before the consumer came back',
  )
  const created = stub.requests.find((r) => r.method === 'POST' && r.path.includes('/webhooks/'))?.json() as Record<
    string,
    unknown
  >
  t.match(created, { identifier: 'hub-1', deliveryType: 'PULL', workspaceId: WORKSPACE_ID })
  t.ok((created.tagSets as string[][]).some((s) => s[0] === 'pathfinder' && s[1] === 'FACT_SHEET_UPDATED'))
  const second = it.next()
  await until(() => log.some((l) => l.startsWith('PUT')), 'the subscription PUT')
  t.ok(log.includes('PUT /sub-1/cursor {"offset":4}'), 'committed once the batch was taken')
  ac.abort()
  await second.catch(() => undefined)
})

test('events (PUSH): subscription carries target and secret; deliveries come through the inbox', async (t) => {
  const stub = await lxStub(t, (r) => {
    if (!r.path.startsWith('/services/webhooks/v1/subscriptions')) return undefined
    if (r.method === 'GET')
      return { body: { status: 'OK', data: [{ id: 'sub-9', identifier: 'crosswalk', deliveryType: 'PULL' }] } }
    return { body: { status: 'OK', data: { ...r.json(), id: 'sub-9' } } }
  })
  const c = createLeanixConnector()
  t.teardown(() => c.close())
  const cx = conn(
    stub.url,
    { webhookMode: 'push', webhookTargetUrl: 'https://hub.example/webhooks/leanix/conn-1' },
    { apiToken: 'tok', webhookSecret: 'Bearer s' },
  )
  const ac = new AbortController()
  const it = c.events!(cx, { signal: ac.signal })[Symbol.asyncIterator]()
  const next = it.next()
  c.inbox.deliver('conn-1', [
    {
      id: 7,
      type: 'FactSheetArchivedEvent',
      fsType: 'Application',
      fsIdAndRev: { id: 'z', rev: 3 },
      transactionSequenceNumber: 9,
    },
  ])
  const got = await next
  t.same(
    ((got.value ?? []) as ChangeEvent[]).map((e) => [e.id, e.op]),
    [['z', 'delete']],
  )
  const put = stub.requests.find((r) => r.method === 'PUT')
  t.equal(
    put?.path,
    '/services/webhooks/v1/subscriptions/sub-9',
    'the existing subscription is updated, not duplicated',
  )
  t.match(put?.json(), {
    deliveryType: 'PUSH',
    targetUrl: 'https://hub.example/webhooks/leanix/conn-1',
    authorizationHeader: 'Bearer s',
  })
  ac.abort()
  t.equal((await it.next()).done, true)
})

test('the plugin registers the connector under its name', async (t) => {
  const app = Fastify()
  app.decorate('connectors', new ConnectorRegistry())
  await app.register(leanixConnectorPlugin)
  await app.ready()
  t.teardown(() => app.close())
  t.equal(app.connectors.get('leanix').title, 'SAP LeanIX')
})

test('the plugin can mount the webhook route on the connector inbox', async (t) => {
  const app = Fastify()
  app.decorate('connectors', new ConnectorRegistry())
  await app.register(leanixConnectorPlugin, { webhooks: { secretFor: () => 'Bearer s' } })
  await app.ready()
  t.teardown(() => app.close())
  const res = await app.inject({
    method: 'POST',
    url: '/webhooks/leanix/conn-1',
    headers: { authorization: 'Bearer s' },
    payload: { id: 1, type: 'FactSheetUpdatedEvent', factSheet: { id: 'a', type: 'Application' } },
  })
  t.equal(res.statusCode, 202)
  const connector = app.connectors.get('leanix') as unknown as { inbox: { pending(id: string): number } }
  t.equal(connector.inbox.pending('conn-1'), 1)
})
