// Writes (docs/reference/leanix.md §3.3, §3.6, §10.2-3): aliased batches are all-or-nothing, so a failed batch
// is split and only the bad item fails; REVISION_CLASH re-reads, merges and retries, bounded;
// archive with a comment; relations diffed against the current state.
import { test, type Test } from 'tap'
import { LeanixClient } from '../../../connectors/leanix/client/client.ts'
import { startPathfinderStub, makeApps, type StubFactSheet } from './pathfinder-stub.ts'
import type { StubReply, StubRequest } from './stub-leanix.ts'

interface Mutation {
  alias: string
  kind: 'create' | 'update' | 'other'
  id?: string
  rev?: number | null
  patches?: Array<{ op: string; path: string; value: string }>
  comment?: string | null
  input?: { name: string; type: string }
}

/** the aliased mutations of a request, read back from its document and variables */
function mutationsOf(req: StubRequest): Mutation[] {
  const { query, variables } = req.json() as { query: string; variables: Record<string, unknown> }
  return [...query.matchAll(/(m\d+): (createFactSheet|updateFactSheet)/g)].map(([, alias, op]) => {
    const n = (alias as string).slice(1)
    if (op === 'createFactSheet') {
      return {
        alias: alias as string,
        kind: 'create',
        input: variables[`i${n}`] as Mutation['input'],
        patches: variables[`p${n}`] as Mutation['patches'],
      }
    }
    return {
      alias: alias as string,
      kind: 'update',
      id: variables[`id${n}`] as string,
      rev: variables[`r${n}`] as number | null,
      patches: variables[`p${n}`] as Mutation['patches'],
      comment: variables[`c${n}`] as string | null,
    }
  })
}

function allOrNothing(isBad: (m: Mutation) => string | undefined, revOf: (m: Mutation) => number = () => 2) {
  return (req: StubRequest): StubReply => {
    const ms = mutationsOf(req)
    const errors = ms
      .map((m) => ({ m, problem: isBad(m) }))
      .filter((x) => x.problem)
      .map(({ m, problem }) => ({
        message: problem,
        path: [m.alias],
        extensions: { errorType: problem?.split(':')[0] },
      }))
    if (errors.length) {
      return { body: { data: null, errors: [...errors, { message: 'Error in Request. Transaction is rolled back!' }] } }
    }
    const data = Object.fromEntries(
      ms.map((m) => [m.alias, { factSheet: { id: m.id ?? `new-${m.input?.name}`, rev: revOf(m) } }]),
    )
    return { body: { data } }
  }
}

async function setup(
  t: Test,
  onMutation: (req: StubRequest) => StubReply,
  factSheets: StubFactSheet[] = makeApps(5),
  batchSize = 10,
) {
  const stub = await startPathfinderStub({ factSheets, cap: 15_000, onMutation })
  t.teardown(() => stub.close())
  const client = new LeanixClient({
    instanceUrl: stub.url,
    apiToken: 'x',
    batchSize,
    revisionRetries: 3,
    archiveComment: 'gone from CMDB',
  })
  t.teardown(() => client.close())
  const mutationRequests = () => stub.requests.filter((r) => r.body.includes('"query":"mutation'))
  return { stub, client, mutationRequests }
}

test('a batch is one request with aliased mutations', async (t) => {
  const { client, mutationRequests } = await setup(
    t,
    allOrNothing(() => undefined),
  )
  const results = await client.write('Application', [
    { key: 'a', op: 'update', id: 'fs-00001', values: { description: 'x' }, rev: 1 },
    { key: 'b', op: 'create', values: { name: 'Brand new', businessCriticality: 'missionCritical' } },
    { key: 'c', op: 'delete', id: 'fs-00002' },
  ])
  t.same(
    results.map((r) => r.ok),
    [true, true, true],
  )
  t.equal(mutationRequests().length, 1)
  const [u, c, d] = mutationsOf(mutationRequests()[0] as StubRequest)
  t.same(u, {
    alias: 'm0',
    kind: 'update',
    id: 'fs-00001',
    rev: 1,
    patches: [{ op: 'replace', path: '/description', value: 'x' }],
    comment: null,
  })
  t.same(c?.input, { name: 'Brand new', type: 'Application' })
  t.same(
    c?.patches,
    [{ op: 'replace', path: '/businessCriticality', value: 'missionCritical' }],
    'name goes in the input, not a patch',
  )
  t.same(d?.patches, [{ op: 'replace', path: '/status', value: 'ARCHIVED' }])
  t.equal(d?.comment, 'gone from CMDB', 'archiving carries a comment')
})

