// Pathfinder reads (docs/reference/leanix.md §3.1, §3.7, S1 filtering-in-graphql / filtering-fact-sheets):
// relay paging with opaque cursors, the 15 000-edge cap, facet filters, full-text search,
// external ids, archived fact sheets behind the TrashBin facet, sorting, error shapes.
import { test } from 'tap'
import { clientFor, startForTest } from './emulator-client.ts'

type Connection = {
  totalCount: number
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  edges: Array<{ node: Record<string, unknown> }>
}

const LIST = `query($type: FactSheetType, $filter: FilterInput, $first: Int, $after: String, $sort: [Sorting]) {
  allFactSheets(factSheetType: $type, filter: $filter, first: $first, after: $after, sort: $sort) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id name type status updatedAt } }
  }
}`

test('paging with first/after walks every fact sheet once; cursors are opaque base64', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const seen = new Set<string>()
  let after: string | null = null
  let total: number
  let pages = 0
  do {
    const answer = await gql(LIST, { type: 'Application', first: 25, after })
    const connection = answer.body.data?.allFactSheets as Connection
    total = connection.totalCount
    for (const edge of connection.edges) seen.add(String(edge.node.id))
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null
    if (after !== null) t.match(after, /^[A-Za-z0-9+/]+=*$/)
    pages++
  } while (after !== null && pages < 100)
  t.ok(total > 25, 'more than one page')
  t.equal(seen.size, total, 'no fact sheet twice, none missing')
  t.equal(pages, Math.ceil(total / 25))
})

test('one answer holds at most 15 000 edges, with or without `first`', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const { store } = emulator.runtime
  const now = new Date().toISOString()
  for (let i = 0; i < 15_010; i++) {
    store.putFactSheet(null, {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type: 'DataObject',
      name: `Data ${i}`,
      rev: 1,
      status: 'ACTIVE',
      description: null,
      category: null,
      lxState: 'DRAFT',
      createdAt: now,
      updatedAt: now,
      fields: {},
      tagIds: [],
      naFields: [],
      archivedAt: null,
    })
  }
  const { gql } = await clientFor(emulator)
  const small = '{ allFactSheets { totalCount pageInfo { hasNextPage } edges { node { id } } } }'
  const all = (await gql(small)).body.data?.allFactSheets as Connection
  t.equal(all.totalCount, 15_010)
  t.equal(all.edges.length, 15_000)
  t.equal(all.pageInfo.hasNextPage, true)
  const asked = (await gql('{ allFactSheets(first: 20000) { edges { node { id } } } }')).body.data
    ?.allFactSheets as Connection
  t.equal(asked.edges.length, 15_000)
})

