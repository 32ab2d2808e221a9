import { test } from 'tap'
import { clientFor, startForTest } from './emulator-client.ts'

const CREATE = `mutation($input: BaseFactSheetInput!, $patches: [Patch]) {
  createFactSheet(input: $input, patches: $patches) {
    factSheet { id rev name description status ... on Application { businessCriticality lifecycle { asString phases { phase startDate } } } }
  }
}`

const UPDATE = `mutation($id: ID!, $rev: Long, $patches: [Patch]!, $comment: String) {
  updateFactSheet(id: $id, rev: $rev, patches: $patches, comment: $comment) {
    factSheet { id rev name description status }
  }
}`

test('createFactSheet applies string patches and starts at rev 1', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const answer = await gql(CREATE, {
    input: { name: 'Payments Hub', type: 'Application' },
    patches: [
      { op: 'replace', path: '/description', value: 'Settles card payments' },
      { op: 'replace', path: '/businessCriticality', value: 'missionCritical' },
      {
        op: 'replace',
        path: '/lifecycle',
        value: JSON.stringify({ phases: [{ phase: 'active', startDate: '2020-01-01' }] }),
      },
    ],
  })
  t.equal(answer.status, 200)
  t.same(answer.body.errors, null)
  const fs = (answer.body.data?.createFactSheet as { factSheet: Record<string, unknown> }).factSheet
  t.equal(fs.rev, 1)
  t.equal(fs.description, 'Settles card payments')
  t.equal(fs.businessCriticality, 'missionCritical')
  t.same(fs.lifecycle, { asString: 'active', phases: [{ phase: 'active', startDate: '2020-01-01' }] })
})

test('a stale rev answers REVISION_CLASH with HTTP 200 and LeanIX wording', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const created = await gql(CREATE, { input: { name: 'Rev Test', type: 'Application' } })
  const id = (created.body.data?.createFactSheet as { factSheet: { id: string } }).factSheet.id
  const first = await gql(UPDATE, { id, rev: 1, patches: [{ op: 'replace', path: '/description', value: 'one' }] })
  t.equal((first.body.data?.updateFactSheet as { factSheet: { rev: number } }).factSheet.rev, 2)
  const stale = await gql(UPDATE, { id, rev: 1, patches: [{ op: 'replace', path: '/description', value: 'two' }] })
  t.equal(stale.status, 200)
  t.same(stale.body.data, { updateFactSheet: null })
  t.equal(stale.body.errors?.[0]?.message, 'DB revision of Fact Sheet has changed: 2 instead of given 1')
  t.match(stale.body.errors?.[0]?.extensions, { errorType: 'REVISION_CLASH' })
})

test('aliased mutation batches are all-or-nothing', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const created = await gql(CREATE, { input: { name: 'Batch Test', type: 'Application' } })
  const id = (created.body.data?.createFactSheet as { factSheet: { id: string } }).factSheet.id
  const batch = await gql(`mutation {
    m1: updateFactSheet(id: "${id}", patches: [{ op: replace, path: "/description", value: "first" }]) { factSheet { id } }
    m2: updateFactSheet(id: "${id}", patches: [{ op: replace, path: "/descriptio", value: "bad" }]) { factSheet { id } }
  }`)
  t.equal(batch.status, 200)
  t.equal(batch.body.data, null)
  t.same(batch.body.errors, [
    {
      message: "The path '/descriptio' is invalid in FactSheet schema Application.",
      path: ['m2'],
      extensions: { errorType: 'BUSINESS_LOGIC' },
    },
    { message: 'Error in Request. Transaction is rolled back!', path: [], extensions: { errorType: 'BUSINESS_LOGIC' } },
  ])
  const after = await gql(`{ factSheet(id: "${id}") { rev description } }`)
  t.same(after.body.data?.factSheet, { rev: 1, description: null }, 'm1 was rolled back too')
})

type Node = Record<string, unknown>
const idOf = (answer: { body: { data?: Record<string, unknown> | null } }, field = 'createFactSheet') =>
  (answer.body.data?.[field] as { factSheet: { id: string } }).factSheet.id
const rel = (value: Record<string, unknown>) => JSON.stringify(value)