test('one bad item in an all-or-nothing batch does not sink the others', async (t) => {
  const { client, mutationRequests } = await setup(
    t,
    allOrNothing((m) => (m.id === 'fs-00002' ? 'MODEL_COMPLIANT: Outgoing relation occurred twice!' : undefined)),
  )
  const results = await client.write(
    'Application',
    ['fs-00001', 'fs-00002', 'fs-00003', 'fs-00004'].map((id) => ({
      key: id,
      op: 'update' as const,
      id,
      values: { description: id },
    })),
  )
  t.same(
    results.map((r) => r.ok),
    [true, false, true, true],
  )
  t.equal(results[1]?.error?.code, 'CW_LX_GRAPHQL')
  t.match(results[1]?.error?.message, /MODEL_COMPLIANT/)
  t.equal(results[1]?.error?.retryable, false)
  t.match(results[1]?.error?.message, /occurred twice/)
  const sizes = mutationRequests().map((r) => mutationsOf(r).length)
  t.same(sizes, [4, 3, 1], 'whole batch, then the others together, then the named one alone')
})

test('a failed batch whose errors name no mutation is retried item by item', async (t) => {
  let first = true
  const ok = allOrNothing(() => undefined)
  const { client, mutationRequests } = await setup(t, (req) => {
    if (first) {
      first = false
      return { body: { data: null, errors: [{ message: 'Error in Request. Transaction is rolled back!' }] } }
    }
    return ok(req)
  })
  const results = await client.write('Application', [
    { key: 'a', op: 'update', id: 'fs-00001', values: { description: 'a' } },
    { key: 'b', op: 'update', id: 'fs-00003', values: { description: 'b' } },
  ])
  t.same(
    results.map((r) => r.ok),
    [true, true],
  )
  t.same(
    mutationRequests().map((r) => mutationsOf(r).length),
    [2, 1, 1],
  )
})

test('REVISION_CLASH: re-read, rebuild patches on the new state, retry with the new rev', async (t) => {
  const apps = makeApps(2)
  const target = apps[1] as StubFactSheet
  target.rev = 7
  target.relApplicationToITComponent = {
    edges: [{ node: { id: 'rel-9', factSheet: { id: 'itc-9', type: 'ITComponent', name: 'Old' } } }],
  }
  let clashes = 1
  const ok = allOrNothing(
    () => undefined,
    () => 8,
  )
  const { client, mutationRequests, stub } = await setup(
    t,
    (req) => {
      const [m] = mutationsOf(req)
      if (m && m.rev !== target.rev && clashes-- > 0) {
        return {
          body: {
            data: { m0: null },
            errors: [
              {
                message: `DB revision of Fact Sheet has changed: 7 instead of given ${m.rev}`,
                path: ['m0'],
                extensions: { errorType: 'REVISION_CLASH' },
              },
            ],
          },
        }
      }
      return ok(req)
    },
    apps,
  )
  // the caller saw rev 6 and no relation; someone since added rel-9
  stub.requests.length = 0
  const [result] = await client.write('Application', [
    { key: 'k', op: 'update', id: target.id, rev: 6, values: { relApplicationToITComponent: ['itc-1'] } },
  ])
  t.equal(result?.ok, true)
  t.equal(result?.rev, 8)
  const sent = mutationRequests().map((r) => mutationsOf(r)[0] as Mutation)
  t.equal(sent.length, 2)
  t.equal(sent[0]?.rev, 6)
  t.equal(sent[1]?.rev, 7, 'the retry carries the re-read rev')
  t.same(
    sent[1]?.patches,
    [
      { op: 'remove', path: '/relApplicationToITComponent/rel-9', value: '' },
      { op: 'add', path: '/relApplicationToITComponent/new_1', value: '{"factSheetId":"itc-1"}' },
    ],
    'patches rebuilt against the relation that appeared meanwhile',
  )
  t.ok(
    stub.requests.some((r) => r.body.includes('CrosswalkFactSheet')),
    'the fact sheet was re-read',
  )
})

test('REVISION_CLASH retries are bounded and end in a retryable error', async (t) => {
  const { client, mutationRequests } = await setup(t, () => ({
    body: {
      data: null,
      errors: [
        { message: 'DB revision of Fact Sheet has changed', path: ['m0'], extensions: { errorType: 'REVISION_CLASH' } },
      ],
    },
  }))
  const [result] = await client.write('Application', [
    { key: 'k', op: 'update', id: 'fs-00001', rev: 1, values: { description: 'x' } },
  ])
  t.equal(result?.ok, false)
  t.equal(result?.error?.code, 'CW_LX_GRAPHQL')
  t.match(result?.error?.message, /REVISION_CLASH/)
  t.equal(result?.error?.retryable, true)
  t.equal(mutationRequests().length, 4, 'first try and 3 retries')
})

