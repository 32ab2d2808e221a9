// Paging contract (docs/reference/servicenow.md §1.2, §1.4, §1.8): default limit 10000, X-Total-Count, the Link
// header format, sysparm_no_count, sysparm_suppress_pagination_header, offset and keyset paging.
import { test } from 'tap'
import { emulator, get } from './helpers.ts'

const seedIncidents = (instance: Awaited<ReturnType<typeof emulator>>['instance'], n: number) =>
  instance.data.bulkLoad(
    'incident',
    Array.from({ length: n }, (_, i) => ({ short_description: `incident ${i}` })),
  )

test('X-Total-Count and the Link header (first, prev, next, last; no spaces; params echoed)', async (t) => {
  const { url, instance } = await emulator(t, { baseUrl: 'https://acme.service-now.com' })
  seedIncidents(instance, 73)
  const r = await get(url, '/api/now/table/incident?sysparm_query=active=true&sysparm_limit=10&sysparm_offset=20')
  t.equal(r.headers.get('x-total-count'), '73')
  const link = r.headers.get('link') ?? ''
  const base = 'https://acme.service-now.com/api/now/table/incident?sysparm_query=active%3Dtrue'
  t.equal(
    link,
    [
      `<${base}&sysparm_limit=10&sysparm_offset=0>;rel="first"`,
      `<${base}&sysparm_limit=10&sysparm_offset=10>;rel="prev"`,
      `<${base}&sysparm_limit=10&sysparm_offset=30>;rel="next"`,
      `<${base}&sysparm_limit=10&sysparm_offset=70>;rel="last"`,
    ].join(','),
  )
  const last = await get(url, '/api/now/table/incident?sysparm_limit=10&sysparm_offset=70')
  t.equal(last.json.result.length, 3)
  t.notMatch(last.headers.get('link') ?? '', /rel="next"/, 'no next on the last page')
  const first = await get(url, '/api/now/table/incident?sysparm_limit=1')
  t.match(first.headers.get('link') ?? '', /sysparm_offset=-1>;rel="prev"/, 'observed quirk: negative prev on page one')
})

test('sysparm_no_count drops X-Total-Count; sysparm_suppress_pagination_header drops Link', async (t) => {
  const { url, instance } = await emulator(t)
  seedIncidents(instance, 5)
  const r = await get(
    url,
    '/api/now/table/incident?sysparm_limit=2&sysparm_no_count=true&sysparm_suppress_pagination_header=true',
  )
  t.equal(r.headers.get('x-total-count'), null)
  t.equal(r.headers.get('link'), null)
  t.equal(r.json.result.length, 2)
})

test('default page size is 10000', async (t) => {
  const { url, instance } = await emulator(t)
  seedIncidents(instance, 10_050)
  const r = await get(url, '/api/now/table/incident?sysparm_fields=sys_id')
  t.equal(r.json.result.length, 10_000)
  t.equal(r.headers.get('x-total-count'), '10050')
})

test('offset paging with ORDERBYsys_id and keyset paging return every row exactly once', async (t) => {
  const { url, instance } = await emulator(t)
  seedIncidents(instance, 257)
  const all = new Set<string>()
  for (let offset = 0; ; offset += 50) {
    const r = await get(
      url,
      `/api/now/table/incident?sysparm_query=ORDERBYsys_id&sysparm_fields=sys_id&sysparm_limit=50&sysparm_offset=${offset}`,
    )
    for (const row of r.json.result) all.add(row.sys_id)
    if (!/rel="next"/.test(r.headers.get('link') ?? '')) break
  }
  t.equal(all.size, 257)

  const keyset: string[] = []
  let cursor = ''
  for (;;) {
    const q = encodeURIComponent(`${cursor ? `sys_id>${cursor}^` : ''}ORDERBYsys_id`)
    const r = await get(
      url,
      `/api/now/table/incident?sysparm_query=${q}&sysparm_fields=sys_id&sysparm_limit=100&sysparm_no_count=true`,
    )
    const ids = r.json.result.map((row: { sys_id: string }) => row.sys_id)
    if (ids.length === 0) break
    keyset.push(...ids)
    cursor = ids[ids.length - 1]
  }
  t.equal(keyset.length, 257)
  t.same(keyset, [...keyset].sort(), 'ascending sys_id order')
  t.same(new Set(keyset), all)
})

