// Connection health is kept: every check (REST, GraphQL, the periodic one) stores when it ran,
// whether it worked, the code and message of a failure and its latency, and when the connection
// last worked. The periodic check is one queue job for every instance, scheduled by the config.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'
import { testStore } from '../../helpers/store.ts'
import { until } from '../../helpers/until.ts'
import { CHECK_QUEUE } from '../../../core/connections/periodic-checks.ts'
import type { Connector } from '../../../core/connector/contract.ts'

t.setTimeout(300_000)

const PASSWORD = 'health-check-password-5c1e'
const settings = { url: 'https://memo.example.test', username: 'svc', password: PASSWORD }

/** A connector whose failing check repeats its password, as a careless one might. */
function blabbingConnector(): Connector {
  const base = memoConnector('blab')
  return {
    ...base,
    async check(conn) {
      return { ok: false, message: `login refused for ${String(conn.settings.password)}` }
    },
  } as Connector
}

t.test('a check over REST or GraphQL keeps its outcome; a failure keeps the last time it worked', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const id = (await hub.hub.connections.create({ name: 'memo', connector: 'memo', settings })).id
  t.same(await hub.hub.connections.health.getMany([id]), new Map(), 'nothing before the first check')

  const passed = await hub.inject({ method: 'POST', url: `/api/v1/connections/${id}/check` })
  t.equal(passed.statusCode, 200, passed.body)
  t.notOk('code' in passed.json(), 'a passing check has no code')
  const first = (await hub.hub.connections.health.getMany([id])).get(id)
  t.match(first, { connectionId: id, ok: true, code: null, trigger: 'manual', message: /reached/ })
  t.ok(first && first.latencyMs >= 0 && first.lastOkAt === first.checkedAt, 'latency and last success kept')

  await hub.hub.connections.update(id, { settings: { password: 'wrong' } })
  const failed = await hub.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query: `mutation { checkConnection(id: "${id}") { ok code message } }` },
  })
  t.same(failed.json().data.checkConnection, {
    ok: false,
    code: 'CW_CONNECTION_CHECK_FAILED',
    message: 'login as svc was refused',
  })
  const second = (await hub.hub.connections.health.getMany([id])).get(id)
  t.match(second, { ok: false, code: 'CW_CONNECTION_CHECK_FAILED', message: 'login as svc was refused' })
  t.equal(second?.lastOkAt, first?.lastOkAt, 'the last success is kept through a failure')
  t.ok(Date.parse(second?.checkedAt ?? '') >= Date.parse(first?.checkedAt ?? ''), 'the check time moves on')

  await hub.hub.connections.delete(id)
  const { rows } = await hub.db.query('select * from connection_health where connection_id = $1', [id])
  t.same(rows, [], 'the health goes with its connection')
})

t.test('a connector that repeats a secret in its message: neither answered nor kept', async (t) => {
  const hub = await buildTestApp(t, { connectors: [blabbingConnector()] })
  const id = (await hub.hub.connections.create({ name: 'blab', connector: 'blab', settings })).id
  const res = await hub.inject({ method: 'POST', url: `/api/v1/connections/${id}/check` })
  t.equal(res.json().message, 'login refused for [secret]')
  t.notOk(res.body.includes(PASSWORD), 'not in the answer')
  const { rows } = await hub.db.query('select * from connection_health')
  t.notOk(JSON.stringify(rows).includes(PASSWORD), 'not in the store')
})

t.test('the periodic check: one job in the queue checks the connections that are due', async (t) => {
  const hub = await buildTestApp(t, {
    connectors: [memoConnector()],
    config: { connections: { checkIntervalMinutes: 1 }, queue: { pollingIntervalSeconds: 0.5 } },
  })
  const schedules = await hub.hub.queue.schedules(CHECK_QUEUE)
  t.match(schedules, [{ key: 'connections', cron: '* * * * *', data: { intervalSeconds: 60 } }], 'scheduled once')

  const old = (await hub.hub.connections.create({ name: 'old', connector: 'memo', settings })).id
  const fresh = (await hub.hub.connections.create({ name: 'fresh', connector: 'memo', settings })).id
  // made two minutes ago and never checked: due; the fresh one is not yet
  await hub.db.query(`update connections set created_at = now() - interval '2 minutes' where id = $1`, [old])
  await hub.hub.queue.send(CHECK_QUEUE, { intervalSeconds: 60 })
  await until(async () => (await hub.hub.connections.health.getMany([old])).has(old), 'the periodic check of "old"')
  const kept = (await hub.hub.connections.health.getMany([old, fresh])).get(old)
  t.match(kept, { ok: true, trigger: 'periodic', message: /reached/ })
  t.notOk((await hub.hub.connections.health.getMany([fresh])).has(fresh), 'a connection not yet due is left')

  // just checked: the next pass leaves it alone
  t.same(await hub.hub.connectionChecks.pass(60), { ok: 0, failed: 0 })
})

t.test('the periodic check keeps why a connection cannot be checked at all', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const id = (await hub.hub.connections.create({ name: 'orphan', connector: 'memo', settings })).id
  // a connector uninstalled since the connection was made
  await hub.db.query(`update connections set connector = 'uninstalled', created_at = now() - interval '1 hour'`)
  t.same(await hub.hub.connectionChecks.pass(300), { ok: 0, failed: 1 })
  t.match((await hub.hub.connections.health.getMany([id])).get(id), {
    ok: false,
    code: 'CW_CONNECTOR_NOT_FOUND',
    trigger: 'periodic',
    message: /uninstalled/,
  })
})

t.test('0 or off: no periodic checks, and the schedule an earlier start left is dropped', async (t) => {
  const db = await testStore(t)
  const masterKey = randomBytes(32).toString('base64')
  const first = await buildTestApp(t, { db, config: { masterKey } })
  t.equal((await first.hub.queue.schedules(CHECK_QUEUE)).length, 1, 'on by default')
  await first.app.close()
  const off = await buildTestApp(t, { db, config: { masterKey, connections: { checkIntervalMinutes: 'off' } } })
  t.same(await off.hub.queue.schedules(CHECK_QUEUE), [], 'dropped when off')
})
