// Aggregate API (docs/reference/servicenow.md §3.1): count as a string, group-by shape, avg/sum/min/max, having.
import { test } from 'tap'
import { basic, emulator, get } from './helpers.ts'

test('count, grouped stats and aggregates', async (t) => {
  const { url, instance } = await emulator(t)
  instance.data.bulkLoad('incident', [
    { short_description: 'a', priority: '1', category: 'software' },
    { short_description: 'b', priority: '3', category: 'software' },
    { short_description: 'c', priority: '2', category: 'hardware' },
    { short_description: 'd', priority: '4', category: 'network', active: 'false' },
  ])
  const count = await get(url, '/api/now/stats/incident?sysparm_count=true&sysparm_query=active=true')
  t.same(count.json, { result: { stats: { count: '3' } } })
  const v1 = await get(url, '/api/now/v1/stats/incident?sysparm_count=true')
  t.same(v1.json, { result: { stats: { count: '4' } } })

  const grouped = await get(
    url,
    '/api/now/stats/incident?sysparm_count=true&sysparm_group_by=category&sysparm_avg_fields=priority&sysparm_min_fields=priority&sysparm_max_fields=priority&sysparm_sum_fields=priority&sysparm_order_by=category',
  )
  t.same(grouped.json.result, [
    {
      stats: {
        count: '1',
        avg: { priority: '2.0000' },
        min: { priority: '2' },
        max: { priority: '2' },
        sum: { priority: '2' },
      },
      groupby_fields: [{ field: 'category', value: 'hardware' }],
    },
    {
      stats: {
        count: '1',
        avg: { priority: '4.0000' },
        min: { priority: '4' },
        max: { priority: '4' },
        sum: { priority: '4' },
      },
      groupby_fields: [{ field: 'category', value: 'network' }],
    },
    {
      stats: {
        count: '2',
        avg: { priority: '2.0000' },
        min: { priority: '1' },
        max: { priority: '3' },
        sum: { priority: '4' },
      },
      groupby_fields: [{ field: 'category', value: 'software' }],
    },
  ])
  const having = await get(
    url,
    '/api/now/stats/incident?sysparm_count=true&sysparm_group_by=category&sysparm_having=count^*^>^1',
  )
  t.same(having.json.result, [{ stats: { count: '2' }, groupby_fields: [{ field: 'category', value: 'software' }] }])
  const display = await get(
    url,
    '/api/now/stats/incident?sysparm_count=true&sysparm_group_by=priority&sysparm_display_value=true&sysparm_query=priority=1',
  )
  t.same(display.json.result[0].groupby_fields, [{ field: 'priority', value: '1', display_value: '1 - Critical' }])
  const bad = await get(url, '/api/now/stats/nope?sysparm_count=true')
  t.equal(bad.status, 400)
})

test('count over sys_id ranges, filters, classes of a hierarchy and row ACLs', async (t) => {
  const { url, instance } = await emulator(t, {
    seed: { relations: 300 },
    users: [{ userName: 'svc', password: 'p', roles: ['itil'] }],
  })
  const count = async (table: string, query?: string, auth?: string) =>
    Number(
      (
        await get(
          url,
          `/api/now/stats/${table}?sysparm_count=true${query ? `&sysparm_query=${encodeURIComponent(query)}` : ''}`,
          auth ? { auth } : {},
        )
      ).json.result.stats.count,
    )
  const ids = (await get(url, '/api/now/table/cmdb_rel_ci?sysparm_query=ORDERBYsys_id&sysparm_fields=sys_id,type')).json
    .result as Array<{ sys_id: string; type: string }>
  t.equal(await count('cmdb_rel_ci'), ids.length)
  const lo = ids[40]?.sys_id as string
  const hi = ids[250]?.sys_id as string
  t.equal(await count('cmdb_rel_ci', `sys_id>=${lo}^sys_id<${hi}`), 210)
  t.equal(await count('cmdb_rel_ci', `sys_id>${lo}`), ids.length - 41)
  t.equal(await count('cmdb_rel_ci', 'sys_id<ZZZ'), ids.length, 'a bound that is not a GUID goes to the evaluator')
  const type = ids[0]?.type as string
  const ofType = ids.slice(40, 250).filter((r) => r.type === type).length
  t.equal(await count('cmdb_rel_ci', `sys_id>=${lo}^sys_id<${hi}^type=${type}`), ofType, 'filter inside a range')

  // cmdb_ci_server rows share the cmdb_ci store with every other class
  const servers = instance.data.count('cmdb_ci_server')
  t.ok(servers > 0 && servers < instance.data.count('cmdb_ci'))
  t.equal(await count('cmdb_ci_server'), servers)
  t.equal(await count('cmdb_ci_server', `sys_id>=${'0'.repeat(32)}`), servers)

  instance.data.bulkLoad(
    'incident',
    Array.from({ length: 10 }, (_, i) => ({
      short_description: `acl ${i}`,
      category: i < 3 ? 'hardware' : 'software',
    })),
  )
  instance.acl.add({ table: 'incident', operation: 'read', roles: ['security_admin'], condition: 'category=hardware' })
  const mine = 'short_descriptionSTARTSWITHacl '
  t.equal(await count('incident', mine, basic('svc', 'p')), 7, 'rows a row ACL hides are not counted')
  t.equal(await count('incident', mine), 10)
})