test('ORDERBY / ORDERBYDESC order the answer', async (t) => {
  const { url, instance } = await emulator(t)
  for (const p of ['3', '1', '2']) instance.data.insert('incident', { short_description: `p${p}`, priority: p })
  const asc = await get(url, '/api/now/table/incident?sysparm_query=ORDERBYpriority&sysparm_fields=priority')
  t.same(
    asc.json.result.map((r: { priority: string }) => r.priority),
    ['1', '2', '3'],
  )
  const desc = await get(url, '/api/now/table/incident?sysparm_query=ORDERBYDESCpriority&sysparm_fields=priority')
  t.same(
    desc.json.result.map((r: { priority: string }) => r.priority),
    ['3', '2', '1'],
  )
})

test('sys_id ranges (partitioned keyset scans) return exactly the rows between their bounds', async (t) => {
  const { url, instance } = await emulator(t)
  seedIncidents(instance, 257)
  const rows = (
    await get(
      url,
      '/api/now/table/incident?sysparm_query=ORDERBYsys_id&sysparm_fields=sys_id,short_description&sysparm_no_count=true',
    )
  ).json.result as Array<{ sys_id: string; short_description: string }>
  const ids = rows.map((row) => row.sys_id)
  t.equal(ids.length, 257)
  const lo = ids[50] as string
  const hi = ids[200] as string
  const read = async (query: string, limit = 1000) => {
    const q = encodeURIComponent(query)
    const r = await get(url, `/api/now/table/incident?sysparm_query=${q}&sysparm_fields=sys_id&sysparm_limit=${limit}`)
    return {
      ids: r.json.result.map((row: { sys_id: string }) => row.sys_id) as string[],
      total: Number(r.headers.get('x-total-count')),
    }
  }
  t.same(await read(`sys_id>=${lo}^sys_id<${hi}^ORDERBYsys_id`), { ids: ids.slice(50, 200), total: 150 })
  t.same(await read(`sys_id>${lo}^sys_id<=${hi}^ORDERBYsys_id`), { ids: ids.slice(51, 201), total: 150 })
  t.same(await read(`sys_id<${lo}^ORDERBYsys_id`, 10), { ids: ids.slice(0, 10), total: 50 }, 'upper bound alone')
  t.same(await read(`sys_id>=${hi}^sys_id<${lo}^ORDERBYsys_id`), { ids: [], total: 0 }, 'crossed bounds')
  t.same(await read(`sys_id>${ids[256]}^sys_id<${'f'.repeat(32)}`), { ids: [], total: 0 }, 'past the end')

  const endsIn1or3 = (row: { short_description: string }) => /[13]$/.test(row.short_description)
  const expected = rows
    .slice(50, 200)
    .filter(endsIn1or3)
    .map((row) => row.sys_id)
  t.ok(expected.length > 0)
  const filtered = await read(
    `sys_id>=${lo}^sys_id<${hi}^short_descriptionENDSWITH1^ORshort_descriptionENDSWITH3^ORDERBYsys_id`,
  )
  t.same(filtered, { ids: expected, total: expected.length }, 'other conditions still apply inside the range')
  t.same(
    await read('sys_id<ZZZ^ORDERBYsys_id'),
    { ids, total: 257 },
    'a bound that is not a GUID is compared like the evaluator does (case folded)',
  )
  const afterB = ids.filter((id) => id > 'b')
  t.ok(afterB.length > 0 && afterB.length < ids.length)
  t.same(
    await read('sys_id>B^ORDERBYsys_id'),
    { ids: afterB, total: afterB.length },
    'a lower bound that is not a GUID is compared like the evaluator does (case folded)',
  )
  const either = await read(`sys_id<${lo}^NQsys_id>=${hi}^ORDERBYsys_id`)
  t.same(either.ids, [...ids.slice(0, 50), ...ids.slice(200)], 'ORed groups are not taken as one range')
})
