// Look-ups by reference (`parent=<sys_id>`, `childIN<sys_ids>`) and by update time
// (`sys_updated_on=<second>`) are answered from an index on the column, as a real instance answers them from its database index. The answers must be exactly
// those of a full scan: the same query with a second, empty ^NQ group is never indexed (two OR'd
// groups), so it reads every row and evaluates each.
import { test } from 'tap'
import { call, emulator, get } from './helpers.ts'

const NEVER = '^NQsys_id=00000000000000000000000000000000'

test('reference look-ups give the rows, order, pages and totals a scan gives, and follow writes', async (t) => {
  const { url } = await emulator(t, { seed: { seed: 7, relations: 3000 } })
  const page = async (query: string, offset = 0) => {
    const r = await get(
      url,
      `/api/now/table/cmdb_rel_ci?sysparm_query=${encodeURIComponent(query)}&sysparm_fields=sys_id,parent,child` +
        `&sysparm_limit=7&sysparm_offset=${offset}`,
    )
    t.equal(r.status, 200, r.text)
    return {
      ids: (r.json.result as Array<{ sys_id: string }>).map((x) => x.sys_id),
      total: r.headers.get('x-total-count'),
    }
  }
  const all = await get(url, '/api/now/table/cmdb_rel_ci?sysparm_fields=sys_id,type,parent,child&sysparm_limit=400')
  const rows = all.json.result as Array<{
    sys_id: string
    type: { value: string } | string
    parent: { value: string } | string
    child: { value: string } | string
  }>
  const valueOf = (v: { value: string } | string) => (typeof v === 'string' ? v : v.value)
  const parents = [...new Set(rows.map((r) => valueOf(r.parent)).filter(Boolean))].slice(0, 12)
  const children = [...new Set(rows.map((r) => valueOf(r.child)).filter(Boolean))].slice(0, 5)
  t.ok(parents.length >= 5 && children.length >= 5, 'the seed has relations to look up')

  const queries = [
    `parent=${parents[0]}^ORDERBYsys_id`,
    `parentIN${parents.join(',')}^ORDERBYsys_id`,
    `parentIN${parents.join(',')}^childIN${children.join(',')}`,
    `childIN${children.join(',')}^ORDERBYDESCsys_created_on`,
    `parentIN${parents.slice(0, 3).join(',')}^sys_id>${'8'.repeat(32)}^ORDERBYsys_id`,
    `parent=${parents[1]?.toUpperCase()}^ORDERBYsys_id`,
    // several indexable terms: the one with the fewest rows is taken, the others still apply
    `type=${valueOf(rows[0]?.type ?? '')}^childIN${children.join(',')}^ORDERBYsys_id`,
    `sys_idIN${rows
      .slice(0, 20)
      .map((r) => r.sys_id)
      .join(',')}^parentIN${parents.join(',')}^ORDERBYsys_id`,
    `sys_id=${rows[3]?.sys_id}^type=${valueOf(rows[0]?.type ?? '')}`,
  ]
  for (const query of queries) {
    for (const offset of [0, 7]) {
      const indexed = await page(query, offset)
      const scanned = await page(
        query.replace(/\^ORDERBY.*$/, '') + NEVER + (query.match(/\^ORDERBY.*$/)?.[0] ?? ''),
        offset,
      )
      if (query.includes('ORDERBY'))
        t.same(indexed.ids, scanned.ids, `${query} @${offset}: same rows in the same order`)
      else t.same(new Set(indexed.ids), new Set(scanned.ids), `${query} @${offset}: same rows`)
      t.equal(indexed.total, scanned.total, `${query}: same X-Total-Count`)
    }
  }

  // writes reach the index: a new relation, a moved one, a deleted one
  const created = await call(url, 'POST', '/api/now/table/cmdb_rel_ci', {
    body: { parent: parents[0], child: children[0] },
  })
  t.equal(created.status, 201, created.text)
  const newId = created.json.result.sys_id as string
  t.ok((await page(`parent=${parents[0]}^sys_id=${newId}`)).ids.includes(newId), 'a created row is found')
  await call(url, 'PATCH', `/api/now/table/cmdb_rel_ci/${newId}`, { body: { parent: parents[2] } })
  t.notOk((await page(`parent=${parents[0]}^sys_id=${newId}`)).ids.includes(newId), 'not under its old parent')
  t.ok((await page(`parent=${parents[2]}^sys_id=${newId}`)).ids.includes(newId), 'found under its new parent')
  await call(url, 'DELETE', `/api/now/table/cmdb_rel_ci/${newId}`)
  t.notOk((await page(`parent=${parents[2]}^sys_id=${newId}`)).ids.includes(newId), 'a deleted row is gone')
})