test('relations: add with new_<x> paths, duplicates refused, edit and retarget by relation id, remove', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const { gql } = await clientFor(emulator)
  const app = idOf(await gql(CREATE, { input: { name: 'CRM', type: 'Application' } }))
  const itc1 = idOf(await gql(CREATE, { input: { name: 'Postgres', type: 'ITComponent' } }))
  const itc2 = idOf(await gql(CREATE, { input: { name: 'MySQL', type: 'ITComponent' } }))
  const bc = idOf(await gql(CREATE, { input: { name: 'Sales', type: 'BusinessCapability' } }))
  const added = await gql(UPDATE, {
    id: app,
    patches: [
      {
        op: 'add',
        path: '/relApplicationToITComponent/new_1',
        value: rel({ factSheetId: itc1, description: 'db', activeFrom: '2024-01-01', usageType: 'runtime' }),
      },
    ],
  })
  t.equal(added.body.errors, null)
  const relations = async () => {
    const read = await gql(
      `{ factSheet(id: "${app}") { rev ... on Application { relApplicationToITComponent { totalCount edges { node { id type description activeFrom usageType factSheet { id name } } } } } } }`,
    )
    return read.body.data?.factSheet as {
      rev: number
      relApplicationToITComponent: { totalCount: number; edges: Array<{ node: Node }> }
    }
  }
  const first = await relations()
  t.equal(first.rev, 2, 'a relation patch bumps the source rev')
  const edge = first.relApplicationToITComponent.edges[0]?.node
  t.match(edge, {
    type: 'RelApplicationToITComponent',
    description: 'db',
    activeFrom: '2024-01-01',
    usageType: 'runtime',
    factSheet: { id: itc1, name: 'Postgres' },
  })

  const inverse = await gql(
    `{ factSheet(id: "${itc1}") { ... on ITComponent { relITComponentToApplication { edges { node { id factSheet { id } } } } } } }`,
  )
  t.same(
    (
      inverse.body.data?.factSheet as { relITComponentToApplication: { edges: Array<{ node: Node }> } }
    ).relITComponentToApplication.edges.map((e) => e.node),
    [{ id: edge?.id, factSheet: { id: app } }],
    'the inverse name shows the same relation from the other side',
  )

  const duplicate = await gql(UPDATE, {
    id: app,
    patches: [{ op: 'add', path: '/relApplicationToITComponent/new_2', value: rel({ factSheetId: itc1 }) }],
  })
  t.match(duplicate.body.errors?.[0], {
    message: /^\[FS_VALIDATION_RELATION_NOT_UNIQUE_OUTGOING\] .*already exists/,
    extensions: { errorType: 'MODEL_COMPLIANT', objectId: app, objectPath: '/relApplicationToITComponent/new_2' },
  })
  const wrongType = await gql(UPDATE, {
    id: app,
    patches: [{ op: 'add', path: '/relApplicationToITComponent/new_3', value: rel({ factSheetId: bc }) }],
  })
  t.match(wrongType.body.errors?.[0], { extensions: { errorType: 'MODEL_COMPLIANT' } })

  const retarget = await gql(UPDATE, {
    id: app,
    patches: [
      {
        op: 'replace',
        path: `/relApplicationToITComponent/${String(edge?.id)}`,
        value: rel({ factSheetId: itc2, usageType: 'development' }),
      },
    ],
  })
  t.equal(retarget.body.errors, null)
  const second = await relations()
  t.match(
    second.relApplicationToITComponent.edges[0]?.node,
    { id: edge?.id, usageType: 'development', factSheet: { id: itc2 } },
    'same relation id, new target',
  )
  const removed = await gql(UPDATE, {
    id: app,
    patches: [{ op: 'remove', path: `/relApplicationToITComponent/${String(edge?.id)}` }],
  })
  t.equal(removed.body.errors, null)
  t.equal((await relations()).relApplicationToITComponent.totalCount, 0)
  const unknown = await gql(UPDATE, {
    id: app,
    patches: [{ op: 'remove', path: '/relApplicationToITComponent/no-such-id' }],
  })
  t.ok(unknown.body.errors?.length, 'removing an unknown relation id fails')
})

