// "Is the integration healthy?" answered over REST (GET /api/v1/status, viewer role) and GraphQL
// (integrationStatus): connections with their last check, mappings with their last finished run,
// the SIM backlog by state with the age of its oldest open ticket; in a fixed number of queries,
// and with no secret in either answer.
import t, { type Test } from 'tap'
import { toSpec } from '../../../core/mapping/spec.ts'
import { zeroCounts } from '../../../core/sync/counts.ts'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { memoConnector } from '../../helpers/memo-connector.ts'
import { recordStatements } from '../../helpers/statements.ts'
import { gate, until } from '../../helpers/until.ts'
import { setTimeout as sleep } from 'node:timers/promises'

t.setTimeout(300_000)

const PASSWORD = 'status-secret-password-81f0'
const CLIENT_SECRET = 'status-client-secret-2b7d'
const settings = (password = PASSWORD) => ({
  url: 'https://memo.example.test',
  username: 'svc',
  password,
  auth: { clientId: 'cid', clientSecret: CLIENT_SECRET },
})

/** Two connections (one checked and working, one failing), two mappings, runs and SIM tickets. */
async function seeded(hub: TestApp) {
  const app = hub.hub
  const good = (await app.connections.create({ name: 'a good one', connector: 'memo', settings: settings() })).id
  const bad = (await app.connections.create({ name: 'b bad one', connector: 'memo', settings: settings('wrong') })).id
  const never = (await app.connections.create({ name: 'c never checked', connector: 'memo', settings: settings() })).id
  await app.connections.check(good, app.log)
  await app.connections.check(bad, app.log)
  const mapping = (name: string) =>
    app.mappings.create(
      toSpec({
        name,
        source: { connectionId: good, entity: 'Application' },
        target: { connectionId: bad, entity: 'cmdb_ci_business_app' },
        mode: 'strict',
        enabled: true,
        fields: [],
        relations: [],
      }),
      'test',
    )
  const synced = await mapping('m synced')
  const idle = await mapping('n idle')
  const run = await app.runs.create({ mappingId: synced.id, trigger: 'manual', dryRun: false, kind: 'full' })
  await app.runs.finish(run.id, 'WARNING', { ...zeroCounts(), read: 3, created: 2, unchanged: 1 }, 'read 3, created 2')
  // neither a plan nor a run that has not finished is the last run
  const plan = await app.runs.create({ mappingId: synced.id, trigger: 'plan', dryRun: true, kind: 'full' })
  await app.runs.finish(plan.id, 'OK', zeroCounts(), null)
  await app.runs.create({ mappingId: synced.id, trigger: 'schedule', dryRun: false, kind: 'full' })
  // SIM tickets: two open (one made two hours ago), three closed
  const tickets: Array<[string, string, string]> = [
    ['p1', 'queued', '2 hours'],
    ['p2', 'creating', '5 minutes'],
    ['p3', 'committed', '3 hours'],
    ['p4', 'committed', '1 minute'],
    ['p5', 'failed', '1 day'],
  ]
  for (const [id, state, age] of tickets) {
    await hub.db.query(
      `insert into idn_provisioning (correlation_id, integration_id, source_id, source_name, plan, state, ticket_type, created_at)
       values ($1, 'integration-1', 'source-1', 'Source', '{}', $2, 'incident', now() - $3::interval)`,
      [id, state, age],
    )
  }
  return { good, bad, never, synced, idle, run }
}

function assertNoSecret(t: Test, body: string) {
  for (const secret of [PASSWORD, CLIENT_SECRET]) t.notOk(body.includes(secret), 'no secret in the answer')
}