test('facet filters, full-text search, ids and external ids', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const { gql } = await clientFor(emulator)
  const lifecycle = (phases: Array<[string, string]>) =>
    JSON.stringify({ phases: phases.map(([phase, startDate]) => ({ phase, startDate })) })
  const created = await gql(
    `mutation($l1: String, $l2: String, $ext: String) {
      itc: createFactSheet(input: {name: "Postgres", type: ITComponent}, patches: [{op: replace, path: "/category", value: "software"}]) { factSheet { id } }
      a1: createFactSheet(input: {name: "Billing Portal", type: Application}, patches: [
        {op: replace, path: "/functionalSuitability", value: "perfect"},
        {op: replace, path: "/lifecycle", value: $l1},
        {op: replace, path: "/externalId", value: $ext},
        {op: add, path: "/tags", value: "[{\\"tagName\\":\\"GDPR\\"}]"}]) { factSheet { id } }
      a2: createFactSheet(input: {name: "Claims Desk", type: Application}, patches: [
        {op: replace, path: "/functionalSuitability", value: "insufficient"},
        {op: replace, path: "/description", value: "handles billing disputes"},
        {op: replace, path: "/lifecycle", value: $l2}]) { factSheet { id } }
      a3: createFactSheet(input: {name: "Payroll", type: Application}) { factSheet { id } }
    }`,
    {
      l1: lifecycle([
        ['phaseIn', '2024-02-01'],
        ['active', '2025-01-01'],
      ]),
      l2: lifecycle([
        ['active', '2019-01-01'],
        ['endOfLife', '2022-06-30'],
      ]),
      ext: JSON.stringify({ type: 'ExternalId', externalId: 'APP-1' }),
    },
  )
  t.equal(created.body.errors, null)
  const id = (alias: string) => (created.body.data?.[alias] as { factSheet: { id: string } }).factSheet.id
  const [itc, a1, a2, a3] = [id('itc'), id('a1'), id('a2'), id('a3')]
  await gql(
    `mutation { updateFactSheet(id: "${a2}", patches: [{op: add, path: "/relApplicationToITComponent/new_1", value: "{\\"factSheetId\\":\\"${itc}\\"}"}]) { factSheet { id } } }`,
  )

  const names = async (filter: unknown, type = 'Application') => {
    const answer = await gql(LIST, { type, filter, sort: [{ key: 'name', order: 'asc' }] })
    t.equal(answer.body.errors, null, JSON.stringify(answer.body.errors))
    return (answer.body.data?.allFactSheets as Connection).edges.map((e) => e.node.name)
  }
  t.same(await names({ facetFilters: [{ facetKey: 'FactSheetTypes', keys: ['Application'] }] }), [
    'Billing Portal',
    'Claims Desk',
    'Payroll',
  ])
  t.same(
    await names({
      facetFilters: [{ facetKey: 'functionalSuitability', operator: 'NOR', keys: ['perfect', 'appropriate'] }],
    }),
    ['Claims Desk', 'Payroll'],
    'NOR keeps fact sheets without the value',
  )
  t.same(
    await names({
      facetFilters: [
        {
          facetKey: 'lifecycle',
          operator: 'OR',
          keys: ['phaseIn'],
          dateFilter: { type: 'RANGE', from: '2023-01-01', to: '2029-12-31' },
        },
      ],
    }),
    ['Billing Portal'],
  )
  t.same(
    await names({
      facetFilters: [{ facetKey: 'lifecycle', keys: ['active'], dateFilter: { type: 'POINT', from: '2020-06-01' } }],
    }),
    ['Claims Desk'],
    'only Claims Desk was active on that day',
  )
  t.same(await names({ facetFilters: [{ facetKey: 'relApplicationToITComponent', keys: [itc] }] }), ['Claims Desk'])
  t.same(await names({ facetFilters: [{ facetKey: 'relApplicationToITComponent', keys: ['__missing__'] }] }), [
    'Billing Portal',
    'Payroll',
  ])
  const tagId = (
    (await gql('{ allTags { edges { node { id name } } } }')).body.data?.allTags as {
      edges: Array<{ node: { id: string; name: string } }>
    }
  ).edges.find((e) => e.node.name === 'GDPR')?.node.id
  t.same(await names({ facetFilters: [{ facetKey: '_TAGS_', keys: [tagId] }] }), ['Billing Portal'])
  t.same(await names({ fullTextSearch: 'billing' }), ['Billing Portal', 'Claims Desk'], 'name or description')
  t.same(await names({ externalIds: ['externalId/APP-1'] }), ['Billing Portal'])
  t.same(await names({ ids: [a3, a1] }), ['Billing Portal', 'Payroll'])
  t.same(await names({ facetFilters: [{ facetKey: 'DataQuality', keys: ['_noDescription_'] }] }), [
    'Billing Portal',
    'Payroll',
  ])
  t.same(await names({ facetFilters: [{ facetKey: 'category', keys: ['software'] }] }, 'ITComponent'), ['Postgres'])
})

test('archived fact sheets are hidden unless the TrashBin facet asks for them', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const before = (await gql(LIST, { type: 'Application', first: 1 })).body.data?.allFactSheets as Connection
  const victim = String(before.edges[0]?.node.id)
  const archived = await gql(
    `mutation { updateFactSheet(id: "${victim}", comment: "retired", patches: [{op: add, path: "/status", value: "ARCHIVED"}]) { factSheet { status } } }`,
  )
  t.same(archived.body.data, { updateFactSheet: { factSheet: { status: 'ARCHIVED' } } })
  const after = (await gql(LIST, { type: 'Application', first: 10000 })).body.data?.allFactSheets as Connection
  t.equal(after.totalCount, before.totalCount - 1)
  t.notOk(after.edges.some((e) => e.node.id === victim))
  const trash = (
    await gql(LIST, { filter: { facetFilters: [{ facetKey: 'TrashBin', operator: 'OR', keys: ['archived'] }] } })
  ).body.data?.allFactSheets as Connection
  t.same(
    trash.edges.map((e) => [e.node.id, e.node.status]),
    [[victim, 'ARCHIVED']],
  )
  const direct = await gql(`{ factSheet(id: "${victim}") { id status } }`)
  t.same(direct.body.data?.factSheet, { id: victim, status: 'ARCHIVED' }, 'still readable by id')
})

