// The ServiceNow client and connector against the in-process emulator: reads, deltas, writes,
// counts, discovery, catalog ordering, OAuth, check() messages, and recovery from the faults a
// real instance produces (5xx, 202, HTML pages, cancelled transactions, a response size cap).
import { test } from 'tap'
import { seedCsdm, startServiceNowEmulator } from '../../../connectors/servicenow/emulator/index.ts'
import type { StartOptions } from '../../../connectors/servicenow/emulator/index.ts'
import { ServiceNowClient, createServiceNowConnector } from '../../../connectors/servicenow/index.ts'
import type { ServiceNowClientOptions, ServiceNowSettings, SnRecord } from '../../../connectors/servicenow/index.ts'
import type { ConnectionContext, SourceRecord } from '../../../core/connector/contract.ts'

interface Teardown {
  teardown(fn: () => unknown): void
}

const NO_WAIT = { sleep: async () => {}, backoff: { maxAttempts: 4, baseMs: 1, capMs: 5_000 } }
const LOG = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

async function emulator(t: Teardown, options: StartOptions = {}) {
  const emu = await startServiceNowEmulator({ seed: { relations: 1200, seed: 7 }, ...options })
  t.teardown(() => emu.close())
  return emu
}

function client(t: Teardown, url: string, options: Partial<ServiceNowClientOptions> = {}) {
  const c = new ServiceNowClient({
    instanceUrl: url,
    allowHttp: true,
    auth: { kind: 'basic', username: 'admin', password: 'admin' },
    pageSize: 200,
    deltaSafetyLagSeconds: 1,
    ...NO_WAIT,
    ...options,
  })
  t.teardown(() => c.close())
  return c
}

async function readIds(c: ServiceNowClient, table: string, options: Parameters<ServiceNowClient['readTable']>[1] = {}) {
  const ids: string[] = []
  let watermark: string | null | undefined
  for await (const page of c.readTable(table, options)) {
    ids.push(...page.records.map((r: SnRecord) => r.sys_id))
    watermark = page.watermark
  }
  return { ids, watermark }
}

function connection(url: string, settings: Partial<ServiceNowSettings> = {}, secrets: Record<string, string> = {}) {
  return {
    id: 'conn-1',
    name: 'emulator',
    settings: {
      instanceUrl: url,
      allowHttp: true,
      authKind: 'basic',
      username: 'admin',
      ...settings,
    } as ServiceNowSettings,
    secrets: { password: 'admin', ...secrets },
    logger: LOG,
  } satisfies ConnectionContext<ServiceNowSettings>
}

test('a full read of cmdb_rel_ci returns every row once, serially and in partitions', async (t) => {
  const emu = await emulator(t)
  const c = client(t, emu.url)
  const total = await c.countRows('cmdb_rel_ci')
  t.equal(total, emu.instance.data.count('cmdb_rel_ci'))
  t.ok(total >= 1200)
  const serial = await readIds(c, 'cmdb_rel_ci', { fields: ['parent', 'child', 'type'], partitions: 1 })
  t.equal(serial.ids.length, total)
  t.equal(new Set(serial.ids).size, total)
  emu.instance.faults.add({ kind: 'slow-page', pathPrefix: '/api/now/table/cmdb_rel_ci', delayMs: 50 })
  const parallel = await readIds(c, 'cmdb_rel_ci', { fields: ['parent', 'child', 'type'], partitions: 4 })
  t.same([...parallel.ids].sort(), [...serial.ids].sort())
  const peak = emu.instance.concurrency.peak
  t.ok(peak > 1 && peak <= 4, `partitions in parallel, never more than the limit of 4 (peak ${peak})`)
})

test('the count honours an encoded query', async (t) => {
  const emu = await emulator(t)
  const c = client(t, emu.url)
  const typeId = '1a9cb166f1571100a92eb60da2bce5c5' // Depends on::Used by
  const { ids } = await readIds(c, 'cmdb_rel_ci', { filter: `type=${typeId}`, partitions: 1 })
  t.equal(await c.countRows('cmdb_rel_ci', `type=${typeId}`), ids.length)
})