test('hierarchy: relToParent gives level and fullName, a second parent and cycles are refused', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const { gql } = await clientFor(emulator)
  const root = idOf(await gql(CREATE, { input: { name: 'Finance', type: 'BusinessCapability' } }))
  const other = idOf(await gql(CREATE, { input: { name: 'Sales', type: 'BusinessCapability' } }))
  const child = idOf(
    await gql(CREATE, {
      input: { name: 'Accounting', type: 'BusinessCapability' },
      patches: [{ op: 'add', path: '/relToParent/new_1', value: rel({ factSheetId: root }) }],
    }),
  )
  const read = await gql(`{ factSheet(id: "${child}") { level fullName displayName } }`)
  t.same(read.body.data?.factSheet, { level: 2, fullName: 'Finance / Accounting', displayName: 'Finance / Accounting' })
  const secondParent = await gql(UPDATE, {
    id: child,
    patches: [{ op: 'add', path: '/relToParent/new_2', value: rel({ factSheetId: other }) }],
  })
  t.ok(secondParent.body.errors?.length, 'only one parent')
  const cycle = await gql(UPDATE, {
    id: root,
    patches: [{ op: 'add', path: '/relToParent/new_1', value: rel({ factSheetId: child }) }],
  })
  t.ok(cycle.body.errors?.length, 'no cycles')
})

test('tags by id and by name (created on the fly), remove, SINGLE-mode groups keep one tag', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const app = idOf(await gql(CREATE, { input: { name: 'Tagged', type: 'Application' } }))
  const tags = async () =>
    (
      (await gql(`{ factSheet(id: "${app}") { tags { id name tagGroup { name } } } }`)).body.data?.factSheet as {
        tags: Array<{ id: string; name: string; tagGroup: { name: string } | null }>
      }
    ).tags
  await gql(UPDATE, {
    id: app,
    patches: [
      {
        op: 'add',
        path: '/tags',
        value: JSON.stringify([{ tagName: 'Brand New' }, { tagName: 'Cloud', tagGroupName: 'Hosting Type' }]),
      },
    ],
  })
  t.same((await tags()).map((x) => [x.name, x.tagGroup?.name ?? null]).sort(), [
    ['Brand New', null],
    ['Cloud', 'Hosting Type'],
  ])
  await gql(UPDATE, {
    id: app,
    patches: [
      { op: 'add', path: '/tags', value: JSON.stringify([{ tagName: 'On-Premise', tagGroupName: 'Hosting Type' }]) },
    ],
  })
  t.same(
    (await tags()).map((x) => x.name).sort(),
    ['Brand New', 'On-Premise'],
    'Hosting Type is SINGLE: the new tag replaces Cloud',
  )
  const brandNew = (await tags()).find((x) => x.name === 'Brand New')
  await gql(UPDATE, {
    id: app,
    patches: [{ op: 'remove', path: '/tags', value: JSON.stringify([{ tagId: brandNew?.id }]) }],
  })
  t.same(
    (await tags()).map((x) => x.name),
    ['On-Premise'],
  )
  const all = await gql('{ allTags { edges { node { name } } } }')
  t.ok(
    (all.body.data?.allTags as { edges: Array<{ node: { name: string } }> }).edges.some(
      (e) => e.node.name === 'Brand New',
    ),
    'the tag created by name exists in the workspace',
  )
})

test('lifecycle patches replace all phases; remove clears them', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const { gql } = await clientFor(emulator)
  const app = idOf(await gql(CREATE, { input: { name: 'Life', type: 'Application' } }))
  const set = (phases: Array<[string, string]>) =>
    gql(UPDATE, {
      id: app,
      patches: [
        {
          op: 'replace',
          path: '/lifecycle',
          value: JSON.stringify({ phases: phases.map(([phase, startDate]) => ({ phase, startDate })) }),
        },
      ],
    })
  await set([
    ['plan', '2019-01-12'],
    ['active', '2020-01-01'],
  ])
  await set([['phaseOut', '2030-01-01']])
  const read = async () =>
    (
      (await gql(`{ factSheet(id: "${app}") { ... on Application { lifecycle { phases { phase startDate } } } } }`))
        .body.data?.factSheet as { lifecycle: unknown }
    ).lifecycle
  t.same(await read(), { phases: [{ phase: 'phaseOut', startDate: '2030-01-01' }] }, 'omitted phases are deleted')
  const badPhase = await set([['retired', '2030-01-01']])
  t.match(badPhase.body.errors?.[0], { extensions: { errorType: 'MODEL_COMPLIANT' } })
  await gql(UPDATE, { id: app, patches: [{ op: 'remove', path: '/lifecycle', value: '' }] })
  t.equal(await read(), null)
})