test('sorting by updatedAt desc puts the latest change first', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const page = (await gql(LIST, { type: 'ITComponent', first: 5, sort: [{ key: 'name', order: 'desc' }] })).body.data
    ?.allFactSheets as Connection
  const target = String(page.edges[4]?.node.id)
  await gql(
    `mutation { updateFactSheet(id: "${target}", patches: [{op: replace, path: "/description", value: "touched"}]) { factSheet { id } } }`,
  )
  const sorted = (await gql(LIST, { type: 'ITComponent', first: 3, sort: [{ key: 'updatedAt', order: 'desc' }] })).body
    .data?.allFactSheets as Connection
  t.equal(sorted.edges[0]?.node.id, target)
  const times = sorted.edges.map((e) => String(e.node.updatedAt))
  t.same(times, [...times].sort().reverse())
})

test('a sort by updatedAt gives the order of a sort of every match, across writes, ties and a failed write', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const { store } = emulator.runtime
  const all = async (order: 'asc' | 'desc', after: string | null = null): Promise<string[]> => {
    const ids: string[] = []
    do {
      const c = (await gql(LIST, { type: 'Application', first: 40, after, sort: [{ key: 'updatedAt', order }] })).body
        .data?.allFactSheets as Connection
      for (const e of c.edges) ids.push(String(e.node.id))
      after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null
    } while (after !== null)
    return ids
  }
  // what the order must be: by instant in the asked direction, ties by id ascending
  const expected = (order: 'asc' | 'desc'): string[] =>
    [...store.factSheets.values()]
      .filter((f) => f.type === 'Application' && f.status === 'ACTIVE')
      .sort((a, b) => {
        const d = (Date.parse(a.updatedAt) - Date.parse(b.updatedAt)) * (order === 'desc' ? -1 : 1)
        return d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
      })
      .map((f) => f.id)
  const check = async (label: string) => {
    t.same(await all('desc'), expected('desc'), `${label}: newest first`)
    t.same(await all('asc'), expected('asc'), `${label}: oldest first`)
  }
  await check('as seeded')
  const apps = expected('asc')
  // two fact sheets at the same instant, written with another offset: ties go by id
  const [a, b] = [store.factSheets.get(apps[3] as string), store.factSheets.get(apps[9] as string)]
  store.putFactSheet(null, { ...a!, updatedAt: '2031-05-05T12:00:00.000+02:00' })
  store.putFactSheet(null, { ...b!, updatedAt: '2031-05-05T10:00:00Z' })
  await check('after a tie')
  for (const id of apps.slice(0, 5))
    await gql(
      `mutation { updateFactSheet(id: "${id}", patches: [{op: replace, path: "/description", value: "touched"}]) { factSheet { id } } }`,
    )
  await check('after updates')
  const failed = await gql(
    `mutation { updateFactSheet(id: "${apps[20]}", patches: [{op: replace, path: "/description", value: "x"}, {op: replace, path: "/nope", value: "y"}]) { factSheet { id } } }`,
  )
  t.ok(failed.body.errors?.length, 'a patch of an unknown field fails the whole update')
  await check('after a rolled-back update')
  await gql(`mutation { createFactSheet(input: {name: "Brand new", type: Application}) { factSheet { id } } }`)
  await gql(
    `mutation { updateFactSheet(id: "${apps[30]}", patches: [{op: add, path: "/status", value: "ARCHIVED"}], comment: "gone") { factSheet { id } } }`,
  )
  await check('after a create and an archive')
})

