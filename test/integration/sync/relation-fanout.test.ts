// A record with thousands of relations (an IT component installed under thousands of
// applications): the relation pass applies and commits them in runs of at most
// MAX_RELATIONS_AT_ONCE staged relations, cutting a page of links between records, so its memory
// follows that bound; every relation is still made, once, and a second run finds nothing to do.
import { test } from 'tap'
import type { Change, SourceRecord } from '../../../core/connector/contract.ts'
import { MAX_RELATIONS_AT_ONCE } from '../../../core/sync/relations.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { memoConnector, memoStore } from '../../helpers/memo-connector.ts'
import { until } from '../../helpers/until.ts'

const settings = { url: 'https://memo.example', username: 'u', password: 'p', pageSize: 500 }
const HUBS = 3
// each hub relates to more than half the bound: no two hubs fit in one run
const LEAVES_PER_HUB = Math.floor(MAX_RELATIONS_AT_ONCE / 2) + 100

test('relations of high fan-out are written in runs of at most the bound, each once', async (t) => {
  const leaves: SourceRecord[] = []
  const hubs: SourceRecord[] = []
  for (let h = 0; h < HUBS; h++) {
    const mine: string[] = []
    for (let l = 0; l < LEAVES_PER_HUB; l++) {
      const id = `leaf-${h}-${String(l).padStart(5, '0')}`
      leaves.push({ id, name: id, peers: '' })
      mine.push(id)
    }
    hubs.push({ id: `hub-${h}`, name: `hub-${h}`, peers: mine.join(',') })
  }
  const fields = [
    { name: 'name', type: 'string' as const },
    { name: 'peers', type: 'list' as const, reference: 'thing' },
  ]
  const src = memoStore([{ name: 'thing', fields }], { thing: [...hubs, ...leaves] })
  const dst = memoStore([
    {
      name: 'item',
      fields: [
        { name: 'name', type: 'string' },
        { name: 'peers', type: 'list', reference: 'item' },
        { name: 'correlation_id', type: 'string' },
      ],
    },
  ])
  const plain = memoConnector('memoplain', { store: dst })
  const relationWrites: number[] = []
  const counting = {
    ...plain,
    async write(conn: Parameters<NonNullable<typeof plain.write>>[0], entity: string, changes: Change[]) {
      const relations = changes.filter((c) => c.op === 'update' && 'peers' in (c.values ?? {}))
      if (relations.length > 0)
        relationWrites.push(
          relations.reduce(
            (n, c) =>
              n +
              String(c.values?.peers ?? '')
                .split(',')
                .filter(Boolean).length,
            0,
          ),
        )
      return (plain.write as NonNullable<typeof plain.write>)(conn, entity, changes)
    },
  }
  const hub = await buildTestApp(t, {
    config: { queue: { pollingIntervalSeconds: 0.5 }, sync: { schedules: false } },
    connectors: [memoConnector('memosource', { store: src }), counting],
  })
  const srcId = (await hub.hub.connections.create({ name: 'source', connector: 'memosource', settings })).id
  const dstId = (await hub.hub.connections.create({ name: 'target', connector: 'memoplain', settings })).id
  const saved = await hub.inject({
    method: 'POST',
    url: '/api/v1/mappings',
    payload: {
      name: 'things',
      source: { connectionId: srcId, entity: 'thing' },
      target: { connectionId: dstId, entity: 'item' },
      mode: 'conservative',
      fields: [{ type: 'field', source: 'name', target: 'name' }],
      relations: [
        {
          otherMapping: 'things',
          source: { kind: 'field', field: 'peers' },
          target: { kind: 'field', field: 'peers' },
        },
      ],
      schedule: { cron: null },
    },
  })
  t.equal(saved.statusCode, 201, saved.body)
  const mappingId = saved.json().id as string

  const runToEnd = async () => {
    const started = await hub.inject({ method: 'POST', url: `/api/v1/mappings/${mappingId}/runs`, payload: {} })
    t.equal(started.statusCode, 202, started.body)
    let run: { status: string; message: string | null; counts: Record<string, number> } | undefined
    await until(async () => {
      run = (await hub.inject(`/api/v1/runs/${started.json().id}`)).json()
      return ['OK', 'WARNING', 'ERROR', 'CANCELLED'].includes(run?.status ?? '')
    }, 'the run to finish')
    return run as NonNullable<typeof run>
  }

  const first = await runToEnd()
  t.equal(first.status, 'OK', first.message ?? '')
  t.equal(first.counts.relationsCreated, HUBS * LEAVES_PER_HUB, 'every relation made')
  t.equal(relationWrites.length, HUBS, 'one relation write per hub: no two fit under the bound')
  t.ok(
    relationWrites.every((n) => n <= MAX_RELATIONS_AT_ONCE),
    'no write carries more relations than the bound',
  )

  // each target hub holds exactly the targets of its own leaves
  const items = dst.records.get('item') ?? []
  const targetOf = new Map(items.map((i) => [String(i.name), i.id]))
  for (const source of hubs) {
    const item = items.find((i) => i.name === source.name)
    const expected = String(source.peers)
      .split(',')
      .map((leaf) => targetOf.get(leaf))
      .sort()
    t.same(
      String(item?.peers ?? '')
        .split(',')
        .sort(),
      expected,
      `${String(source.name)} holds its leaves`,
    )
  }

  const second = await runToEnd()
  t.equal(second.status, 'OK', second.message ?? '')
  t.equal(second.counts.relationsCreated ?? 0, 0, 'a second run makes nothing again')
  t.equal(relationWrites.length, HUBS, 'and writes no relation')
})
