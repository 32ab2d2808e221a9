// Graph rules (LeanIX's graph-rule constraints) on a mapping side, against the in-memory test
// connector's rule ONLY_RED: a save names only rules the side's connector computes for the
// entity, with filters it accepts; the rule's field can be mapped like a real one; a run reads
// only what the rule lets through and keeps the relations its field holds; reads of other
// entities carry no rules; change events of such a side are not dropped by the local filter.
import { test } from 'tap'
import type { SourceRecord } from '../../../core/connector/contract.ts'
import { buildTestApp, type TestApp } from '../../helpers/app.ts'
import { memoConnector, memoStore, type MemoStore } from '../../helpers/memo-connector.ts'
import { until } from '../../helpers/until.ts'

const settings = { url: 'https://memo.example', username: 'u', password: 'p', pageSize: 100 }

interface World {
  hub: TestApp
  src: MemoStore
  dst: MemoStore
  srcId: string
  dstId: string
}

async function world(t: Parameters<typeof buildTestApp>[0]): Promise<World> {
  const src = memoStore(
    [
      {
        name: 'thing',
        fields: [
          { name: 'name', type: 'string' },
          { name: 'color', type: 'string' },
          { name: 'kind', type: 'string' },
        ],
      },
      {
        name: 'thing_rel',
        fields: [
          { name: 'a', type: 'reference', reference: 'thing' },
          { name: 'b', type: 'reference', reference: 'thing' },
        ],
      },
      {
        name: 'shadow',
        fields: [
          { name: 'name', type: 'string' },
          { name: 'color', type: 'string' },
          { name: 'graph_peers', type: 'string' },
        ],
      },
    ],
    {
      thing: [
        { id: 'a', name: 'Apple', color: 'red', kind: 'fruit' },
        { id: 'b', name: 'Berry', color: 'red', kind: 'fruit' },
        { id: 'c', name: 'Coal', color: 'black', kind: 'fruit' },
      ],
      thing_rel: [{ id: 'r1', a: 'a', b: 'b' }],
    },
  )
  const dst = memoStore([
    {
      name: 'item',
      fields: [
        { name: 'name', type: 'string' },
        { name: 'color', type: 'string' },
        { name: 'peers', type: 'list', reference: 'item' },
        { name: 'friends', type: 'list', reference: 'item' },
        { name: 'correlation_id', type: 'string' },
      ],
    },
  ])
  const hub = await buildTestApp(t, {
    config: { queue: { pollingIntervalSeconds: 0.5 }, sync: { schedules: false } },
    connectors: [
      memoConnector('memograph', { store: src, graphRules: true }),
      memoConnector('memoplain', { store: dst }),
    ],
  })
  const srcId = (await hub.hub.connections.create({ name: 'graph', connector: 'memograph', settings })).id
  const dstId = (await hub.hub.connections.create({ name: 'plain', connector: 'memoplain', settings })).id
  return { hub, src, dst, srcId, dstId }
}

function mapping(w: World, over: { name?: string; source?: object; target?: object; relations?: object[] } = {}) {
  const name = over.name ?? 'red things'
  return {
    name,
    source: { connectionId: w.srcId, entity: 'thing', graphRules: [{ rule: 'ONLY_RED' }], ...over.source },
    target: { connectionId: w.dstId, entity: 'item', ...over.target },
    mode: 'conservative',
    fields: [
      { type: 'field', source: 'name', target: 'name' },
      { type: 'field', source: 'color', target: 'color' },
    ],
    relations: over.relations ?? [
      {
        otherMapping: name,
        source: { kind: 'field', field: 'graph_peers' },
        target: { kind: 'field', field: 'peers' },
      },
    ],
    schedule: { cron: null },
  }
}

async function save(w: World, definition: object) {
  const res = await w.hub.inject({ method: 'POST', url: '/api/v1/mappings', payload: definition })
  return {
    status: res.statusCode,
    body: res.json() as { id: string; problems?: Array<{ pointer: string; message: string }> },
  }
}

async function runOf(w: World, mappingId: string, runId: string) {
  let run: { status: string; message: string | null } | undefined
  await until(async () => {
    run = (await w.hub.inject(`/api/v1/runs/${runId}`)).json()
    return ['OK', 'WARNING', 'ERROR', 'CANCELLED'].includes(run?.status ?? '')
  }, `run ${runId} of ${mappingId} to finish`)
  return run as { status: string; message: string | null }
}

