// Reader contract on a scripted Table API: keyset scans (never offsets), only an empty page ends
// a scan, resumable cursors, parallel sys_id partitions within the concurrency limit, page size
// halving on truncated answers, and deltas on (sys_updated_on, sys_id) that neither skip nor
// repeat rows sharing a second.
import { getEventListeners } from 'node:events'
import { Value } from 'typebox/value'
import { test } from 'tap'
import { ServiceNowClient } from '../../../connectors/servicenow/client/client.ts'
import type { ServiceNowClientOptions } from '../../../connectors/servicenow/client/options.ts'
import type { SnRecord, TableReadOptions } from '../../../connectors/servicenow/client/table-read.ts'
import { decodeWatermark, encodeWatermark } from '../../../connectors/servicenow/client/cursor.ts'
import { ServiceNowSettingsSchema } from '../../../connectors/servicenow/settings.ts'
import type { Page } from '../../../core/connector/contract.ts'
import { until } from '../../helpers/until.ts'
import { FAST_BACKOFF, json, snError, startStub } from './stub-server.ts'
import type { Teardown } from './stub-server.ts'
import { hexId, stubTable } from './stub-table.ts'
import type { Row, TableHooks } from './stub-table.ts'

function makeRows(n: number, ts = '2024-05-01 10:00:00'): Row[] {
  return Array.from({ length: n }, (_, i) => ({ sys_id: hexId(i), name: `ci-${i}`, sys_updated_on: ts }))
}

async function setup(t: Teardown, rows: Row[], hooks: TableHooks = {}, options: Partial<ServiceNowClientOptions> = {}) {
  const table = stubTable(rows, hooks)
  const stub = await startStub(table.handler)
  const client = new ServiceNowClient({
    instanceUrl: stub.url,
    allowHttp: true,
    auth: { kind: 'basic', username: 'u', password: 'p' },
    backoff: FAST_BACKOFF,
    sleep: async () => {},
    pageSize: 100,
    deltaSafetyLagSeconds: 1,
    ...options,
  })
  t.teardown(async () => {
    await client.close()
    await stub.close()
  })
  return { table, stub, client }
}

async function readAll(client: ServiceNowClient, options: TableReadOptions = {}, stopAfter = Infinity) {
  const pages: Page<SnRecord>[] = []
  for await (const page of client.readTable('cmdb_ci', options)) {
    pages.push(page)
    if (pages.length >= stopAfter) break
  }
  return { pages, ids: pages.flatMap((p) => p.records.map((r) => r.sys_id)) }
}

test('a full scan pages by sys_id keyset with lean parameters and ends on an empty page', async (t) => {
  const rows = makeRows(250)
  const { client, table } = await setup(t, rows)
  const { pages, ids } = await readAll(client, { fields: ['name'], partitions: 1 })
  t.same([...ids].sort(), rows.map((r) => r.sys_id).sort(), 'every row once')
  t.equal(new Set(ids).size, ids.length)
  t.same(
    pages.map((p) => p.records.length),
    [100, 100, 50, 0],
  )
  t.equal(pages.at(-1)?.cursor, null)
  t.ok(pages.slice(0, -1).every((p) => typeof p.cursor === 'string'))
  const reads = table.pages.filter((r) => r.url.searchParams.get('sysparm_limit') === '100')
  t.equal(reads.length, 4)
  const first = reads[0]?.url.searchParams
  t.equal(first?.get('sysparm_query'), 'ORDERBYsys_id')
  t.equal(first?.get('sysparm_fields'), 'sys_id,sys_updated_on,name')
  t.equal(first?.get('sysparm_no_count'), 'true')
  t.equal(first?.get('sysparm_exclude_reference_link'), 'true')
  t.equal(first?.get('sysparm_suppress_pagination_header'), 'true')
  t.ok(
    reads.every((r) => !r.url.searchParams.has('sysparm_offset')),
    'never an offset',
  )
  const lastOfFirstPage = pages[0]?.records.at(-1)?.sys_id
  t.equal(reads[1]?.url.searchParams.get('sysparm_query'), `sys_id>${lastOfFirstPage}^ORDERBYsys_id`)
})

