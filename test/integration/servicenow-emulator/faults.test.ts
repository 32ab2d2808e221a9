// Switchable faults (docs/reference/servicenow.md §1.5, §1.6, §1.8), through the in-process handle and the admin API.
import { test } from 'tap'
import { call, emulator, get } from './helpers.ts'

test('5xx on the Nth request, then normal again', async (t) => {
  const { url, instance } = await emulator(t)
  instance.faults.add({ kind: 'server-error', nth: 2, status: 503 })
  t.equal((await get(url, '/api/now/table/incident')).status, 200)
  const failed = await get(url, '/api/now/table/incident')
  t.equal(failed.status, 503)
  t.equal(failed.json.status, 'failure')
  t.equal((await get(url, '/api/now/table/incident')).status, 200)
})

test('dropped connection: the client sees a network error', async (t) => {
  const { url, instance } = await emulator(t)
  instance.faults.add({ kind: 'drop-connection' })
  await t.rejects(fetch(`${url}/api/now/table/incident`, { headers: { accept: 'application/json' } }))
  t.equal((await get(url, '/api/now/table/incident')).status, 200)
})

test('202 without a body, HTML pages and truncated JSON', async (t) => {
  const { url, instance } = await emulator(t)
  instance.faults.add({ kind: 'accepted-no-body' })
  const accepted = await get(url, '/api/now/table/incident')
  t.equal(accepted.status, 202)
  t.equal(accepted.text, '')
  instance.faults.add({ kind: 'non-json', body: 'hibernating' })
  const hibernating = await get(url, '/api/now/table/incident')
  t.equal(hibernating.status, 200)
  t.match(hibernating.headers.get('content-type'), /text\/html/)
  t.match(hibernating.text, /Instance Hibernating page/)
  instance.faults.add({ kind: 'non-json', body: 'truncated-json' })
  const cut = await get(url, '/api/now/table/incident')
  t.equal(cut.json, undefined, 'not parseable')
  instance.faults.add({ kind: 'transaction-cancelled' })
  const cancelled = await get(url, '/api/now/table/incident')
  t.equal(cancelled.json.error.message, 'Transaction cancelled: maximum execution time exceeded')
})

test('unstable order without ORDERBY; ORDERBY stays stable', async (t) => {
  const { url, instance } = await emulator(t)
  instance.data.bulkLoad(
    'incident',
    Array.from({ length: 60 }, (_, i) => ({ short_description: `i${i}` })),
  )
  instance.faults.add({ kind: 'unstable-order' })
  const ids = async (q: string) =>
    (await get(url, `/api/now/table/incident?sysparm_fields=sys_id&sysparm_limit=60${q}`)).json.result
      .map((r: { sys_id: string }) => r.sys_id)
      .join()
  t.not(await ids(''), await ids(''), 'two unordered reads differ')
  t.equal(await ids('&sysparm_query=ORDERBYsys_id'), await ids('&sysparm_query=ORDERBYsys_id'))
})

test('rows change between pages: offset paging then misses or repeats rows', async (t) => {
  const { url, instance } = await emulator(t)
  instance.data.bulkLoad(
    'incident',
    Array.from({ length: 40 }, (_, i) => ({ short_description: `i${i}` })),
  )
  instance.faults.add({ kind: 'mutate-between-pages', table: 'incident', inserts: 5, deletes: 5 })
  const seen: string[] = []
  for (let offset = 0; offset < 40; offset += 10) {
    const r = await get(
      url,
      `/api/now/table/incident?sysparm_query=ORDERBYsys_id&sysparm_fields=sys_id&sysparm_limit=10&sysparm_offset=${offset}`,
    )
    seen.push(...r.json.result.map((x: { sys_id: string }) => x.sys_id))
  }
  const finalIds = new Set(
    (await get(url, '/api/now/table/incident?sysparm_fields=sys_id')).json.result.map(
      (x: { sys_id: string }) => x.sys_id,
    ),
  )
  t.equal(instance.data.count('incident'), 40, 'inserts and deletes balance')
  const exact = seen.length === finalIds.size && seen.every((id) => finalIds.has(id))
  t.notOk(exact, 'the pages do not add up to the table as it ends')
})

test('faults through the admin API', async (t) => {
  const { url } = await emulator(t)
  const added = await call(url, 'POST', '/emulator/admin/faults', {
    body: { kind: 'server-error', status: 502 },
    auth: null,
  })
  t.equal(added.status, 201)
  t.equal((await get(url, '/api/now/table/incident')).status, 502)
  t.equal((await call(url, 'GET', '/emulator/admin/faults', { auth: null })).json.faults.length, 1)
  await call(url, 'DELETE', '/emulator/admin/faults', { auth: null })
  t.equal((await call(url, 'GET', '/emulator/admin/faults', { auth: null })).json.faults.length, 0)
  const bad = await call(url, 'POST', '/emulator/admin/faults', { body: { kind: 'server-error', nth: 0 }, auth: null })
  t.equal(bad.status, 400)
  t.equal(bad.json.error.code, 'CW_SNEMU_FAULT_INVALID')
})

test('slow-page: an answer takes delayMs in all, never less, its own work included', async (t) => {
  const { url, instance } = await emulator(t)
  instance.data.bulkLoad(
    'incident',
    Array.from({ length: 200 }, (_, i) => ({ short_description: `i${i}` })),
  )
  instance.faults.add({ kind: 'slow-page', delayMs: 250, pathPrefix: '/api/now/table/incident' })
  for (const limit of [1, 200]) {
    const started = performance.now()
    const r = await get(url, `/api/now/table/incident?sysparm_limit=${limit}`)
    const took = performance.now() - started
    t.equal(r.status, 200)
    t.equal(r.json.result.length, limit)
    t.ok(took >= 250, `a page of ${limit} came after ${took.toFixed(1)} ms, not sooner than 250 ms`)
  }
})