async function fullRun(w: World, mappingId: string) {
  const res = await w.hub.inject({ method: 'POST', url: `/api/v1/mappings/${mappingId}/runs`, payload: {} })
  if (res.statusCode !== 202) throw new Error(`starting a run answered ${res.statusCode}: ${res.body}`)
  return runOf(w, mappingId, res.json().id)
}

const byName = (records: SourceRecord[] | undefined) => new Map((records ?? []).map((r) => [String(r.name), r]))

test('a save names only rules the connector computes, with filters it accepts, at their pointers', async (t) => {
  const w = await world(t)
  const unknown = await save(w, mapping(w, { source: { graphRules: [{ rule: 'ONLY_BLUE' }] } }))
  t.equal(unknown.status, 400)
  t.match(unknown.body.problems, [
    { pointer: '/source/graphRules/0/rule', message: /no graph rule ONLY_BLUE.*ONLY_RED, ANY_SHADE/ },
  ])

  // linked targets are looked up by id, unconstrained: a rule there would hide them
  const onTarget = await save(w, mapping(w, { target: { graphRules: [{ rule: 'ONLY_RED' }] } }))
  t.equal(onTarget.status, 400)
  t.match(onTarget.body.problems, [{ pointer: '/target/graphRules', message: /on the target they would hide/ }])

  const badFilter = await save(w, mapping(w, { source: { graphRules: [{ rule: 'ONLY_RED', filter: 'kind fruit' }] } }))
  t.equal(badFilter.status, 400)
  t.match(badFilter.body.problems, [{ pointer: '/source/graphRules/0/filter', message: /not a valid/ }])

  const twice = await save(w, mapping(w, { source: { graphRules: [{ rule: 'ONLY_RED' }, { rule: 'ONLY_RED' }] } }))
  t.equal(twice.status, 400)
  t.match(twice.body.problems, [{ pointer: '/source/graphRules/1/rule' }])

  const unfiltered = await save(
    w,
    mapping(w, { source: { graphRules: [{ rule: 'ANY_SHADE', filter: 'kind=fruit' }] } }),
  )
  t.equal(unfiltered.status, 400)
  t.match(unfiltered.body.problems, [{ pointer: '/source/graphRules/0/filter', message: /ANY_SHADE takes no filter/ }])

  // hops only where the rule walks relations, and no more than it allows
  const hopless = await save(w, mapping(w, { source: { graphRules: [{ rule: 'ANY_SHADE', hops: 1 }] } }))
  t.equal(hopless.status, 400)
  t.match(hopless.body.problems, [{ pointer: '/source/graphRules/0/hops', message: /ANY_SHADE walks no relations/ }])
  const far = await save(w, mapping(w, { source: { graphRules: [{ rule: 'ONLY_RED', hops: 3 }] } }))
  t.equal(far.status, 400)
  t.match(far.body.problems, [{ pointer: '/source/graphRules/0/hops', message: /ONLY_RED follows at most 2 hops/ }])

  const lowercase = await save(w, mapping(w, { source: { graphRules: [{ rule: 'only_red' }] } }))
  t.equal(lowercase.status, 400)
  t.match(lowercase.body.problems, [{ pointer: '/source/graphRules/0/rule' }])

  // a rule field shadows nothing real
  const shadowed = await save(w, mapping(w, { source: { entity: 'shadow' }, relations: [] }))
  t.equal(shadowed.status, 400)
  t.match(shadowed.body.problems, [
    { pointer: '/source/graphRules/0/rule', message: /ONLY_RED adds the field "graph_peers".*already has a field/ },
  ])

  // without the rule, its field is not there to name
  const withoutRule = await save(w, mapping(w, { source: { graphRules: [] } }))
  t.equal(withoutRule.status, 400)
  t.match(withoutRule.body.problems, [{ pointer: '/relations/0/source/field' }])

  const good = await save(
    w,
    mapping(w, { source: { graphRules: [{ rule: 'ONLY_RED', filter: 'kind=fruit', hops: 2 }] } }),
  )
  t.equal(good.status, 201, JSON.stringify(good.body))
})