t.test('GET /api/v1/status: connections, last runs and the SIM backlog, for a viewer', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const ids = await seeded(hub)
  const viewer = await hub.token('viewer')
  const statements = recordStatements(t, hub.db)
  const res = await hub.inject('/api/v1/status', viewer)
  t.equal(res.statusCode, 200, res.body)
  assertNoSecret(t, res.body)
  const body = res.json()
  t.ok(Math.abs(Date.parse(body.generatedAt) - Date.now()) < 60_000, 'generatedAt is now')

  t.same(
    body.connections.map((c: { name: string }) => c.name),
    ['a good one', 'b bad one', 'c never checked'],
  )
  t.match(body.connections[0], {
    id: ids.good,
    connector: 'memo',
    health: { ok: true, code: null, trigger: 'manual', message: /reached/, lastOkAt: String },
  })
  t.ok(body.connections[0].health.latencyMs >= 0)
  t.match(body.connections[1], {
    id: ids.bad,
    health: { ok: false, code: 'CW_CONNECTION_CHECK_FAILED', message: 'login as svc was refused', lastOkAt: null },
  })
  t.same(body.connections[2].health, null, 'never checked')

  t.same(
    body.mappings.map((m: { name: string; enabled: boolean }) => [m.name, m.enabled]),
    [
      ['m synced', true],
      ['n idle', true],
    ],
  )
  t.match(body.mappings[0].lastRun, {
    id: ids.run.id,
    status: 'WARNING',
    dryRun: false,
    finishedAt: String,
    counts: { read: 3, created: 2, unchanged: 1 },
  })
  t.equal(body.mappings[1].lastRun, null, 'no run yet')

  t.match(body.sim, {
    tickets: { creating: 1, queued: 1, committed: 2, failed: 1, expired: 0 },
    open: 2,
    oldestOpenAt: String,
  })
  t.ok(
    body.sim.oldestOpenAgeSeconds >= 7200 && body.sim.oldestOpenAgeSeconds < 7200 + 600,
    `the oldest open ticket is two hours old (${body.sim.oldestOpenAgeSeconds} s)`,
  )
  // a fixed number of queries, whatever the number of records: connections (a page with its count,
  // and the names of their secrets), their health, mappings (a page and its count), last runs, tickets
  const reading = (table: string) => statements.filter((s) => new RegExp(`\\bfrom ${table}\\b`).test(s)).length
  t.equal(reading('connections'), 1, 'connections: one page with its count')
  t.equal(reading('connection_health'), 1, 'their health: one query')
  t.equal(reading('mappings'), 2, 'mappings: one page and its count')
  t.equal(reading('runs'), 1, 'last runs: one query')
  t.equal(reading('idn_provisioning'), 1, 'tickets: one query')
  t.notOk(
    statements.some((s) => /\bfrom secrets\b/.test(s) && /ciphertext|nonce/.test(s)),
    'no secret is read (only which ones are set)',
  )
})

t.test('integrationStatus over GraphQL, with loaders for health and last runs', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const ids = await seeded(hub)
  const viewer = await hub.token('viewer')
  const statements = recordStatements(t, hub.db)
  const res = await hub.inject(
    {
      method: 'POST',
      url: '/graphql',
      payload: {
        query: `{ integrationStatus {
          generatedAt
          connections { id name secretsSet connector { name } health { ok code message latencyMs trigger checkedAt lastOkAt } }
          mappings { name lastFinishedRun { id status finishedAt counts { read created } } lastRun { status } }
          sim { tickets { creating queued committed failed expired } open oldestOpenAt oldestOpenAgeSeconds }
        } }`,
      },
    },
    viewer,
  )
  t.equal(res.statusCode, 200, res.body)
  assertNoSecret(t, res.body)
  const { data, errors } = res.json()
  t.notOk(errors, JSON.stringify(errors))
  const status = data.integrationStatus
  t.same(
    status.connections.map((c: { name: string; health: { ok: boolean } | null }) => [c.name, c.health?.ok ?? null]),
    [
      ['a good one', true],
      ['b bad one', false],
      ['c never checked', null],
    ],
  )
  t.match(status.connections[1], {
    id: ids.bad,
    connector: { name: 'memo' },
    health: { code: 'CW_CONNECTION_CHECK_FAILED', trigger: 'manual' },
  })
  t.match(status.mappings[0], {
    name: 'm synced',
    lastFinishedRun: { id: ids.run.id, status: 'WARNING', counts: { read: 3, created: 2 } },
    lastRun: { status: 'QUEUED' },
  })
  t.equal(status.mappings[1].lastFinishedRun, null)
  t.match(status.sim, { tickets: { queued: 1, creating: 1, committed: 2, failed: 1, expired: 0 }, open: 2 })
  t.ok(status.sim.oldestOpenAgeSeconds >= 7200)
  t.equal(statements.filter((s) => s.includes('from connection_health')).length, 1, 'health: one query')
  t.equal(
    statements.filter((s) => s.includes('finished_at is not null')).length,
    1,
    'last finished runs: one query for every mapping',
  )
})

t.test('the status needs a token, and a viewer one is enough', async (t) => {
  const hub = await buildTestApp(t)
  t.equal((await hub.inject('/api/v1/status', null)).statusCode, 401)
  const empty = await hub.inject('/api/v1/status', await hub.token('viewer'))
  t.equal(empty.statusCode, 200)
  t.match(empty.json(), { connections: [], mappings: [], sim: { open: 0, oldestOpenAt: null } })
})