test('a delta from the scan watermark returns exactly the rows changed since', async (t) => {
  // rows stamped a second behind the Date header (a transaction stamped when it starts, committed
  // a second later): past the one-second safety lag without waiting for it
  const emu = await emulator(t, { now: () => new Date(Date.now() - 1000) })
  // this client makes the changes itself: its deltas must not leave out its own writes
  const c = client(t, emu.url, { deltaSkipsOwnWrites: false })
  const scan = await readIds(c, 'cmdb_ci_server', { partitions: 1 })
  t.type(scan.watermark, 'string')
  const quiet = await readIds(c, 'cmdb_ci_server', { since: scan.watermark as string })
  t.same(quiet.ids, [], 'nothing changed')
  const changed = scan.ids.slice(0, 5)
  for (const id of changed) await c.updateRecord('cmdb_ci_server', id, { comments: 'touched' })
  const delta = await readIds(c, 'cmdb_ci_server', { since: scan.watermark as string })
  t.same([...delta.ids].sort(), [...changed].sort())
  const sameUser = client(t, emu.url)
  t.same(
    (await readIds(sameUser, 'cmdb_ci_server', { since: scan.watermark as string })).ids,
    [],
    "by default, a client's deltas leave out what its user changed (sys_updated_by)",
  )
  const after = await readIds(c, 'cmdb_ci_server', { since: delta.watermark as string })
  t.same(after.ids, [], 'the delta watermark moved past them')
})

test('reads survive 5xx, 202, HTML pages, cancelled transactions and dropped connections', async (t) => {
  const emu = await emulator(t)
  const c = client(t, emu.url)
  const path = '/api/now/table/cmdb_rel_ci'
  emu.instance.faults.add({ kind: 'server-error', pathPrefix: path, nth: 2, status: 503 })
  emu.instance.faults.add({ kind: 'accepted-no-body', pathPrefix: path, nth: 3 })
  emu.instance.faults.add({ kind: 'non-json', pathPrefix: path, nth: 4, body: 'hibernating' })
  emu.instance.faults.add({ kind: 'transaction-cancelled', pathPrefix: path, nth: 5 })
  emu.instance.faults.add({ kind: 'drop-connection', pathPrefix: path, nth: 6 })
  const { ids } = await readIds(c, 'cmdb_rel_ci', { partitions: 1 })
  t.equal(ids.length, emu.instance.data.count('cmdb_rel_ci'))
  t.equal(new Set(ids).size, ids.length)
  t.ok(
    emu.instance.faults.list().every((f) => f.fired === 1),
    'every fault fired',
  )
})

test('a response size cap makes the reader halve its pages until they fit', async (t) => {
  const emu = await emulator(t, { responsePayloadCap: 40_000 })
  const c = client(t, emu.url, { pageSize: 1000 })
  const { ids } = await readIds(c, 'cmdb_rel_ci', { partitions: 1 })
  t.equal(ids.length, emu.instance.data.count('cmdb_rel_ci'))
  const limits = emu.instance.requestLog
    .filter((r) => r.url.startsWith('/api/now/table/cmdb_rel_ci') && r.status === 200)
    .map((r) => Number(new URL(r.url, 'http://x').searchParams.get('sysparm_limit')))
  t.ok(limits.includes(500) && limits.at(-1) !== 1000, `pages shrank (${[...new Set(limits)].join(', ')})`)
})

test('connector write: create, update, delete with a result per record; idempotent create by correlation_id', async (t) => {
  const emu = await emulator(t)
  const connector = createServiceNowConnector({ clientOptions: NO_WAIT })
  t.teardown(() => connector.close())
  const conn = connection(emu.url)
  const created = await connector.write(conn, 'cmdb_ci_business_app', [
    { op: 'create', key: 'lx-1', values: { name: 'Payroll', correlation_id: 'lx-1' } },
    { op: 'create', key: 'lx-2', values: { name: 'Billing' } },
  ])
  t.ok(created.every((r) => r.ok && typeof r.id === 'string'))
  const [first, second] = created
  const results = await connector.write(conn, 'cmdb_ci_business_app', [
    { op: 'update', key: 'lx-1', id: first?.id as string, values: { short_description: 'pays people' } },
    { op: 'delete', key: 'lx-2', id: second?.id as string },
    { op: 'update', key: 'lx-3', values: {} },
    { op: 'update', key: 'lx-4', id: 'f'.repeat(32), values: { name: 'ghost' } },
  ])
  t.match(results, [
    { key: 'lx-1', ok: true },
    { key: 'lx-2', ok: true },
    { key: 'lx-3', ok: false, error: { code: 'CW_SN_CONFIG_INVALID' } },
    { key: 'lx-4', ok: false, error: { code: 'CW_SN_NOT_FOUND', retryable: false } },
  ])
  const c = connector.clientFor(conn)
  t.equal((await c.getRecord('cmdb_ci_business_app', first?.id as string))?.short_description, 'pays people')
  t.equal(await c.getRecord('cmdb_ci_business_app', second?.id as string), undefined)

  // a POST that failed with a 502 is resent only after looking the correlation value up
  emu.instance.faults.add({
    kind: 'server-error',
    pathPrefix: '/api/now/table/cmdb_ci_business_app',
    method: 'POST',
    status: 502,
  })
  const retried = await c.createRecord(
    'cmdb_ci_business_app',
    { name: 'HR' },
    { correlation: { field: 'correlation_id', value: 'lx-9' } },
  )
  t.equal(retried.reused, false)
  t.equal(await c.countRows('cmdb_ci_business_app', 'correlation_id=lx-9'), 1, 'created once')
  const again = await c.findRecord('cmdb_ci_business_app', 'correlation_id', 'lx-9')
  t.equal(again?.sys_id, retried.record.sys_id)
})

