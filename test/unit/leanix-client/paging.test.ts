// Reading past the 15 000-edge cap of allFactSheets (docs/reference/leanix.md §3.1, §10.1): the read is split
// by a single-select facet (and "__missing__") until each slice fits, nothing is lost or
// repeated, and the cursor resumes where a page ended. The stub applies the cap to the whole
// traversal; a lower cap keeps the test small, the integration test uses the real one.
import { test, type Test } from 'tap'
import { LeanixClient } from '../../../connectors/leanix/client/client.ts'
import { makeApps, startPathfinderStub, type StubFactSheet } from './pathfinder-stub.ts'

const CRIT = ['missionCritical', 'businessCritical', 'businessOperational', 'administrativeService']
const TECH = ['inappropriate', 'unreasonable', 'adequate', 'fullyAppropriate']

async function setup(t: Test, factSheets: StubFactSheet[], cap = 50, beforePage?: (offset: number) => void) {
  const stub = await startPathfinderStub({ factSheets, cap, beforePage })
  t.teardown(() => stub.close())
  const client = new LeanixClient({
    instanceUrl: stub.url,
    apiToken: 'x',
    resultCap: cap,
    burst: 1000,
    requestsPerMinute: 600_000,
  })
  t.teardown(() => client.close())
  return { stub, client }
}

async function readAll(client: LeanixClient, options: { fields?: string[]; pageSize?: number; cursor?: string } = {}) {
  const ids: string[] = []
  let pages = 0
  for await (const page of client.readFactSheets('Application', { pageSize: 20, ...options })) {
    pages++
    ids.push(...page.records.map((r) => r.id))
  }
  return { ids, pages }
}

test('a type larger than the cap is read completely by splitting on a single-select field', async (t) => {
  const apps = makeApps(180, (i) => (i % 5 === 4 ? {} : { businessCriticality: CRIT[i % 4] }))
  const { client, stub } = await setup(t, apps)
  const { ids } = await readAll(client)
  t.equal(ids.length, 180, 'every fact sheet read')
  t.equal(new Set(ids).size, 180, 'none twice')
  const sliceFilters = stub.requests
    .filter((r) => r.body.includes('CrosswalkRead'))
    .map((r) => JSON.stringify((r.json().variables as { filter: unknown }).filter))
  t.ok(
    sliceFilters.some((f) => f.includes('__missing__')),
    'fact sheets without a value have their own slice',
  )
})

test('a slice still above the cap is split again on another field', async (t) => {
  const apps = makeApps(300, (i) => ({
    businessCriticality: i < 200 ? 'missionCritical' : CRIT[1 + (i % 3)],
    technicalSuitability: TECH[i % 4],
  }))
  const { client } = await setup(t, apps)
  const { ids } = await readAll(client)
  t.equal(new Set(ids).size, 300)
  t.equal(ids.length, 300)
})

test('when no field can split a slice under the cap the read fails loudly instead of losing data', async (t) => {
  const apps = makeApps(120, () => ({ businessCriticality: 'missionCritical', technicalSuitability: 'adequate' }))
  const { client } = await setup(t, apps)
  await t.rejects(readAll(client), { code: 'CW_LX_PARTITION_EXHAUSTED' })
})

test('below the cap there is one plain traversal and no split', async (t) => {
  const { client, stub } = await setup(t, makeApps(45))
  const { ids, pages } = await readAll(client)
  t.equal(ids.length, 45)
  t.equal(pages, 3)
  t.equal(stub.requests.filter((r) => r.body.includes('CrosswalkCount')).length, 0, 'no counting: the first page tells')
  t.equal(client.reader.stats.slices, 1)
})

test('the cursor of a page resumes the read exactly after it, across slices', async (t) => {
  const apps = makeApps(130, (i) => ({ businessCriticality: CRIT[i % 4] }))
  const { client } = await setup(t, apps)
  const first: string[] = []
  let cursor: string | null = null
  let n = 0
  for await (const page of client.readFactSheets('Application', { pageSize: 20 })) {
    first.push(...page.records.map((r) => r.id))
    cursor = page.cursor
    if (++n === 3) break
  }
  t.ok(cursor)
  const rest = await readAll(client, { cursor: cursor as string })
  const all = [...first, ...rest.ids]
  t.equal(all.length, 130)
  t.equal(new Set(all).size, 130)
})