test('relation and tag changes read the current state once for the whole batch', async (t) => {
  const apps = makeApps(3)
  ;(apps[0] as StubFactSheet).relApplicationToITComponent = {
    edges: [{ node: { id: 'rel-1', factSheet: { id: 'itc-1' } } }],
  }
  const { client, stub, mutationRequests } = await setup(
    t,
    allOrNothing(() => undefined),
    apps,
  )
  await client.write('Application', [
    { key: 'a', op: 'update', id: 'fs-00000', values: { relApplicationToITComponent: [] } },
    { key: 'b', op: 'update', id: 'fs-00001', values: { relApplicationToITComponent: ['itc-2'] } },
  ])
  const reads = stub.requests.filter((r) => r.body.includes('CrosswalkRead'))
  t.equal(reads.length, 1)
  t.same((reads[0]?.json().variables as { filter: unknown }).filter, { ids: ['fs-00000', 'fs-00001'] })
  const [a, b] = mutationsOf(mutationRequests()[0] as StubRequest)
  t.same(a?.patches, [{ op: 'remove', path: '/relApplicationToITComponent/rel-1', value: '' }])
  t.same(b?.patches, [{ op: 'add', path: '/relApplicationToITComponent/new_1', value: '{"factSheetId":"itc-2"}' }])
})

test('an update with nothing to change sends nothing; invalid items fail alone', async (t) => {
  const { client, mutationRequests } = await setup(
    t,
    allOrNothing(() => undefined),
  )
  const results = await client.write('Application', [
    { key: 'same', op: 'update', id: 'fs-00001', values: { tags: [] } },
    { key: 'noname', op: 'create', values: { description: 'x' } },
    { key: 'badfield', op: 'update', id: 'fs-00002', values: { nope: 1 } },
  ])
  t.same(
    results.map((r) => [r.key, r.ok, r.error?.code]),
    [
      ['same', true, undefined],
      ['noname', false, 'CW_LX_CHANGE_INVALID'],
      ['badfield', false, 'CW_LX_FIELD_UNKNOWN'],
    ],
  )
  t.equal(mutationRequests().length, 0)
})

test('batches respect batchSize', async (t) => {
  const { client, mutationRequests } = await setup(
    t,
    allOrNothing(() => undefined),
    makeApps(5),
    2,
  )
  const results = await client.write(
    'Application',
    Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, op: 'create' as const, values: { name: `N${i}` } })),
  )
  t.equal(results.filter((r) => r.ok).length, 5)
  t.same(
    mutationRequests().map((r) => mutationsOf(r).length),
    [2, 2, 1],
  )
})

test('subscriptions are diffed and written with their own mutations', async (t) => {
  const apps = makeApps(1)
  ;(apps[0] as StubFactSheet).subscriptions = {
    edges: [
      { node: { id: 'sub-old', type: 'OBSERVER', user: { id: 'u1', email: 'old@acme.com' }, roles: [] } },
      { node: { id: 'sub-keep', type: 'RESPONSIBLE', user: { id: 'u2', email: 'keep@acme.com' }, roles: [] } },
    ],
  }
  const docs: string[] = []
  const ok = allOrNothing(() => undefined)
  const { client } = await setup(
    t,
    (req) => {
      const { query } = req.json() as { query: string }
      if (query.includes('Subscription')) {
        docs.push(query)
        return { body: { data: { s0: { id: 'x' }, s1: { id: 'y' } } } }
      }
      return ok(req)
    },
    apps,
  )
  const [r] = await client.write('Application', [
    {
      key: 'k',
      op: 'update',
      id: 'fs-00000',
      values: {
        subscriptions: [
          { type: 'RESPONSIBLE', user: { email: 'keep@acme.com' } },
          { type: 'ACCOUNTABLE', user: { email: 'owner@acme.com' }, roles: [{ id: 'role-1' }] },
        ],
      },
    },
  ])
  t.equal(r?.ok, true)
  t.equal(docs.length, 1)
  t.match(docs[0], 'deleteSubscription(id: "sub-old")')
  t.match(
    docs[0],
    'createSubscription(factSheetId: "fs-00000", user: { email: "owner@acme.com" }, type: ACCOUNTABLE, roles: [{ id: "role-1" }])',
  )
  t.notMatch(docs[0], 'keep@acme.com')
})

test('errors naming no mutation of the batch do not resend the same batch forever', async (t) => {
  let first = true
  const ok = allOrNothing(() => undefined)
  const { client, mutationRequests } = await setup(t, (req) => {
    if (first) {
      first = false
      return { body: { data: null, errors: [{ message: 'odd', path: ['m9'] }] } }
    }
    return ok(req)
  })
  const results = await client.write(
    'Application',
    ['fs-00001', 'fs-00002', 'fs-00003'].map((id) => ({
      key: id,
      op: 'update' as const,
      id,
      values: { description: 'x' },
    })),
  )
  t.same(
    results.map((r) => r.ok),
    [true, true, true],
  )
  t.same(
    mutationRequests().map((r) => mutationsOf(r).length),
    [3, 1, 1, 1],
  )
})