test('connector read maps records to the contract and matches() evaluates encoded queries locally', async (t) => {
  const emu = await emulator(t)
  const connector = createServiceNowConnector({ clientOptions: NO_WAIT })
  t.teardown(() => connector.close())
  const conn = connection(emu.url, { pageSize: 100 })
  const records: SourceRecord[] = []
  const filter = 'nameISNOTEMPTY^operational_status=1'
  for await (const page of connector.read(conn, 'cmdb_ci_server', {
    fields: ['name', 'operational_status'],
    filter,
  }) ?? []) {
    records.push(...page.records)
  }
  t.equal(records.length, await connector.clientFor(conn).countRows('cmdb_ci_server', filter))
  t.ok(records.length > 0)
  t.ok(records.every((r) => r.id === r.sys_id && typeof r.name === 'string'))
  t.ok(records.every((r) => connector.matches(filter, r)))
  const first = records[0] as SourceRecord
  t.ok(connector.matches(`name=${String(first.name)}`, first))
  t.notOk(connector.matches('name=nothing-like-this', first))
})

test('discover describes tables with inherited columns, references and choices', async (t) => {
  const emu = await emulator(t)
  const connector = createServiceNowConnector({ clientOptions: NO_WAIT })
  t.teardown(() => connector.close())
  const [server, rel] = await connector.discover(connection(emu.url, { tables: ['cmdb_ci_server', 'cmdb_rel_ci'] }))
  t.equal(server?.name, 'cmdb_ci_server')
  t.equal(server?.parent, 'cmdb_ci_computer')
  const fields = new Map(server?.fields.map((f) => [f.name, f]))
  t.ok(fields.has('name'), 'inherited from cmdb_ci')
  t.ok(fields.has('sys_id'))
  t.match(fields.get('manufacturer'), { type: 'reference', reference: 'core_company' })
  t.match(fields.get('install_status'), { type: 'choice' })
  t.ok((fields.get('install_status')?.choices?.length ?? 0) > 0)
  t.match(new Map(rel?.fields.map((f) => [f.name, f])).get('type'), { type: 'reference', reference: 'cmdb_rel_type' })
})

test('check() says what works and what to fix', async (t) => {
  const emu = await emulator(t, { users: [{ userName: 'reader', password: 'pw', roles: ['itil'] }] })
  emu.instance.acl.add({ table: 'cmdb_ci_business_app', operation: 'read', roles: ['cmdb_read'] })
  const connector = createServiceNowConnector({ clientOptions: NO_WAIT })
  t.teardown(() => connector.close())

  const good = await connector.check(connection(emu.url))
  t.match(good, { ok: true, message: /as user admin; it can read sys_db_object/ })

  const badPassword = await connector.check(connection(emu.url, {}, { password: 'wrong' }))
  t.match(badPassword, { ok: false, message: /refused user admin.*User Not Authenticated/ })

  const denied = await connector.check(
    connection(emu.url, { username: 'reader', tables: ['cmdb_ci_server', 'cmdb_ci_business_app'] }, { password: 'pw' }),
  )
  t.match(denied, { ok: false, message: /may not read cmdb_ci_business_app: give the user a role/ })
  t.same(denied.details?.readable, ['cmdb_ci_server'])

  const missing = await connector.check(connection(emu.url, { tables: ['u_no_such_table'] }))
  t.match(missing, { ok: false, message: /u_no_such_table does not exist/ })

  const insecure = await connector.check(connection(emu.url, { allowHttp: false }))
  t.match(insecure, { ok: false, message: /does not use https/ })

  const hibernating = await startServiceNowEmulator({})
  t.teardown(() => hibernating.close())
  hibernating.instance.faults.add({ kind: 'non-json', body: 'hibernating', times: 0 })
  const asleep = await connector.check(connection(hibernating.url))
  t.match(asleep, { ok: false, message: /hibernating/ })
})