test('external ids: set, find, unique fields refuse a second holder, read-only fields need forceWrite, archive clears unique ids', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const { gql } = await clientFor(emulator)
  const a = idOf(await gql(CREATE, { input: { name: 'A', type: 'Application' } }))
  const b = idOf(await gql(CREATE, { input: { name: 'B', type: 'Application' } }))
  const snow = (sysId: string, forceWrite: boolean) =>
    JSON.stringify({
      type: 'ExternalId',
      externalId: sysId,
      status: 'LINKED',
      externalUrl: `https://x.service-now.com/nav_to.do?uri=cmdb_ci_business_app.do?sys_id=${sysId}`,
      forceWrite,
    })
  const withoutForce = await gql(UPDATE, {
    id: a,
    patches: [{ op: 'replace', path: '/serviceNowExternalId', value: snow('abc', false) }],
  })
  t.ok(withoutForce.body.errors?.length, 'serviceNowExternalId is read-only without forceWrite')
  const set = await gql(UPDATE, {
    id: a,
    patches: [{ op: 'replace', path: '/serviceNowExternalId', value: snow('abc', true) }],
  })
  t.equal(set.body.errors, null)
  const taken = await gql(UPDATE, {
    id: b,
    patches: [{ op: 'replace', path: '/serviceNowExternalId', value: snow('abc', true) }],
  })
  t.match(taken.body.errors?.[0]?.message, /NOT_UNIQUE/)
  const found = await gql(
    '{ allFactSheets(filter: {externalIds: ["serviceNowExternalId/abc"]}) { edges { node { id ... on Application { serviceNowExternalId { externalId status externalUrl } } } } } }',
  )
  const edges = (
    found.body.data?.allFactSheets as { edges: Array<{ node: { id: string; serviceNowExternalId: Node } }> }
  ).edges
  t.equal(edges[0]?.node.id, a)
  t.match(edges[0]?.node.serviceNowExternalId, { externalId: 'abc', status: 'LINKED' })
  await gql(UPDATE, {
    id: a,
    comment: 'gone from ServiceNow',
    patches: [{ op: 'replace', path: '/status', value: 'ARCHIVED' }],
  })
  const cleared = await gql(`{ factSheet(id: "${a}") { ... on Application { serviceNowExternalId { externalId } } } }`)
  t.same(cleared.body.data?.factSheet, { serviceNowExternalId: null }, 'unique external ids are cleared on archive')
  const reuse = await gql(UPDATE, {
    id: b,
    patches: [{ op: 'replace', path: '/serviceNowExternalId', value: snow('abc', true) }],
  })
  t.equal(reuse.body.errors, null, 'the id is free again')
})

test('validateOnly checks without writing; archiving archives relations and recovering restores them', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const { gql } = await clientFor(emulator)
  const dry = await gql(
    `mutation { createFactSheet(input: {name: "Dry", type: Application}, validateOnly: true) { factSheet { id name } } }`,
  )
  t.equal((dry.body.data?.createFactSheet as { factSheet: { name: string } }).factSheet.name, 'Dry')
  t.equal(
    ((await gql('{ allFactSheets { totalCount } }')).body.data?.allFactSheets as { totalCount: number }).totalCount,
    0,
    'nothing was created',
  )
  const app = idOf(await gql(CREATE, { input: { name: 'App', type: 'Application' } }))
  const itc = idOf(await gql(CREATE, { input: { name: 'ITC', type: 'ITComponent' } }))
  await gql(UPDATE, {
    id: app,
    patches: [{ op: 'add', path: '/relApplicationToITComponent/new_1', value: rel({ factSheetId: itc }) }],
  })
  const dryUpdate = await gql(
    `mutation { updateFactSheet(id: "${app}", validateOnly: true, patches: [{op: replace, path: "/name", value: "Renamed"}]) { factSheet { name rev } } }`,
  )
  t.same(dryUpdate.body.data?.updateFactSheet, { factSheet: { name: 'Renamed', rev: 3 } })
  t.same(
    (await gql(`{ factSheet(id: "${app}") { name rev } }`)).body.data?.factSheet,
    { name: 'App', rev: 2 },
    'validateOnly left it unchanged',
  )

  await gql(UPDATE, {
    id: itc,
    comment: 'decommissioned',
    patches: [{ op: 'add', path: '/status', value: 'ARCHIVED' }],
  })
  const count = async () =>
    (
      (await gql(`{ factSheet(id: "${app}") { ... on Application { relApplicationToITComponent { totalCount } } } }`))
        .body.data?.factSheet as { relApplicationToITComponent: { totalCount: number } }
    ).relApplicationToITComponent.totalCount
  t.equal(await count(), 0, 'the relation went with the archived fact sheet')
  const editArchived = await gql(UPDATE, { id: itc, patches: [{ op: 'replace', path: '/description', value: 'x' }] })
  t.ok(editArchived.body.errors?.length, 'an archived fact sheet must be recovered before it is changed')
  await gql(UPDATE, { id: itc, patches: [{ op: 'replace', path: '/status', value: 'ACTIVE' }] })
  t.equal(await count(), 1, 'recovering restores it')
})