test('a full run reads what the rule lets through and keeps the relations of its field; other entities carry no rules', async (t) => {
  const w = await world(t)
  const saved = await save(
    w,
    mapping(w, {
      relations: [
        {
          otherMapping: 'red things',
          source: { kind: 'field', field: 'graph_peers' },
          target: { kind: 'field', field: 'peers' },
        },
        {
          otherMapping: 'red things',
          source: { kind: 'table', table: 'thing_rel', selfField: 'a', otherField: 'b' },
          target: { kind: 'field', field: 'friends' },
        },
      ],
    }),
  )
  t.equal(saved.status, 201, JSON.stringify(saved.body))
  const run = await fullRun(w, saved.body.id)
  t.equal(run.status, 'OK', run.message ?? '')

  const items = byName(w.dst.records.get('item'))
  t.same([...items.keys()].sort(), ['Apple', 'Berry'], 'only the red things were synced')
  const apple = items.get('Apple') as SourceRecord
  const berry = items.get('Berry') as SourceRecord
  t.equal(apple.peers, berry.id, 'the relation held in the rule field is kept')
  t.equal(berry.peers, apple.id)
  t.equal(apple.friends, berry.id, 'the relation table, read without rules, is kept too')

  const ownReads = w.src.requests.filter((r) => r.entity === 'thing')
  t.ok(ownReads.length > 0)
  for (const r of ownReads) t.same(r.request.graphRules, [{ rule: 'ONLY_RED' }], `${r.op} of thing carries the rule`)
  t.ok(
    ownReads.some((r) => r.op === 'read' && r.request.fields?.includes('graph_peers')),
    'the rule field is read',
  )
  const others = w.src.requests.filter((r) => r.entity !== 'thing')
  t.ok(others.length > 0, 'the relation table was read')
  for (const r of others) t.equal(r.request.graphRules, undefined, `${r.op} of ${r.entity} carries no rules`)
  for (const r of w.dst.requests) t.equal(r.request.graphRules, undefined, 'the target side has no rules')
})

test('events of a side with graph rules are not dropped by its filter; the lookup decides, as for a filter', async (t) => {
  const w = await world(t)
  const ruled = await save(
    w,
    mapping(w, {
      source: { filter: 'kind=fruit', graphRules: [{ rule: 'ONLY_RED' }] },
      relations: [],
    }),
  )
  t.equal(ruled.status, 201, JSON.stringify(ruled.body))
  const filtered = await save(w, {
    ...mapping(w, { name: 'fruit', source: { filter: 'kind=fruit', graphRules: [] }, relations: [] }),
    target: { connectionId: w.dstId, entity: 'item', filter: 'color=none' },
  })
  t.equal(filtered.status, 201, JSON.stringify(filtered.body))
  const first = await fullRun(w, ruled.body.id)
  t.equal(first.status, 'OK', first.message ?? '')

  // a new thing outside the filter: dropped for the mapping that only has the filter, kept for
  // the one with rules (the rule may reach it through another table)
  const intake = w.hub.hub.sync.intake
  const outside = await intake.accept(w.srcId, [
    { entity: 'thing', id: 'd', op: 'create', record: { id: 'd', name: 'Dust', color: 'red', kind: 'mineral' } },
  ])
  t.same(outside.mappings, [ruled.body.id])

  // Apple is no longer red: the partial run's lookup (with the rule) does not return it, so its
  // target goes as for a record that left the filter (conservative mode)
  const apple = w.src.records.get('thing')?.find((r) => r.id === 'a') as SourceRecord
  apple.color = 'green'
  const before = w.src.requests.length
  const accepted = await intake.accept(w.srcId, [{ entity: 'thing', id: 'a', op: 'update', record: { ...apple } }])
  t.ok(accepted.mappings.includes(ruled.body.id))
  // the batch of changes, started now (the partial run events start)
  const started = await w.hub.hub.sync.runService.startChanges(ruled.body.id, true)
  if (!started) throw new Error('no partial run started')
  const partial = await runOf(w, ruled.body.id, started.id)
  t.equal(partial.status, 'OK', partial.message ?? '')
  const lookups = w.src.requests.slice(before).filter((r) => r.op === 'lookup' && r.entity === 'thing')
  t.ok(lookups.length > 0, 'the partial run looked the sources up')
  for (const l of lookups) t.same(l.request.graphRules, [{ rule: 'ONLY_RED' }])
  t.same([...byName(w.dst.records.get('item')).keys()], ['Berry'], 'the target of the thing that left the rule is gone')
})
