// filterOptions facets, the data model's multiplicity, PULL events as strings, Pathfinder REST
// (fact sheets and relations, enriched data model, view model, settings) and MTM's workspace,
// permissions and users (issue 17 points 11-13).
import { test } from 'tap'
import { clientFor, exchangeToken, startForTest } from './emulator-client.ts'

async function rest(url: string, token: string, method: string, path: string, body?: unknown) {
  const answer = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> & { data: never } }
}

test('filterOptions lists every facet of the type with counts, not only FactSheetTypes', async (t) => {
  const emulator = await startForTest(t, { seed: { seed: 7, factSheets: 120 } })
  const { gql } = await clientFor(emulator)
  const answer = await gql(
    '{ allFactSheets(factSheetType: Application) { totalCount filterOptions { facets { facetKey results { key name count } } } } }',
  )
  t.equal(answer.body.errors, null)
  const connection = answer.body.data?.allFactSheets as {
    totalCount: number
    filterOptions: { facets: Array<{ facetKey: string; results: Array<{ key: string; name: string; count: number }> }> }
  }
  const facets = new Map(connection.filterOptions.facets.map((f) => [f.facetKey, f.results]))
  for (const key of [
    'FactSheetTypes',
    'hierarchyLevel',
    'DataQuality',
    'lxState',
    'TrashBin',
    '_TAGS_',
    'Subscriptions',
    'lifecycle',
    'businessCriticality',
    'category',
    'relApplicationToITComponent',
  ]) {
    t.ok(facets.has(key), `facet ${key}`)
  }
  t.match(facets.get('DataQuality'), [{ key: '_noResponsible_', name: 'noResponsible' }])
  t.equal(facets.get('FactSheetTypes')?.find((r) => r.key === 'Application')?.count, connection.totalCount)
  const critical = facets.get('businessCriticality') ?? []
  t.equal(
    critical.reduce((sum, r) => sum + r.count, 0),
    connection.totalCount,
    'every application counted once under its criticality',
  )
  const hosting = [...emulator.runtime.store.tagGroups.values()].find((g) => g.name === 'Hosting Type')
  t.ok(facets.has(hosting?.id ?? 'none'), 'a tag group is its own facet')
})

test('the data model spells multiplicity SINGLE/MULTI; PULL hands events out as strings', async (t) => {
  const emulator = await startForTest(t, { seed: false })
  const token = await exchangeToken(emulator.url, emulator.apiToken)
  const model = await rest(emulator.url, token, 'GET', '/services/pathfinder/v1/models/dataModel')
  const relations = (
    model.body.data as { relations: Record<string, { from: { multiplicity: string }; to: { multiplicity: string } }> }
  ).relations
  const multiplicities = new Set(Object.values(relations).flatMap((r) => [r.from.multiplicity, r.to.multiplicity]))
  t.same([...multiplicities].sort(), ['MULTI', 'SINGLE'])
  t.equal(relations.relProviderApplicationToInterface?.to.multiplicity, 'SINGLE')

  const sub = await rest(emulator.url, token, 'POST', '/services/webhooks/v1/subscriptions', {
    deliveryType: 'PULL',
    tagSets: [],
  })
  const id = (sub.body.data as { id: string }).id
  const { gql } = await clientFor(emulator)
  await gql('mutation { createFactSheet(input: {name: "Pulled", type: Application}) { factSheet { id } } }')
  const pulled = await rest(emulator.url, token, 'GET', `/services/webhooks/v1/subscriptions/${id}/events?timeout=0`)
  const events = (pulled.body.data as { events: Array<{ event: unknown }> }).events
  t.ok(events.length > 0)
  t.ok(
    events.every((e) => typeof e.event === 'string'),
    'PullEvent.event is a string',
  )
  t.match(JSON.parse(events[0]?.event as string), { type: 'FactSheetCreatedEvent', factSheet: { name: 'Pulled' } })
})