test('error shapes: HTTP 200 with errors[], LeanIX wording for undefined fields and string-typed patch values', async (t) => {
  const emulator = await startForTest(t)
  const { gql } = await clientFor(emulator)
  const undefinedField = await gql('{ allFactSheets { edges { node { id nope } } } }')
  t.equal(undefinedField.status, 200)
  t.notOk('data' in undefinedField.body, 'nothing ran, so there is no data (graphql-java)')
  t.match(undefinedField.body.errors?.[0], {
    message: "Validation error of type FieldUndefined: Field 'nope' in type 'BaseFactSheet' is undefined",
    locations: [{ line: 1, column: Number }],
    extensions: { classification: 'ValidationError' },
  })
  const syntax = await gql('{ allFactSheets { ')
  t.equal(syntax.status, 200)
  t.match(syntax.body.errors?.[0]?.message, /^Invalid Syntax/)
  const huge = await gql(`{ ${'a'.repeat(1_100_000)} }`)
  t.equal(
    huge.body.errors?.[0]?.message,
    'The request contains too many characters. To prevent Denial Of Service attacks, parsing has been cancelled.',
  )
  const intValue = await gql(
    'mutation($patches: [Patch]!) { updateFactSheet(id: "x", patches: $patches) { factSheet { id } } }',
    { patches: [{ op: 'replace', path: '/description', value: 5 }] },
  )
  t.equal(
    intValue.body.errors?.[0]?.message,
    "Variable 'patches' has an invalid value: Expected a String input, but it was a 'Integer'",
  )
})

test('the schema is introspectable and generated from the meta model; v3-origin workspaces keep the old keys', async (t) => {
  const v4 = await startForTest(t)
  const { gql } = await clientFor(v4)
  const type = await gql('{ __type(name: "Application") { fields { name } } }')
  const fields = ((type.body.data?.__type as { fields: Array<{ name: string }> }).fields ?? []).map((f) => f.name)
  t.ok(fields.includes('relApplicationToITComponent'))
  t.ok(fields.includes('relApplicationToOrganization'))
  t.ok(fields.includes('lifecycle'))
  const enumValues = await gql('{ __type(name: "FactSheetType") { enumValues { name } } }')
  const v4Types = ((enumValues.body.data?.__type as { enumValues: Array<{ name: string }> }).enumValues ?? []).map(
    (v) => v.name,
  )
  t.ok(v4Types.includes('Organization') && v4Types.includes('Initiative') && v4Types.includes('BusinessContext'))
  t.notOk(v4Types.includes('UserGroup'))

  const v3 = await startForTest(t, { metaModel: 'v3' })
  const v3Client = await clientFor(v3)
  const v3Enum = await v3Client.gql('{ __type(name: "FactSheetType") { enumValues { name } } }')
  const v3Types = ((v3Enum.body.data?.__type as { enumValues: Array<{ name: string }> }).enumValues ?? []).map(
    (v) => v.name,
  )
  t.ok(v3Types.includes('UserGroup') && v3Types.includes('Project') && v3Types.includes('Process'))
  const groups = await v3Client.gql(
    '{ allFactSheets(factSheetType: UserGroup, first: 1) { totalCount edges { node { ... on UserGroup { relUserGroupToApplication { totalCount } } } } } }',
  )
  t.equal(groups.body.errors, null)
  t.ok((groups.body.data?.allFactSheets as Connection).totalCount > 0)

  const model = (await (
    await fetch(`${v3.url}/services/pathfinder/v1/models/dataModel`, {
      headers: { authorization: `Bearer ${v3Client.token}` },
    })
  ).json()) as {
    data: {
      factSheets: Record<string, { fields: Record<string, { type: string; values?: string[] }>; relations: string[] }>
      relations: Record<string, { from: { factSheetType: string }; to: { factSheetType: string } }>
      externalIdFields: Record<string, { uniqueFactSheet: boolean }>
    }
  }
  t.same(model.data.factSheets.Application?.fields.businessCriticality, {
    type: 'SINGLE_SELECT',
    values: ['missionCritical', 'businessCritical', 'businessOperational', 'administrativeService'],
  })
  t.equal(model.data.factSheets.Application?.fields.lifecycle?.type, 'LIFECYCLE')
  t.ok(model.data.factSheets.Application?.relations.includes('relApplicationToUserGroup'))
  t.match(model.data.relations.relApplicationToITComponent, {
    from: { factSheetType: 'Application' },
    to: { factSheetType: 'ITComponent' },
  })
  t.equal(model.data.externalIdFields.serviceNowExternalId?.uniqueFactSheet, true)
})