test('delta reads ordered by sys_updated_on give what a sort of every match gives, and follow writes', async (t) => {
  const { url } = await emulator(t, { seed: { seed: 7, relations: 500 } })
  const table = 'cmdb_ci_business_app'
  const page = async (query: string, offset = 0) => {
    const r = await get(
      url,
      `/api/now/table/${table}?sysparm_query=${encodeURIComponent(query)}&sysparm_fields=sys_id,sys_updated_on` +
        `&sysparm_limit=9&sysparm_offset=${offset}`,
    )
    t.equal(r.status, 200, r.text)
    return {
      ids: (r.json.result as Array<{ sys_id: string }>).map((x) => x.sys_id),
      total: r.headers.get('x-total-count'),
    }
  }
  const all = await get(
    url,
    `/api/now/table/${table}?sysparm_fields=sys_updated_on,sys_updated_by,name&sysparm_limit=1000`,
  )
  const seeded = all.json.result as Array<{ sys_updated_by: string; name: string }>
  const editor = seeded.find((r) => r.sys_updated_by)?.sys_updated_by as string
  const someName = seeded.find((r) => r.name)?.name as string
  t.ok(editor && someName, 'the seed has editors and names to leave out')
  const stamps = [
    ...new Set((all.json.result as Array<{ sys_updated_on: string }>).map((r) => r.sys_updated_on)),
  ].sort()
  t.ok(stamps.length >= 3, 'the seed has rows updated at different times')
  const mid = stamps[Math.floor(stamps.length / 2)] as string
  const compare = async (label: string) => {
    const queries = [
      `sys_updated_on>${mid}^ORDERBYsys_updated_on`,
      `sys_updated_on>=${mid}^ORDERBYsys_updated_on^ORDERBYsys_id`,
      `sys_updated_on=${mid}^ORDERBYsys_updated_on^ORDERBYsys_id`,
      `sys_updated_on>${stamps[0]}^sys_updated_on<=${mid}^ORDERBYsys_updated_on^ORDERBYsys_id`,
      `sys_updated_on>=${stamps[0]}^nameSTARTSWITHa^ORDERBYsys_updated_on`,
      // a delta's "rest of this second" pages, answered from the index on sys_updated_on
      `sys_updated_on=${mid}^ORDERBYsys_id`,
      `sys_updated_on=${mid}^sys_id>${'8'.repeat(32)}^ORDERBYsys_id`,
      `sys_updated_on=${mid}^sys_updated_on<=${stamps.at(-1)}^sys_updated_by!=crosswalk.hub^ORDERBYsys_id`,
      `sys_updated_onIN${stamps.slice(0, 3).join(',')}^ORDERBYsys_id`,
      // a delta leaving out one editor's writes: rows holding exactly that value are dropped
      // before the evaluator; other spellings still go through it
      `sys_updated_on>${stamps[0]}^sys_updated_by!=${editor}^ORDERBYsys_updated_on`,
      `sys_updated_by!=${editor.toUpperCase()}^ORDERBYsys_id`,
      `name!=${someName}^sys_updated_by!=nobody.at.all^ORDERBYsys_id`,
      `sys_updated_by!=${editor}^ORsys_updated_by=${editor}^ORDERBYsys_id`,
    ]
    for (const query of queries) {
      for (const offset of [0, 9]) {
        const [conditions, order] = [query.replace(/\^ORDERBY.*$/, ''), query.match(/\^ORDERBY.*$/)?.[0] ?? '']
        const ordered = await page(query, offset)
        const sorted = await page(conditions + NEVER + order, offset)
        t.same(ordered.ids, sorted.ids, `${label}: ${query} @${offset}: same rows in the same order`)
        t.equal(ordered.total, sorted.total, `${label}: ${query}: same X-Total-Count`)
      }
    }
  }
  await compare('as seeded')
  // an update moves a row to the end of the order; a create and a delete change the rows
  const [first] = (await get(url, `/api/now/table/${table}?sysparm_query=ORDERBYsys_updated_on&sysparm_limit=1`)).json
    .result as Array<{ sys_id: string }>
  await call(url, 'PATCH', `/api/now/table/${table}/${first?.sys_id}`, { body: { short_description: 'moved' } })
  await compare('after an update')
  const created = await call(url, 'POST', `/api/now/table/${table}`, { body: { name: 'a new app' } })
  t.equal(created.status, 201, created.text)
  const [gone] = (await page(`sys_updated_on>${mid}^ORDERBYsys_updated_on`)).ids
  await call(url, 'DELETE', `/api/now/table/${table}/${gone}`)
  await compare('after writes')
  const latest = await page(`sys_updated_on>=${mid}^ORDERBYsys_updated_on`, 0)
  const total = Number(latest.total)
  const tail = await page(`sys_updated_on>=${mid}^ORDERBYsys_updated_on`, Math.max(0, total - 9))
  t.ok(tail.ids.includes(first?.sys_id as string), 'the updated row comes among the latest')
  t.notOk(tail.ids.includes(gone as string), 'the deleted row is gone')
})