test('VIEWER technical users read but cannot write; injected REVISION_CLASH; subscriptions', async (t) => {
  const emulator = await startForTest(t)
  const viewer = await clientFor(emulator, emulator.apiTokens.VIEWER)
  const read = await viewer.gql('{ allFactSheets(first: 1) { totalCount } }')
  t.equal(read.body.errors, null)
  const write = await viewer.gql(CREATE, { input: { name: 'Nope', type: 'Application' } })
  t.equal(write.status, 200)
  t.match(write.body.errors?.[0], { extensions: { errorType: 'ACCESS_DENIED' } })

  const { gql } = await clientFor(emulator)
  const app = idOf(await gql(CREATE, { input: { name: 'Clash', type: 'Application' } }))
  emulator.runtime.faults.set({ revisionClashes: 1 })
  const clash = await gql(UPDATE, { id: app, rev: 1, patches: [{ op: 'replace', path: '/description', value: 'x' }] })
  t.match(clash.body.errors?.[0], { extensions: { errorType: 'REVISION_CLASH' } })
  const retry = await gql(UPDATE, { id: app, rev: 1, patches: [{ op: 'replace', path: '/description', value: 'x' }] })
  t.equal(retry.body.errors, null, 'the injected clash happens once')

  const roles = (await gql('{ allSubscriptionRoles { edges { node { id name subscriptionType } } } }')).body.data
    ?.allSubscriptionRoles as { edges: Array<{ node: { id: string; name: string; subscriptionType: string } }> }
  const owner = roles.edges.find((e) => e.node.subscriptionType === 'ACCOUNTABLE')?.node
  const users = (await gql('{ allUsers { edges { node { id email technicalUser } } } }')).body.data?.allUsers as {
    edges: Array<{ node: { id: string; email: string; technicalUser: boolean } }>
  }
  const [alice, bob] = users.edges.filter((e) => !e.node.technicalUser).map((e) => e.node)
  const created = await gql(
    `mutation($fs: ID!, $email: String, $role: ID!) { createSubscription(factSheetId: $fs, user: {email: $email}, type: ACCOUNTABLE, roles: [{id: $role, comment: "owner"}]) { id type user { id } roles { id name comment } factSheet { rev } } }`,
    { fs: app, email: alice?.email, role: owner?.id },
  )
  t.match(created.body.data?.createSubscription, {
    type: 'ACCOUNTABLE',
    user: { id: alice?.id },
    roles: [{ id: owner?.id, name: owner?.name, comment: 'owner' }],
    factSheet: { rev: 3 },
  })
  const second = await gql(
    `mutation($fs: ID!, $id: ID) { createSubscription(factSheetId: $fs, user: {id: $id}, type: ACCOUNTABLE) { id } }`,
    { fs: app, id: bob?.id },
  )
  t.ok(second.body.errors?.length, 'only one ACCOUNTABLE per fact sheet')
  const subId = (created.body.data?.createSubscription as { id: string }).id
  const listed = await gql(
    `{ factSheet(id: "${app}") { subscriptions { edges { node { id type user { email } } } } } }`,
  )
  t.same(
    (listed.body.data?.factSheet as { subscriptions: { edges: Array<{ node: Node }> } }).subscriptions.edges.map(
      (e) => e.node,
    ),
    [{ id: subId, type: 'ACCOUNTABLE', user: { email: alice?.email } }],
  )
  const subscribed = await gql(LIST_BY_SUBSCRIBER, {
    filter: {
      facetFilters: [{ facetKey: 'Subscriptions', keys: [alice?.id], subscriptionFilter: { type: 'ACCOUNTABLE' } }],
    },
  })
  t.ok(
    (subscribed.body.data?.allFactSheets as { edges: Array<{ node: { id: string } }> }).edges.some(
      (e) => e.node.id === app,
    ),
  )
  const deleted = await gql(`mutation { deleteSubscription(id: "${subId}") { id rev } }`)
  t.same(deleted.body.data?.deleteSubscription, { id: app, rev: 4 })
})