test('OAuth password grant against the emulator', async (t) => {
  const emu = await emulator(t, {
    oauthClients: [{ clientId: 'crosswalk', clientSecret: 'shh', accessTokenLifespan: 1800 }],
  })
  const c = client(t, emu.url, {
    auth: {
      kind: 'oauth',
      grant: 'password',
      clientId: 'crosswalk',
      clientSecret: 'shh',
      username: 'admin',
      password: 'admin',
    },
  })
  t.ok((await c.countRows('cmdb_ci_server')) > 0)
  const wrong = client(t, emu.url, {
    auth: {
      kind: 'oauth',
      grant: 'password',
      clientId: 'crosswalk',
      clientSecret: 'nope',
      username: 'admin',
      password: 'admin',
    },
  })
  await t.rejects(wrong.countRows('cmdb_ci_server'), { code: 'CW_SN_OAUTH_FAILED' })
})

test('catalog ordering: order_now and the two-step cart', async (t) => {
  const emu = await startServiceNowEmulator({})
  t.teardown(() => emu.close())
  const summary = seedCsdm(emu.instance, { relations: 10 })
  const [itemSysId] = Object.values(summary.catalogItems)
  const c = client(t, emu.url)
  const order = await c.orderCatalogItem({
    itemSysId: itemSysId as string,
    requestedFor: summary.samples.userSysId,
    variables: { justification: 'IdentityNow access request' },
  })
  t.match(order, { requestNumber: /^REQ\d+/, table: 'sc_request' })
  t.ok(await c.getRecord('sc_request', order.requestId))

  const added = await c.addToCart({ itemSysId: itemSysId as string, quantity: 2 })
  t.type(added.cartId, 'string')
  const submitted = await c.submitCart()
  t.match(submitted, { requestNumber: /^REQ\d+/ })
  t.not(submitted.requestId, order.requestId)
  await t.rejects(c.orderCatalogItem({ itemSysId: itemSysId as string, quantity: 0 }), {
    code: 'CW_SN_CATALOG_ORDER_FAILED',
  })
})

test('rate-limit rules: the client waits what Retry-After says, and fails fast when it is too long', async (t) => {
  const emu = await emulator(t)
  emu.instance.rateLimits.add({
    allUsers: true,
    limit: 4,
    windowSeconds: 1,
    pathPrefix: '/api/now/table/cmdb_ci_server',
  })
  const waits: number[] = []
  const c = client(t, emu.url, {
    pageSize: 10,
    backoff: { maxAttempts: 6, baseMs: 1, capMs: 5_000 },
    sleep: async (ms) => {
      waits.push(ms)
      await new Promise((resolve) => setTimeout(resolve, ms))
    },
  })
  const { ids } = await readIds(c, 'cmdb_ci_server', { partitions: 1 })
  t.equal(ids.length, await c.countRows('cmdb_ci_server'))
  t.ok(ids.length > 40, 'enough pages to pass the limit')
  t.ok(waits.length > 0, 'it was rate-limited')
  t.ok(
    waits.every((w) => w >= 500 && w <= 1000), // own jitter with a 1 ms base would wait a few ms
    `every wait is what Retry-After asked for (${waits.join(', ')} ms)`,
  )

  emu.instance.rateLimits.add({ allUsers: true, limit: 1, windowSeconds: 3600, pathPrefix: '/api/now/table/sys_user' })
  await c.findRecord('sys_user', 'user_name', 'admin')
  const error = await c.findRecord('sys_user', 'user_name', 'admin').catch((e: unknown) => e)
  t.match(error, { code: 'CW_SN_RATE_LIMITED', httpStatus: 429, snMessage: 'Rate limit exceeded' })
})