test('pages shortened by ACLs do not end the scan', async (t) => {
  const rows = makeRows(300)
  // the first 100 rows by sys_id are partly hidden, 30 rows after them too
  const sorted = rows.map((r) => r.sys_id).sort()
  const hiddenIds = new Set([...sorted.slice(0, 60), ...sorted.slice(150, 180)])
  const { client } = await setup(t, rows, { hidden: (r) => hiddenIds.has(r.sys_id) })
  const { ids, pages } = await readAll(client, { partitions: 1 })
  t.equal(ids.length, 300 - hiddenIds.size)
  t.equal(pages[0]?.records.length, 40, 'a short first page')
  t.same(
    [...ids].sort(),
    sorted.filter((id) => !hiddenIds.has(id)),
  )
})

test('a preview asks for pages of its own size, never above the page size', async (t) => {
  const { client, table } = await setup(t, makeRows(250))
  const { pages } = await readAll(client, { partitions: 1, pageSize: 5 }, 1)
  t.equal(pages[0]?.records.length, 5)
  // besides the clock probe (one row)
  const limits = table.pages.map((r) => r.url.searchParams.get('sysparm_limit')).filter((l) => l !== '1')
  t.ok(limits.length >= 1 && limits.every((l) => l === '5'), `pages of 5 rows (${limits.join(', ')})`)
  const big = await readAll(client, { partitions: 1, pageSize: 5000 }, 1)
  t.equal(big.pages[0]?.records.length, 100, 'a larger size than the connection allows is the connection size')
})

test('a cursor resumes after the page that handed it out', async (t) => {
  const rows = makeRows(230)
  const { client } = await setup(t, rows)
  const first = await readAll(client, { partitions: 1 }, 1)
  const cursor = first.pages[0]?.cursor
  t.type(cursor, 'string')
  const rest = await readAll(client, { cursor: cursor as string })
  const all = [...first.ids, ...rest.ids]
  t.equal(all.length, 230)
  t.equal(new Set(all).size, 230)
  t.equal(rest.pages[0]?.watermark, first.pages[0]?.watermark, 'the scan keeps its watermark')
})

test('rows inserted and deleted during a scan shift nothing (no offset drift)', async (t) => {
  const rows = makeRows(300)
  let page = 0
  const { client } = await setup(t, rows, {
    beforePage: (req) => {
      if (req.url.searchParams.get('sysparm_limit') === '1') return // the clock probe
      if (page++ !== 1) return
      // after the first page: delete 50 already-read rows and insert rows before the cursor
      const sorted = [...rows].sort((a, b) => (a.sys_id < b.sys_id ? -1 : 1))
      const readIds = new Set(sorted.slice(0, 50).map((r) => r.sys_id))
      for (let i = rows.length - 1; i >= 0; i--) if (readIds.has((rows[i] as Row).sys_id)) rows.splice(i, 1)
      for (let i = 0; i < 20; i++)
        rows.push({ sys_id: '0000' + String(i).padStart(28, '0'), name: 'new', sys_updated_on: '' })
    },
  })
  const original = makeRows(300).map((r) => r.sys_id)
  const { ids } = await readAll(client, { partitions: 1 })
  t.equal(new Set(ids).size, ids.length, 'no duplicates')
  t.same([...ids].sort(), [...original].sort(), 'every original row exactly once')
})

