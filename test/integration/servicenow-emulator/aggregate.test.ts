// Aggregate API (reference §3.1): count as a string, group-by shape, avg/sum/min/max, having.
import { test } from 'tap'
import { emulator, get } from './helpers.ts'

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