const LIST_BY_SUBSCRIBER = `query($filter: FilterInput!) { allFactSheets(filter: $filter) { edges { node { id } } } }`

test('archived fact sheets are deleted for good after 90 days, with FACT_SHEET_DELETED and RELATION_DELETED', async (t) => {
  let now = Date.UTC(2026, 0, 1)
  const emulator = await startForTest(t, { seed: false, now: () => new Date(now) })
  const { gql } = await clientFor(emulator)
  const app = idOf(await gql(CREATE, { input: { name: 'Old', type: 'Application' } }))
  const itc = idOf(await gql(CREATE, { input: { name: 'Old ITC', type: 'ITComponent' } }))
  await gql(UPDATE, {
    id: app,
    patches: [{ op: 'add', path: '/relApplicationToITComponent/new_1', value: rel({ factSheetId: itc }) }],
  })
  await gql(UPDATE, { id: app, comment: 'retired', patches: [{ op: 'replace', path: '/status', value: 'ARCHIVED' }] })
  const events: string[] = []
  emulator.runtime.store.onEvent((e) => events.push(e.event.kind))
  now += 89 * 86_400_000
  t.same(emulator.purgeArchived(), [], 'still within the 90 days')
  now += 2 * 86_400_000
  const purged = await fetch(`${emulator.url}/__emulator/retention/purge`, { method: 'POST' })
  t.same(await purged.json(), { purged: [app] })
  t.same(events, ['RELATION_DELETED', 'FACT_SHEET_DELETED'])
  const later = await clientFor(emulator)
  t.equal((await later.gql(`{ factSheet(id: "${app}") { id } }`)).body.data?.factSheet, null)
  t.equal(emulator.runtime.store.relationsOf(itc).length, 0)
})

test('allLogEvents lists a fact sheet history, newest first, with who did it and what changed', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const { gql } = await clientFor(emulator)
  const app = idOf(await gql(CREATE, { input: { name: 'Logged', type: 'Application' } }))
  await gql(UPDATE, { id: app, patches: [{ op: 'replace', path: '/description', value: 'first' }] })
  await gql(UPDATE, { id: app, patches: [{ op: 'replace', path: '/description', value: 'second' }] })
  const answer = await gql(
    `{ allLogEvents(factSheetId: "${app}", eventTypes: [FACT_SHEET_FIELD_UPDATED]) { totalCount edges { node { eventType path oldValue newValue user { id } } } } }`,
  )
  const log = answer.body.data?.allLogEvents as { totalCount: number; edges: Array<{ node: Node }> }
  const hub = emulator.technicalUsers.find((u) => u.role === 'ADMIN')
  t.same(
    log.edges.map((e) => e.node),
    [
      {
        eventType: 'FACT_SHEET_FIELD_UPDATED',
        path: '/description',
        oldValue: 'first',
        newValue: 'second',
        user: { id: hub?.id },
      },
      {
        eventType: 'FACT_SHEET_FIELD_UPDATED',
        path: '/description',
        oldValue: null,
        newValue: 'first',
        user: { id: hub?.id },
      },
    ],
  )
  const all = await gql(`{ allLogEvents(factSheetId: "${app}") { totalCount } }`)
  t.equal(
    (all.body.data?.allLogEvents as { totalCount: number }).totalCount,
    5,
    'created, and updated + field updated twice',
  )
})