test('Pathfinder REST: fact sheets and relations, enriched data model, view model, settings', async (t) => {
  const emulator = await startForTest(t, { seed: { seed: 7, factSheets: 60 } })
  const token = await exchangeToken(emulator.url, emulator.apiToken)
  const base = '/services/pathfinder/v1'
  const listed = await rest(emulator.url, token, 'GET', `${base}/factSheets?type=Application&pageSize=5`)
  t.equal(listed.status, 200)
  t.match(listed.body, { status: 'OK', type: 'FactSheet', total: Number, cursor: String })
  t.equal((listed.body.data as unknown[]).length, 5)
  const next = await rest(
    emulator.url,
    token,
    'GET',
    `${base}/factSheets?type=Application&pageSize=5&cursor=${String(listed.body.cursor)}`,
  )
  t.notSame(next.body.data, listed.body.data, 'the cursor pages on')

  const created = await rest(emulator.url, token, 'POST', `${base}/factSheets`, {
    name: 'REST App',
    type: 'Application',
    description: 'made over REST',
    businessCriticality: 'missionCritical',
  })
  t.equal(created.status, 200, JSON.stringify(created.body))
  const app = created.body.data as {
    id: string
    name: string
    description: string
    fields: Array<{ name: string; data: unknown }>
  }
  t.match(app, { name: 'REST App', description: 'made over REST' })
  t.same(app.fields.find((f) => f.name === 'businessCriticality')?.data, 'missionCritical')
  const bad = await rest(emulator.url, token, 'POST', `${base}/factSheets`, {
    name: 'x',
    type: 'Application',
    businessCriticality: 'nope',
  })
  t.equal(bad.status, 400)
  t.match(bad.body, { status: 'ERROR', errors: [{ messages: [String] }] })

  const itc = [...emulator.runtime.store.factSheets.values()].find((f) => f.type === 'ITComponent')
  const related = await rest(emulator.url, token, 'POST', `${base}/factSheets/${app.id}/relations`, {
    type: 'relApplicationToITComponent',
    toId: itc?.id,
    usageType: 'runtime',
  })
  t.equal(related.status, 200, JSON.stringify(related.body))
  t.match(related.body.data, { type: 'relApplicationToITComponent', fromId: app.id, toId: itc?.id })
  const relations = await rest(emulator.url, token, 'GET', `${base}/factSheets/${app.id}/relations`)
  t.equal(relations.body.total, 1)
  const one = await rest(emulator.url, token, 'GET', `${base}/factSheets/${app.id}`)
  t.equal((one.body.data as { rev: number }).rev, 2)
  t.equal((await rest(emulator.url, token, 'GET', `${base}/factSheets/nope`)).status, 404)

  const enriched = await rest(emulator.url, token, 'GET', `${base}/models/dataModel/enriched`)
  const data = enriched.body.data as {
    factSheets: Record<string, { relations: string[]; config: object }>
    relationMapping: Record<string, { direction: string; reverseName: string; persistedName: string }>
  }
  t.same(data.relationMapping.relITComponentToApplication, {
    direction: 'TO',
    reverseName: 'relApplicationToITComponent',
    persistedName: 'relApplicationToITComponent',
  })
  t.ok(data.factSheets.Application?.relations.includes('relApplicationToITComponent'))
  const view = await rest(emulator.url, token, 'GET', `${base}/models/viewModel`)
  const appView = (
    view.body.data as {
      factSheets: Array<{ type: string; bgColor: string; fieldMetaData: Record<string, { values: object }> }>
    }
  ).factSheets.find((f) => f.type === 'Application')
  t.match(appView, { bgColor: /^#[0-9a-f]{6}$/ })
  t.ok(appView?.fieldMetaData.businessCriticality?.values)
  const settings = await rest(emulator.url, token, 'GET', `${base}/settings`)
  t.match(settings.body.data, { workspaceId: emulator.workspace.id, currency: { code: String } })
})

test('MTM: the workspace, its permissions, its users with links and account', async (t) => {
  const emulator = await startForTest(t, { seed: { seed: 7, factSheets: 60 } })
  const token = await exchangeToken(emulator.url, emulator.apiToken)
  const ws = `/services/mtm/v1/workspaces/${emulator.workspace.id}`
  const workspace = await rest(emulator.url, token, 'GET', ws)
  t.match(workspace.body, {
    status: 'OK',
    type: 'Workspace',
    data: {
      id: emulator.workspace.id,
      name: emulator.workspace.name,
      status: 'ACTIVE',
      links: [{ rel: 'self', href: String }],
    },
  })
  const permissions = await rest(emulator.url, token, 'GET', `${ws}/permissions`)
  const hub = (permissions.body.data as Array<{ role: string; user: { userName: string } }>).find(
    (p) => p.user.userName === 'crosswalk-hub',
  )
  t.match(hub, { role: 'ADMIN', workspaceId: emulator.workspace.id, user: { technicalUser: true } })
  const users = await rest(emulator.url, token, 'GET', `${ws}/users`)
  t.match((users.body.data as unknown[])[0], {
    id: String,
    account: { id: String, name: String },
    links: [{ rel: 'self', href: String }],
  })
  t.equal((await rest(emulator.url, token, 'GET', '/services/mtm/v1/workspaces/other')).status, 404)
  t.equal((await fetch(`${emulator.url}${ws}`)).status, 401)
})