t.test('every caller shares one status read for up to a second; a change made here shows at once', async (t) => {
  const hub = await buildTestApp(t, { connectors: [memoConnector()] })
  const ids = await seeded(hub)
  const viewer = await hub.token('viewer')
  const statements = recordStatements(t, hub.db)
  const status = async () => (await hub.inject('/api/v1/status', viewer)).json()
  const graphql = async () =>
    (
      await hub.inject(
        {
          method: 'POST',
          url: '/graphql',
          payload: { query: '{ integrationStatus { generatedAt connections { name health { ok } } } }' },
        },
        viewer,
      )
    ).json()

  const first = await status()
  const read = statements.filter((s) => !s.includes('api_tokens')).length
  t.ok(read >= 6, `the first caller reads the status (${read} statements)`)
  // requests that come together share one read
  const together = await Promise.all([status(), status(), graphql(), graphql()])
  const second = statements.filter((s) => !s.includes('api_tokens')).length - read
  t.ok(second === 0 || second === read, `concurrent callers read it at most once more (${second} statements)`)
  t.equal(together[0].generatedAt, together[1].generatedAt, 'REST callers got the same snapshot')
  t.equal(together[2].data.integrationStatus.generatedAt, together[0].generatedAt, 'and GraphQL callers too')
  t.same(
    together[2].data.integrationStatus.connections.map((c: { name: string; health: { ok: boolean } | null }) => [
      c.name,
      c.health?.ok ?? null,
    ]),
    [
      ['a good one', true],
      ['b bad one', false],
      ['c never checked', null],
    ],
    'health over GraphQL comes from the snapshot',
  )
  t.equal(first.connections[2].health, null)

  // a check made through this instance drops the snapshot: the next caller sees it
  await hub.hub.connections.check(ids.never, hub.hub.log)
  const afterCheck = await status()
  t.equal(afterCheck.connections[2].health?.ok, true, 'the new check shows at once')
  // as does a run that finishes (the executor publishes run.finished as it ends one)
  const run = await hub.hub.runs.create({ mappingId: ids.idle.id, trigger: 'manual', dryRun: false, kind: 'full' })
  await hub.hub.runs.finish(run.id, 'OK', zeroCounts(), null)
  hub.hub.bus.publish('run.finished', {
    runId: run.id,
    mappingId: ids.idle.id,
    phase: 'done',
    ...zeroCounts(),
    status: 'OK',
    at: new Date().toISOString(),
  })
  const afterRun = await status()
  t.equal(afterRun.mappings[1].lastRun?.id, run.id, 'a finished run shows at once')

  // a change the bus does not carry (another instance's, here a ticket written to the store) shows
  // within a second
  await hub.db.query(
    `insert into idn_provisioning (correlation_id, integration_id, source_id, source_name, plan, state, ticket_type)
     values ('p9', 'integration-1', 'source-1', 'Source', '{}', 'queued', 'incident')`,
  )
  await until(async () => (await status()).sim.open === 3, 'the new ticket in the backlog', {
    timeoutMs: 3_000,
    everyMs: 100,
  })
})

t.test(
  'an aged snapshot is answered while the next is read; after a change, callers wait for the new one',
  async (t) => {
    const hub = await buildTestApp(t, { connectors: [memoConnector()] })
    const ids = await seeded(hub)
    const viewer = await hub.token('viewer')
    const status = async () => (await hub.inject('/api/v1/status', viewer)).json<{ generatedAt: string }>()
    const first = await status()

    // the next read is held up in the store
    const runs = hub.hub.runs
    const original = runs.lastFinishedByMappings.bind(runs)
    let held = gate()
    runs.lastFinishedByMappings = async (mappingIds) => {
      await held.promise
      return original(mappingIds)
    }
    t.teardown(() => {
      runs.lastFinishedByMappings = original
    })
    await sleep(1_100)
    // the held read never ends by itself, so an answer at all is one that did not wait for it; the
    // bound only turns a wait into a failure, and is wide so a loaded machine cannot trip it
    const aged = await Promise.race([status(), sleep(10_000).then(() => ({ generatedAt: 'still waiting' }))])
    t.equal(aged.generatedAt, first.generatedAt, 'aged: the last snapshot, at once')
    held.open()
    await until(async () => (await status()).generatedAt !== first.generatedAt, 'the new snapshot')

    // a change: the next caller waits for a read begun after it
    held = gate()
    await hub.hub.connections.check(ids.never, hub.hub.log)
    let answered = false
    const waiting = status().then((answer) => {
      answered = true
      return answer
    })
    await sleep(200)
    t.notOk(answered, 'not answered from the snapshot the change made stale')
    held.open()
    const after = await waiting
    t.ok(Date.parse(after.generatedAt) > Date.parse(first.generatedAt))
  },
)
