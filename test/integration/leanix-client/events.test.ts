// Change events from the emulated LeanIX (docs/reference/leanix.md §5, §12): the connector manages its webhook
// subscription, takes PULL batches and commits the cursor after them, receives PUSH deliveries
// on the hub route with the secret header, and drops the events its own writes caused.
import { test, type Test } from 'tap'
import Fastify from 'fastify'
import type { AddressInfo } from 'node:net'
import { startLeanixEmulator, type LeanixEmulator } from '../../../connectors/leanix/emulator/index.ts'
import { createLeanixConnector, type LeanixConnector } from '../../../connectors/leanix/connector.ts'
import { leanixWebhookRoute } from '../../../connectors/leanix/webhook-route.ts'
import { LeanixEventInbox } from '../../../connectors/leanix/webhooks/inbox.ts'
import type { ChangeEvent, ConnectionContext } from '../../../core/connector/contract.ts'
import { until } from '../../helpers/until.ts'
import type { LeanixSettings } from '../../../connectors/leanix/settings.ts'

const logger = { debug() {}, info() {}, warn() {}, error() {} }

function connection(
  emu: LeanixEmulator,
  id: string,
  settings: Partial<LeanixSettings>,
  secrets: Record<string, string> = {},
) {
  return {
    id,
    name: id,
    settings: { instanceUrl: emu.url, allowHttp: true, ...settings } as LeanixSettings,
    secrets: { apiToken: emu.apiToken, ...secrets },
    logger,
  } satisfies ConnectionContext<LeanixSettings>
}

function applications(emu: LeanixEmulator, n: number): string[] {
  return [...emu.runtime.store.factSheets.values()]
    .filter((f) => f.type === 'Application' && f.status === 'ACTIVE')
    .slice(0, n)
    .map((f) => f.id)
}

/** writes a description as another technical user (the MEMBER), so the hub must see it */
async function humanEdit(t: Test, emu: LeanixEmulator, id: string, text: string) {
  const other = createLeanixConnector()
  t.teardown(() => other.close())
  const conn = { ...connection(emu, 'member', {}), secrets: { apiToken: emu.apiTokens.MEMBER as string } }
  const [r] = await other.write!(conn, 'Application', [{ op: 'update', key: 'x', id, values: { description: text } }])
  t.equal(r?.ok, true)
}

async function nextBatch(it: AsyncIterator<ChangeEvent[]>): Promise<ChangeEvent[]> {
  const r = await it.next()
  return r.done ? [] : r.value
}

test('PULL: own writes are dropped, others come in order, the cursor is committed after each batch', async (t) => {
  const emu = await startLeanixEmulator({ seed: { seed: 9, factSheets: 300 } })
  t.teardown(() => emu.close())
  const hub: LeanixConnector = createLeanixConnector()
  t.teardown(() => hub.close())
  const conn = connection(emu, 'pull', {
    webhookMode: 'pull',
    webhookIdentifier: 'crosswalk-pull',
    webhookPullTimeoutSeconds: 1,
  })
  const ac = new AbortController()
  t.teardown(() => ac.abort())
  const it = hub.events!(conn, { signal: ac.signal })[Symbol.asyncIterator]()
  const first = nextBatch(it)
  // the subscription exists once the iterator started; events after that are delivered
  await until(() => emu.runtime.webhooks.list({ identifier: 'crosswalk-pull' }).length === 1, 'the PULL subscription')
  const [a, b] = applications(emu, 2) as [string, string]
  await hub.write!(conn, 'Application', [
    { op: 'update', key: 'own', id: a, values: { description: 'hub wrote this' } },
  ])
  await humanEdit(t, emu, b, 'a person wrote this')
  const events = await first
  t.same(
    events.map((e) => [e.id, e.op, e.entity]),
    [[b, 'update', 'Application']],
    "only the other user's change",
  )
  t.ok(typeof events[0]?.sequence === 'number')
  const subs = emu.runtime.webhooks.list({ identifier: 'crosswalk-pull' })
  t.match(subs[0], { deliveryType: 'PULL' })

  // the next pull commits what the first returned: a second consumer would not see it again
  await humanEdit(t, emu, a, 'second change')
  const second = await nextBatch(it)
  t.same(
    second.map((e) => e.id),
    [a],
  )
  // the consumer has not come back for more: the second batch is not committed, the first is
  const subId = subs[0]?.id as string
  const pending = await hub.clientFor(conn).webhooks.pull(subId, 0)
  // payloadMode DEFAULT: the pulled event is the bare payload (no envelope)
  const pendingIds = pending.events.map((e) => (e.event as { factSheet?: { id?: string } }).factSheet?.id)
  t.ok(pendingIds.includes(a), 'second batch still pending')
  t.notOk(pendingIds.includes(b), 'first batch committed')
  ac.abort()
})

test('PUSH: deliveries reach the hub route with the secret and come out of events()', async (t) => {
  const emu = await startLeanixEmulator({ seed: { seed: 10, factSheets: 300 } })
  t.teardown(() => emu.close())
  const inbox = new LeanixEventInbox()
  const route = Fastify()
  await route.register(leanixWebhookRoute, {
    inbox,
    secretFor: (id) => (id === 'push' ? 'Bearer push-secret' : undefined),
  })
  await route.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => route.close())
  const target = `http://127.0.0.1:${(route.server.address() as AddressInfo).port}/webhooks/leanix/push`
  const hub = createLeanixConnector({ inbox })
  t.teardown(() => hub.close())
  const conn = connection(
    emu,
    'push',
    { webhookMode: 'push', webhookTargetUrl: target },
    { webhookSecret: 'Bearer push-secret' },
  )
  const ac = new AbortController()
  t.teardown(() => ac.abort())
  const it = hub.events!(conn, { signal: ac.signal })[Symbol.asyncIterator]()
  const first = nextBatch(it)
  await until(() => emu.runtime.webhooks.list({ identifier: 'crosswalk' }).length === 1, 'the PUSH subscription')
  const [a, b] = applications(emu, 2) as [string, string]
  await hub.write!(conn, 'Application', [{ op: 'update', key: 'own', id: a, values: { description: 'hub' } }])
  await humanEdit(t, emu, b, 'person')
  const events = await first
  t.same(
    events.map((e) => e.id),
    [b],
  )
  t.match(emu.runtime.webhooks.list({ identifier: 'crosswalk' })[0], { deliveryType: 'PUSH', targetUrl: target })
  ac.abort()
})