test('a filter with ^NQ keeps its meaning when the keyset is added', async (t) => {
  const rows = makeRows(120).map((r, i) => ({ ...r, name: i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c' }))
  const { client, table } = await setup(t, rows, {}, { pageSize: 10 })
  const { ids } = await readAll(client, { filter: 'name=a^NQname=b^ORDERBYname', partitions: 1 })
  t.equal(ids.length, 80)
  t.ok(ids.every((id) => rows.find((r) => r.sys_id === id)?.name !== 'c'))
  const second = table.pages.find((r) => r.url.searchParams.get('sysparm_query')?.includes('sys_id>'))
  t.match(
    second?.url.searchParams.get('sysparm_query'),
    /^name=a\^sys_id>[0-9a-f]+\^NQname=b\^sys_id>[0-9a-f]+\^ORDERBYsys_id$/,
  )
})

test('an unsafe or malformed filter is refused before any request', async (t) => {
  const { client, table } = await setup(t, makeRows(5))
  await t.rejects(readAll(client, { filter: 'nameFOO', partitions: 1 }), { code: 'CW_SN_QUERY_INVALID' })
  await t.rejects(readAll(client, { fields: ['name,sys_id'], partitions: 1 }), { code: 'CW_SN_INVALID_FIELD_NAME' })
  t.equal(table.pages.length, 0)
})

test('a truncated answer halves the page size until it fits', async (t) => {
  const rows = makeRows(120)
  const { client, table } = await setup(
    t,
    rows,
    {
      intercept: (_req, res, limit) => {
        if (limit <= 30) return false // (the clock probe asks for 1)
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"result":[{"sys_id":"0001","name":"cut off')
        return true
      },
    },
    { pageSize: 100, minPageSize: 10 },
  )
  const { ids } = await readAll(client, { partitions: 1 })
  t.equal(ids.length, 120)
  t.same(
    table.pages.slice(1, 4).map((r) => r.url.searchParams.get('sysparm_limit')),
    ['100', '50', '25'],
  )
})

test('a page that stays too large at the minimum size fails with the cause', async (t) => {
  const { client } = await setup(
    t,
    makeRows(10),
    {
      intercept: (_req, res, limit) => {
        if (limit === 1) return false // the clock probe
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"result":[')
        return true
      },
    },
    { pageSize: 40, minPageSize: 10 },
  )
  await t.rejects(readAll(client, { partitions: 1 }), { code: 'CW_SN_NOT_JSON', message: /truncated JSON/ })
})

test('a large table is read in parallel sys_id partitions, within the concurrency limit', async (t) => {
  const rows = makeRows(2000)
  const { client, table } = await setup(
    t,
    rows,
    { delayMs: 5 },
    { concurrency: 3, partitionThreshold: 1000, pageSize: 100 },
  )
  const { ids, pages } = await readAll(client)
  t.equal(ids.length, 2000)
  t.equal(new Set(ids).size, 2000)
  t.ok(table.maxInFlight <= 3, `at most 3 requests at once (saw ${table.maxInFlight})`)
  t.equal(table.maxInFlight, 3, 'partitions do run in parallel')
  const queries = table.pages.map((r) => r.url.searchParams.get('sysparm_query') ?? '')
  t.ok(
    queries.some((q) => q.startsWith('sys_id<55555555')),
    'first partition bounded above',
  )
  t.ok(
    queries.some((q) => q.startsWith('sys_id>=aaaaaaaa')),
    'last partition bounded below',
  )
  t.equal(pages.filter((p) => p.cursor === null).length, 1, 'one final page')
})

test('a count slower than countTimeoutMs is taken for a large table: the scan goes ahead in partitions', async (t) => {
  const rows = makeRows(300)
  const { client, table } = await setup(
    t,
    rows,
    { statsDelayMs: 400 },
    { concurrency: 3, partitionThreshold: 1000, pageSize: 100, countTimeoutMs: 20 },
  )
  const { ids } = await readAll(client)
  t.equal(ids.length, 300)
  t.equal(new Set(ids).size, 300)
  const queries = table.pages.map((r) => r.url.searchParams.get('sysparm_query') ?? '')
  t.ok(
    queries.some((q) => q.startsWith('sys_id>=aaaaaaaa')),
    'read in 3 partitions although the table is under the threshold',
  )
})

test('a count that fails (no access to stats) leaves a full scan in one partition', async (t) => {
  const rows = makeRows(300)
  const { client, table } = await setup(
    t,
    rows,
    { statsForbidden: true },
    { concurrency: 3, partitionThreshold: 10, pageSize: 100 },
  )
  const { ids } = await readAll(client)
  t.equal(ids.length, 300)
  const queries = table.pages.map((r) => r.url.searchParams.get('sysparm_query') ?? '')
  t.notOk(
    queries.some((q) => q.includes('sys_id<')),
    'no partition bounds',
  )
})

test('a partitioned scan resumes from its cursor without repeats', async (t) => {
  const rows = makeRows(1500)
  const { client } = await setup(t, rows, {}, { concurrency: 4, partitionThreshold: 1000, pageSize: 100 })
  const first = await readAll(client, {}, 6)
  const rest = await readAll(client, { cursor: first.pages.at(-1)?.cursor as string })
  const all = [...first.ids, ...rest.ids]
  t.equal(new Set(all).size, 1500)
  t.equal(all.length, 1500)
})

test('deltas read rows sharing one second across page boundaries exactly once', async (t) => {
  const rows: Row[] = [
    ...makeRows(5, '2024-05-01 10:00:00'),
    ...makeRows(7, '2024-05-01 10:00:05').map((r, i) => ({ ...r, sys_id: hexId(100 + i) })),
    ...makeRows(3, '2024-05-01 10:00:09').map((r, i) => ({ ...r, sys_id: hexId(200 + i) })),
  ]
  let serverTime = new Date('2024-05-01T10:00:20Z')
  const { client } = await setup(t, rows, { date: () => serverTime }, { pageSize: 2 })
  await client.probeTable('cmdb_ci') // learns the instance clock
  const scan = await readAll(client, { partitions: 1 })
  t.equal(scan.ids.length, 15)
  const since = (await readAll(client, { partitions: 1 })).pages[0]?.watermark as string
  t.type(since, 'string')

  // from a watermark in the middle of the 10:00:05 second
  const same = rows
    .filter((r) => r.sys_updated_on === '2024-05-01 10:00:05')
    .sort((a, b) => (a.sys_id < b.sys_id ? -1 : 1))
  const mid = same[2] as Row
  const watermark = Buffer.from(JSON.stringify({ v: 1, w: { ts: '2024-05-01 10:00:05', id: mid.sys_id } })).toString(
    'base64url',
  )
  const delta = await readAll(client, { since: watermark })
  const expected = [...same.slice(3), ...rows.filter((r) => r.sys_updated_on === '2024-05-01 10:00:09')].map(
    (r) => r.sys_id,
  )
  t.same([...delta.ids].sort(), [...expected].sort(), 'the rest of the second, then later seconds')
  t.equal(new Set(delta.ids).size, delta.ids.length)

  // nothing changed: the next delta is empty; then one row changes
  const end = delta.pages.at(-1)?.watermark as string
  t.same((await readAll(client, { since: end })).ids, [])
  const changed = rows[0] as Row
  // an update lands after the delta that read up to 10:00:19
  changed.sys_updated_on = '2024-05-01 10:00:25'
  serverTime = new Date('2024-05-01T10:00:30Z')
  await client.probeTable('cmdb_ci')
  const next = await readAll(client, { since: end })
  t.same(next.ids, [changed.sys_id], 'the changed row, once')
})

test('deltas stop at the server time minus the safety lag', async (t) => {
  const now = Date.now()
  const glide = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
  const rows: Row[] = [
    { sys_id: hexId(1), name: 'old', sys_updated_on: glide(now - 600_000) },
    { sys_id: hexId(2), name: 'settled', sys_updated_on: glide(now - 300_000) },
    { sys_id: hexId(3), name: 'in flight', sys_updated_on: glide(now - 5_000) },
  ]
  const { client, table } = await setup(t, rows, {}, { deltaSafetyLagSeconds: 120 })
  const since = Buffer.from(JSON.stringify({ v: 1, w: { ts: glide(now - 400_000), id: '' } })).toString('base64url')
  const { ids, pages } = await readAll(client, { since })
  t.same(ids, [hexId(2)])
  t.ok(table.pages.some((r) => /sys_updated_on<=/.test(r.url.searchParams.get('sysparm_query') ?? '')))
  t.equal(pages.at(-1)?.cursor, null)
})

test('a foreign cursor is refused', async (t) => {
  const { client } = await setup(t, makeRows(1))
  await t.rejects(readAll(client, { cursor: 'bm90IG91cnM' }), { code: 'CW_SN_BAD_CURSOR' })
  await t.rejects(readAll(client, { since: Buffer.from('{"v":1,"w":{"ts":"x","id":""}}').toString('base64url') }), {
    code: 'CW_SN_BAD_CURSOR',
  })
})

test("aborting the caller's signal stops a partitioned read with its reason, requests in flight included", async (t) => {
  const rows = makeRows(2000)
  const { client, table } = await setup(t, rows, { delayMs: 200 }, { concurrency: 4, pageSize: 100 })
  const controller = new AbortController()
  const reason = new Error('sync cancelled')
  const pages: Page<SnRecord>[] = []
  const reading = (async () => {
    for await (const page of client.readTable('cmdb_ci', { partitions: 4, signal: controller.signal })) {
      pages.push(page)
      if (pages.length === 1) controller.abort(reason)
    }
  })()
  await t.rejects(reading, reason)
  t.equal(pages.length, 1, 'no page after the abort')
  // the requests in flight at the abort end on the server's side; none is sent after them
  await until(() => table.inFlight === 0, 'the requests in flight at the abort to be answered')
  // 4 first pages, at most one more per partition in flight at the abort; a full read takes 24
  t.ok(table.pages.length <= 8, `the read stopped (${table.pages.length} requests answered)`)
})

test('a request aborted through its signal rejects with the reason, and so does any later one with that signal', async (t) => {
  const { client } = await setup(t, makeRows(10), { delayMs: 300 })
  const controller = new AbortController()
  const reason = new Error('shutting down')
  const inFlight = client.request({
    method: 'GET',
    path: '/api/now/table/cmdb_ci',
    idempotent: true,
    signal: controller.signal,
  })
  setTimeout(() => controller.abort(reason), 20)
  await t.rejects(inFlight, reason, 'the request in flight is aborted')
  await t.rejects(
    client.request({ method: 'GET', path: '/api/now/table/cmdb_ci', idempotent: true, signal: controller.signal }),
    reason,
    'a later request with the same signal fails at once',
  )
  const other = await client.request({ method: 'GET', path: '/api/now/table/cmdb_ci', idempotent: true })
  t.equal(other.status, 200, 'requests without that signal go on')
})

test('a long-lived caller signal carries no abort listener once its requests are done', async (t) => {
  const { client } = await setup(t, makeRows(1500), {}, { concurrency: 4, pageSize: 100 })
  const signal = new AbortController().signal
  const { ids } = await readAll(client, { partitions: 4, signal })
  t.equal(ids.length, 1500)
  await client.request({ method: 'GET', path: '/api/now/table/cmdb_ci', idempotent: true, signal })
  t.equal(getEventListeners(signal, 'abort').length, 0)
})

test('a 429 with Retry-After holds every partition until the pause ends, not only the one refused', async (t) => {
  let now = Date.parse('2024-05-01T10:00:00Z')
  const parked: Array<{ ms: number; wake: () => void }> = []
  let refusedAt: number | undefined
  const rows = makeRows(2000)
  const { client, table } = await setup(
    t,
    rows,
    {
      intercept: (req, res, limit) => {
        if (limit !== 100 || refusedAt !== undefined) return false
        refusedAt = table.pages.indexOf(req)
        snError(res, 429, 'Too Many Requests', 'Rate limit exceeded', { 'retry-after': '30' })
        return true
      },
    },
    {
      concurrency: 4,
      partitionThreshold: 1000,
      pageSize: 100,
      backoff: { ...FAST_BACKOFF, capMs: 60_000 },
      clock: () => now,
      sleep: (ms) => new Promise((wake) => parked.push({ ms, wake })),
    },
  )
  const reading = readAll(client)
  // every partition waits for the pause (or, without a shared pause, the others read on)
  await until(() => parked.length === 4 || table.pages.length >= 20, 'the partitions to stop or read on')
  const duringPause = table.pages.length - 1 - (refusedAt as number)
  t.ok(duringPause <= 3, `only requests already in flight reached the instance during the pause (${duringPause})`)
  t.same(
    parked.map((p) => p.ms),
    [30_000, 30_000, 30_000, 30_000],
    'each waits out the 30 s',
  )
  now += 30_000
  for (const p of parked.splice(0)) p.wake()
  const { ids } = await reading
  t.equal(new Set(ids).size, 2000, 'then the read goes on, every row once')
})

test('a delta whose watermark is in a second still open reads that second later, not now', async (t) => {
  let serverTime = new Date('2024-05-01T10:00:30Z')
  const open = '2024-05-01 10:00:30'
  const rows: Row[] = [{ sys_id: hexId(50), name: 'written in the open second', sys_updated_on: open }]
  const { client, table } = await setup(t, rows, { date: () => serverTime }, { deltaSafetyLagSeconds: 1 })
  await client.probeTable('cmdb_ci') // learns the instance clock: 10:00:30, so deltas end at 10:00:29
  const since = encodeWatermark({ ts: open, id: '' })
  const now = await readAll(client, { since })
  t.same(now.ids, [], 'nothing of the open second yet')
  const sameSecond = table.pages.find((r) => r.url.searchParams.get('sysparm_query')?.startsWith('sys_updated_on='))
  t.equal(
    sameSecond?.url.searchParams.get('sysparm_query'),
    `sys_updated_on=${open}^sys_updated_on<=2024-05-01 10:00:29^sys_updated_by!=u^ORDERBYsys_id`,
    'the rest of the watermark second is bounded at the end of the delta',
  )
  // a transaction that started in that second commits later, with a lower sys_id
  rows.push({ sys_id: hexId(7), name: 'committed later in the same second', sys_updated_on: open })
  serverTime = new Date('2024-05-01T10:00:40Z')
  await client.probeTable('cmdb_ci')
  const later = await readAll(client, { since: now.pages.at(-1)?.watermark as string })
  t.same([...later.ids].sort(), [hexId(50), hexId(7)].sort(), 'both rows of the second, once it is over')
})

test('the safety lag is at least one second, in the settings and in the client', async (t) => {
  const serverTime = new Date('2024-05-01T10:00:30Z')
  const rows: Row[] = [{ sys_id: hexId(1), name: 'this very second', sys_updated_on: '2024-05-01 10:00:30' }]
  const { client } = await setup(t, rows, { date: () => serverTime }, { deltaSafetyLagSeconds: 0 })
  await client.probeTable('cmdb_ci')
  const delta = await readAll(client, { since: encodeWatermark({ ts: '2024-05-01 10:00:00', id: '' }) })
  t.same(delta.ids, [], 'a lag of 0 is read as 1: the current second is not read while it is open')
  const settings = { instanceUrl: 'https://x.service-now.com', authKind: 'basic', deltaSafetyLagSeconds: 0 }
  t.ok(
    Value.Errors(ServiceNowSettingsSchema, settings).some((e) => e.instancePath === '/deltaSafetyLagSeconds'),
    'a connection cannot be set to 0',
  )
  t.match(ServiceNowSettingsSchema.properties.deltaSafetyLagSeconds, { description: /still being written/ })
})

test('the clock probe of a delta is an ordered list request', async (t) => {
  const { client, table } = await setup(t, makeRows(3))
  await readAll(client, { since: encodeWatermark({ ts: '2024-05-01 09:00:00', id: '' }) })
  const probe = table.pages.find((r) => r.url.searchParams.get('sysparm_limit') === '1')
  t.equal(probe?.url.searchParams.get('sysparm_query'), 'ORDERBYsys_id')
})

test('the partition count does not swallow refused credentials: the read fails at once', async (t) => {
  const stub = await startStub((_req, res) =>
    snError(res, 401, 'User Not Authenticated', 'Required to provide Auth information'),
  )
  const client = new ServiceNowClient({
    instanceUrl: stub.url,
    allowHttp: true,
    auth: { kind: 'basic', username: 'u', password: 'wrong' },
    backoff: FAST_BACKOFF,
    sleep: async () => {},
  })
  t.teardown(async () => {
    await client.close()
    await stub.close()
  })
  await t.rejects(readAll(client), { code: 'CW_SN_AUTH_FAILED' })
  t.equal(stub.requests.length, 1, 'one request (the count), not another read after it')

  // OAuth: a refused client secret costs one token request per read, not one for the count and one for the read
  const tokens = await startStub((_req, res) =>
    json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' }),
  )
  const oauth = new ServiceNowClient({
    instanceUrl: tokens.url,
    allowHttp: true,
    auth: { kind: 'oauth', grant: 'client_credentials', clientId: 'c', clientSecret: 'wrong' },
    backoff: FAST_BACKOFF,
    sleep: async () => {},
  })
  t.teardown(async () => {
    await oauth.close()
    await tokens.close()
  })
  await t.rejects(readAll(oauth), { code: 'CW_SN_OAUTH_FAILED' })
  t.same(
    tokens.requests.map((r) => r.url.pathname),
    ['/oauth_token.do'],
  )
})

test("deltas leave out the client's own writes, and one that finds nothing moves on to where it read up to", async (t) => {
  const now = Date.now()
  const glide = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
  const rows: Row[] = [
    { sys_id: hexId(1), name: 'by the hub', sys_updated_on: glide(now - 300_000), sys_updated_by: 'u' },
    { sys_id: hexId(2), name: 'by a person', sys_updated_on: glide(now - 200_000), sys_updated_by: 'someone' },
    { sys_id: hexId(3), name: 'by the hub, later', sys_updated_on: glide(now - 100_000), sys_updated_by: 'u' },
  ]
  const { client, table } = await setup(t, rows)
  const since = encodeWatermark({ ts: glide(now - 400_000), id: '' })
  const delta = await readAll(client, { since })
  t.same(delta.ids, [hexId(2)], "the hub's own writes are left out")
  const deltaQueries = table.pages
    .map((r) => r.url.searchParams.get('sysparm_query') ?? '')
    .filter((q) => q.includes('sys_updated_on'))
  t.ok(deltaQueries.length > 0)
  t.ok(
    deltaQueries.every((q) => q.includes('sys_updated_by!=u')),
    'every delta request says so (the configured user name)',
  )
  const end = decodeWatermark(delta.pages.at(-1)?.watermark as string)
  t.ok(end.ts > glide(now - 100_000), "the watermark moved past the hub's later write, to the end of what was read")
  t.ok(end.ts <= glide(now), 'and not beyond the server time')

  const { client: everything } = await setup(t, rows, {}, { deltaSkipsOwnWrites: false })
  t.same(
    (await readAll(everything, { since })).ids.sort(),
    [hexId(1), hexId(2), hexId(3)].sort(),
    'switched off, a delta reads every change',
  )
})