test('pages are not snapshots: a fact sheet shifted into the next page is returned once', async (t) => {
  const apps = makeApps(30)
  let inserted = false
  const { client } = await setup(t, apps, 15_000, (offset) => {
    if (offset > 0 && !inserted) {
      inserted = true
      apps.unshift({ id: 'fs-new', type: 'Application', name: 'New', rev: 1, updatedAt: '2026-02-01T00:00:00Z' })
    }
  })
  const { ids } = await readAll(client)
  t.equal(ids.length, new Set(ids).size, 'no id twice')
  t.ok(ids.includes('fs-00029'))
})

test('a read asks only for the fields named, plus id, rev, updatedAt, status and external ids', async (t) => {
  const { client, stub } = await setup(t, makeApps(3))
  await readAll(client, { fields: ['businessCriticality', 'relApplicationToITComponent'] })
  const query = (stub.requests.find((r) => r.body.includes('CrosswalkRead'))?.json() as { query: string }).query
  for (const f of ['id', 'rev', 'updatedAt', 'status', 'businessCriticality', 'serviceNowExternalId { externalId']) {
    t.match(query, f)
  }
  t.match(query, /relApplicationToITComponent \{ edges \{ node \{ id activeFrom activeUntil description usageType/)
  t.notMatch(query, 'description ... on', 'no unrequested base field')
  t.notMatch(query, 'lifecycle')
  t.notMatch(query, 'technicalSuitability')
  t.notMatch(query, 'location', 'fields of unsupported data types are never selected')
})

test('an unknown field or type is refused with what exists', async (t) => {
  const { client } = await setup(t, makeApps(3))
  await t.rejects(readAll(client, { fields: ['nope'] }), { code: 'CW_LX_FIELD_UNKNOWN' })
  const it = client.readFactSheets('Nope', {})
  await t.rejects(it.next(), { code: 'CW_LX_UNKNOWN_TYPE', message: /Application, ITComponent/ })
})

test('a delta read returns what changed since the watermark, newest first, and stops there', async (t) => {
  const apps = makeApps(100)
  const { client, stub } = await setup(t, apps, 15_000)
  const since = apps[90]?.updatedAt as string
  const ids: string[] = []
  for await (const page of client.readFactSheets('Application', { since, pageSize: 4 }))
    ids.push(...page.records.map((r) => r.id))
  t.same(
    ids,
    apps
      .slice(90)
      .map((a) => a.id)
      .reverse(),
  )
  const reads = stub.requests.filter((r) => r.body.includes('CrosswalkRead'))
  t.equal(reads.length, 3, 'stops at the first page that reaches older fact sheets')
  t.same((reads[0]?.json().variables as { sort: unknown }).sort, [{ key: 'updatedAt', order: 'desc' }])
})

test('a delta larger than the cap falls back to a full, partitioned read', async (t) => {
  const apps = makeApps(130, (i) => ({ businessCriticality: CRIT[i % 4] }))
  const { client } = await setup(t, apps)
  const ids: string[] = []
  for await (const page of client.readFactSheets('Application', { since: '2000-01-01T00:00:00Z', pageSize: 20 })) {
    ids.push(...page.records.map((r) => r.id))
  }
  t.equal(ids.length, 130)
  t.equal(new Set(ids).size, 130)
})

test('the delta watermark is compared as an instant, whatever offset notation it uses', async (t) => {
  const apps = makeApps(100)
  const { client } = await setup(t, apps, 15_000)
  const ids: string[] = []
  for await (const page of client.readFactSheets('Application', { since: '2026-01-01T02:30:00+01:00', pageSize: 50 })) {
    ids.push(...page.records.map((r) => r.id))
  }
  t.equal(ids.length, 10, 'updated at or after 01:30Z')
})
